"""Findings of the money-path review, each pinned by a test."""

import pytest

from commerce.dodo.reconcile import orders_reconcile_pending
from commerce.dodo.webhooks import webhook_event_reprocess
from commerce.models import Order, OrderStatus, PurchasedProduct, WebhookEvent
from commerce.tests.conftest import (
    WEBHOOK_URL,
    deliver,
    deliver_all_at_once,
    dispute_data,
    payment_data,
    refund_data,
    signed,
)
from commerce.tests.factories import PurchasedProductFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("signature", ["x", "v1,@@@", "v1", "v1,abc,def"])
def test_malformed_signature_header_is_refused_without_a_row(
    client, synced_order, signature
):
    body, headers = signed("payment.succeeded", payment_data(synced_order))
    headers["webhook-signature"] = signature

    response = client.post(
        WEBHOOK_URL, data=body, content_type="application/json", headers=headers
    )

    assert response.status_code == 401
    assert not WebhookEvent.objects.exists()
    assert _status(synced_order) == OrderStatus.PENDING


def test_forged_body_can_never_be_reprocessed_into_a_paid_order(client, synced_order):
    body, headers = signed("payment.succeeded", payment_data(synced_order))
    headers["webhook-signature"] = "not-a-signature"
    client.post(
        WEBHOOK_URL, data=body, content_type="application/json", headers=headers
    )
    # Nothing was recorded, so staff have nothing to reprocess.
    assert not WebhookEvent.objects.exists()
    assert not PurchasedProduct.objects.exists()


def test_overlong_webhook_id_is_refused_without_a_row(client, synced_order):
    response = deliver(
        client, "payment.succeeded", payment_data(synced_order), webhook_id="m" * 200
    )
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_signed_malformed_json_is_recorded_and_reprocess_still_rejects(
    client, synced_order
):
    response = deliver(client, "payment.succeeded", {}, body="{not json")
    assert response.status_code == 400
    event = WebhookEvent.objects.get()
    assert event.outcome == "rejected" and event.payload is None
    assert webhook_event_reprocess(event_id=event.pk).status_code == 400
    assert _status(synced_order) == OrderStatus.PENDING


def test_payment_below_the_order_amount_grants_nothing(client, synced_order):
    data = payment_data(synced_order)
    # Charged a stale, lower price: the merchant is credited less than the order.
    data["total_amount"] = data["settlement_amount"] = synced_order.amount - 1

    response = deliver(client, "payment.succeeded", data)

    assert response.status_code == 200
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PENDING and not synced_order.is_paid
    assert "short of the order's" in synced_order.review_reason
    assert not PurchasedProduct.objects.exists()


def test_payment_with_tax_on_top_is_accepted(client, synced_order):
    data = payment_data(synced_order)
    data["total_amount"] = synced_order.amount + 475
    data["tax"] = 475
    deliver(client, "payment.succeeded", data)
    assert _status(synced_order) == OrderStatus.PAID


def test_partial_refunds_adding_up_to_the_total_revoke_access(client, synced_order):
    deliver(client, "payment.succeeded", payment_data(synced_order))
    half = synced_order.amount // 2
    rest = synced_order.amount - half
    for refund_id, amount in (("rfd_a", half), ("rfd_b", rest)):
        data = refund_data("pay_1", amount=amount, is_partial=True)
        data["refund_id"] = refund_id
        deliver(client, "refund.succeeded", data)

    assert _status(synced_order) == OrderStatus.REFUNDED
    assert not PurchasedProduct.objects.active().exists()
    assert PurchasedProduct.objects.get().revoke_reason == "refunded"


def test_dispute_won_after_a_partial_refund_restores_access(client, synced_order):
    deliver(client, "payment.succeeded", payment_data(synced_order))
    deliver(client, "dispute.opened", dispute_data("pay_1", "dispute_opened"))
    deliver(
        client, "refund.succeeded", refund_data("pay_1", amount=100, is_partial=True)
    )
    deliver(client, "dispute.won", dispute_data("pay_1", "dispute_won"))

    assert PurchasedProduct.objects.active().count() == 1
    assert _status(synced_order) == OrderStatus.PARTIALLY_REFUNDED


def test_dispute_does_not_relabel_a_refunded_order(client, synced_order):
    deliver(client, "payment.succeeded", payment_data(synced_order))
    deliver(client, "refund.succeeded", refund_data("pay_1"))
    deliver(client, "dispute.opened", dispute_data("pay_1", "dispute_opened"))
    deliver(client, "dispute.won", dispute_data("pay_1", "dispute_won"))
    assert _status(synced_order) == OrderStatus.REFUNDED
    assert not PurchasedProduct.objects.active().exists()


def test_checkout_is_refused_while_access_is_suspended(client):
    grant = PurchasedProductFactory()
    PurchasedProduct.objects.filter(pk=grant.pk).update(suspended_at=grant.granted_at)
    client.force_login(grant.user)

    response = client.post(
        f"/checkout/{grant.product_id}/", {"country": "US"}, follow=True
    )

    assert "on hold while a payment dispute is open" in response.content.decode()
    assert Order.objects.filter(user=grant.user).count() == 1  # no new order


def test_reconciliation_applies_a_refund_left_deferred(client, synced_order):
    # The race's end state: the refund was recorded as waiting, then its payment
    # was recorded without seeing it.
    deliver(client, "refund.succeeded", refund_data("pay_1"))
    assert WebhookEvent.objects.get().outcome == "deferred"
    Order.objects.filter(pk=synced_order.pk).update(
        status=OrderStatus.PAID, is_paid=True, dodo_payment_id="pay_1"
    )
    PurchasedProductFactory(order=synced_order)

    tally = orders_reconcile_pending()

    assert tally.get("deferred_applied") == 1
    assert _status(synced_order) == OrderStatus.REFUNDED
    assert not PurchasedProduct.objects.active().exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(5))
def test_payment_and_refund_delivered_at_once_always_end_refunded(
    requires_postgres, round_
):
    from catalog.models import ProductPage
    from commerce.tests.factories import OrderFactory

    order = OrderFactory(dodo_checkout_session_id="cks_pr")
    ProductPage.objects.filter(pk=order.product_id).update(dodo_product_id="pdt_pr")
    order.product.dodo_product_id = "pdt_pr"
    deliveries = [
        signed("payment.succeeded", payment_data(order, payment_id="pay_pr")),
        signed("refund.succeeded", refund_data("pay_pr")),
    ]
    statuses = deliver_all_at_once(deliveries)

    assert statuses == [200, 200]
    assert _status(order) == OrderStatus.REFUNDED
    assert not PurchasedProduct.objects.active().exists()
    assert not WebhookEvent.objects.filter(outcome="deferred").exists()


def _status(order) -> str:
    order.refresh_from_db()
    return order.status
