"""Broker down during a seller's publish and a purchase: fast answers, effects later."""

from urllib.parse import urlparse

import pytest

from catalog.tests.factories import ProductPageFactory
from catalog.tests.test_seller_scope import product_form
from commerce.dodo.sandbox.models import SandboxObject
from commerce.dodo.sync import product_sync
from commerce.models import (
    DodoProductSync,
    Order,
    OrderStatus,
    PurchasedProduct,
    SyncStatus,
)
from outbox.models import OutboxMessage
from site_config.tests.faults import assert_fast, relay_and_work, timed

pytestmark = [pytest.mark.chaos, pytest.mark.django_db(transaction=True)]


def _dodo_price(product) -> int:
    return SandboxObject.objects.get(object_id=product.dodo_product_id).data["price"][
        "price"
    ]


def test_publish_with_the_broker_down_then_dodo_gets_the_new_price_once(
    client, chaos_celery
):
    product = ProductPageFactory(title="Kit", price=1000)
    product_sync(product_id=product.pk)
    product.refresh_from_db()
    assert _dodo_price(product) == 1000
    client.force_login(product.seller)
    edit = f"/admin/pages/{product.pk}/edit/"

    def publish(price: str):
        return client.post(
            edit, product_form(product, price=price, **{"action-publish": "1"})
        )

    # A Wagtail publish costs what it costs on this machine: measure one with the
    # broker up (its sync waits in the queue), then one with the broker down.
    response, baseline = timed(lambda: publish("15.00"))
    assert response.status_code == 302
    chaos_celery.redis.stop()
    response, seconds = timed(lambda: publish("20.00"))
    assert response.status_code == 302
    assert_fast(seconds, baseline, "publishing")
    product.refresh_from_db()
    assert product.live and product.price == 2000
    # Dodo still has the old price, and the sync row does not pretend otherwise.
    assert _dodo_price(product) == 1000
    assert DodoProductSync.objects.get(product=product).status == SyncStatus.PENDING
    assert OutboxMessage.objects.filter(
        published_at=None, task_name="commerce.product_sync_to_dodo"
    ).exists()

    chaos_celery.redis.start()
    assert relay_and_work(
        chaos_celery,
        lambda: (
            DodoProductSync.objects.get(product=product).status == SyncStatus.SYNCED
        ),
    )
    assert _dodo_price(product) == 2000
    # The same Dodo product, updated, not a second one.
    assert SandboxObject.objects.filter(kind="product").count() == 1


def test_checkout_and_payment_with_the_broker_down_then_one_grant(client, chaos_celery):
    from accounts.tests.factories import UserFactory

    product, other = ProductPageFactory(price=1500), ProductPageFactory(price=900)
    buyer = UserFactory()
    client.force_login(buyer)
    billing = {"country": "DE", "street": "Str 1", "city": "Berlin", "zipcode": "10115"}

    def buy(item):
        checkout, seconds = timed(lambda: client.post(f"/checkout/{item.pk}/", billing))
        assert checkout.status_code == 303
        path = urlparse(checkout["Location"]).path
        paid, pay_seconds = timed(lambda: client.post(path, {"action": "pay"}))
        assert paid.status_code == 303
        return seconds, pay_seconds

    # The same purchase with the broker up first (another product), then down.
    baseline, pay_baseline = buy(other)
    chaos_celery.redis.stop()
    seconds, pay_seconds = buy(product)
    assert_fast(seconds, baseline, "checkout")
    assert_fast(pay_seconds, pay_baseline, "paying")
    order = Order.objects.get(product=product)
    # Dodo's webhook (the sandbox's delivery) waits in the outbox.
    assert order.status == OrderStatus.PENDING
    assert OutboxMessage.objects.filter(
        published_at=None, task_name="commerce.sandbox_deliver_webhook"
    ).exists()

    chaos_celery.redis.start()
    assert relay_and_work(
        chaos_celery,
        lambda: Order.objects.get(pk=order.pk).status == OrderStatus.PAID,
    )
    assert PurchasedProduct.objects.filter(user=buyer, product=product).count() == 1
