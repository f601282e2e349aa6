"""20 simultaneous deliveries on PostgreSQL: row locks, not luck, keep one grant."""

import pytest

from commerce.models import Order, OrderStatus, PurchasedProduct, WebhookEvent
from commerce.tests.conftest import deliver_all_at_once, payment_data, signed
from commerce.tests.factories import OrderFactory

THREADS = 20


def _order():
    from catalog.models import ProductPage

    order = OrderFactory(dodo_checkout_session_id="cks_race")
    ProductPage.objects.filter(pk=order.product_id).update(dodo_product_id="pdt_race")
    order.product.dodo_product_id = "pdt_race"
    return order


@pytest.mark.django_db(transaction=True)
def test_same_delivery_twenty_times_at_once_grants_once(requires_postgres):
    order = _order()
    delivery = signed("payment.succeeded", payment_data(order), webhook_id="msg_race")
    statuses = deliver_all_at_once([delivery] * THREADS)
    assert statuses == [200] * THREADS
    assert WebhookEvent.objects.count() == 1
    assert PurchasedProduct.objects.filter(order=order).count() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


@pytest.mark.django_db(transaction=True)
def test_same_payment_under_twenty_webhook_ids_grants_once(requires_postgres):
    order = _order()
    deliveries = [
        signed("payment.succeeded", payment_data(order), webhook_id=f"msg_{n}")
        for n in range(THREADS)
    ]
    statuses = deliver_all_at_once(deliveries)
    assert statuses == [200] * THREADS
    assert WebhookEvent.objects.count() == THREADS
    assert PurchasedProduct.objects.filter(order=order).count() == 1
    assert Order.objects.get(pk=order.pk).dodo_payment_id == "pay_1"
