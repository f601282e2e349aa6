"""Payments as real Dodo reports them: discounts, the buyer's own currency, settlement.

Every case goes through ``/webhooks/dodo/`` with a real Standard Webhooks signature.
"""

import pytest
from django.urls import reverse

from commerce.dodo.payloads import payment_facts
from commerce.dodo.webhooks import payment_apply
from commerce.models import OrderStatus, PurchasedProduct, WebhookEvent, WebhookOutcome
from commerce.services import orders
from commerce.services.payments import DiscountFacts, discounted_floor
from commerce.tests.conftest import deliver, payment_data

pytestmark = pytest.mark.django_db


def _discount(amount, *, kind="percentage", code="SAVE10", restricted_to=()):
    return {
        "discount_id": f"dsc_{code}",
        "code": code,
        "type": kind,
        "amount": amount,
        "position": 0,
        "restricted_to": list(restricted_to),
        "business_id": "bus_test",
        "created_at": "2026-01-01T00:00:00Z",
        "metadata": {},
        "preserve_on_plan_change": False,
        "times_used": 1,
    }


def _granted(order) -> bool:
    return PurchasedProduct.objects.active().filter(order=order).exists()


def test_discounted_payment_grants_and_records_the_discount(client, synced_order):
    price = synced_order.amount
    paid = price - price * 1000 // 10_000  # 10 % off
    data = payment_data(
        synced_order,
        total_amount=paid,
        settlement_amount=paid,
        discount_id="dsc_SAVE10",
        discounts=[_discount(1000)],
    )
    response = deliver(client, "payment.succeeded", data)
    assert response.status_code == 200
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PAID
    assert synced_order.review_reason == ""
    assert synced_order.total_amount == paid
    assert synced_order.discount_codes == "SAVE10"
    assert _granted(synced_order)


def test_discount_restricted_to_another_product_does_not_lower_the_price(
    client, synced_order
):
    paid = synced_order.amount // 2
    data = payment_data(
        synced_order,
        total_amount=paid,
        settlement_amount=paid,
        discounts=[_discount(5000, restricted_to=["pdt_other"])],
    )
    assert deliver(client, "payment.succeeded", data).status_code == 200
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PENDING
    assert "short of the order's" in synced_order.review_reason
    assert not _granted(synced_order)


def test_more_off_than_the_discount_gives_is_flagged(client, synced_order):
    data = payment_data(
        synced_order,
        total_amount=synced_order.amount // 2,
        settlement_amount=synced_order.amount // 2,
        discounts=[_discount(1000)],  # 10 % off, but half was paid
    )
    deliver(client, "payment.succeeded", data)
    synced_order.refresh_from_db()
    assert "after discount SAVE10" in synced_order.review_reason
    assert not _granted(synced_order)


def test_payment_in_another_currency_with_the_right_settlement_grants(
    client, synced_order
):
    assert synced_order.currency == "USD"
    data = payment_data(
        synced_order,
        currency="EUR",
        total_amount=2391,
        tax=0,
        settlement_amount=synced_order.amount,
        settlement_currency="USD",
    )
    assert deliver(client, "payment.succeeded", data).status_code == 200
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PAID
    assert (synced_order.total_amount, synced_order.paid_currency) == (2391, "EUR")
    assert (synced_order.settlement_amount, synced_order.settlement_currency) == (
        synced_order.amount,
        "USD",
    )
    assert _granted(synced_order)

    # The buyer's history shows what they paid, in their currency, and the price.
    client.force_login(synced_order.user)
    page = client.get(reverse("accounts:orders")).content.decode()
    assert "€23.91" in page
    assert "list price" in page


def test_converted_payment_settling_within_rounding_grants(client, synced_order):
    settled = synced_order.amount - synced_order.amount // 200  # 0.5 % short
    data = payment_data(
        synced_order,
        currency="INR",
        total_amount=215000,
        settlement_amount=settled,
        settlement_currency="USD",
    )
    deliver(client, "payment.succeeded", data)
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PAID


@pytest.mark.parametrize(
    ("buyer_currency", "settlement", "settlement_currency", "reason"),
    [
        ("USD", -1, "USD", "short of the order's"),  # one cent short, no conversion
        ("EUR", -0.05, "USD", "short of the order's"),  # 5 % short after conversion
        ("EUR", 0, "EUR", "settled in EUR"),
    ],
)
def test_short_or_foreign_settlement_is_flagged_never_granted(
    client, synced_order, buyer_currency, settlement, settlement_currency, reason
):
    amount = synced_order.amount
    settled = (
        amount + settlement
        if isinstance(settlement, int)
        else int(amount * (1 + settlement))
    )
    data = payment_data(
        synced_order,
        currency=buyer_currency,
        settlement_amount=settled,
        settlement_currency=settlement_currency,
    )
    response = deliver(client, "payment.succeeded", data)
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.outcome == WebhookOutcome.FLAGGED
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PENDING
    assert reason in synced_order.review_reason
    assert not _granted(synced_order)


def test_a_correctly_settled_order_is_not_flagged_again(synced_order):
    """Reconciliation and webhook replays apply the same payment: no new flag."""
    data = payment_data(
        synced_order,
        currency="EUR",
        total_amount=2391,
        settlement_amount=synced_order.amount,
        settlement_currency="USD",
        discounts=[],
    )
    facts = payment_facts(data)
    assert payment_apply(order_id=synced_order.pk, payment=facts) == (orders.APPLIED)
    for _ in range(3):
        assert payment_apply(order_id=synced_order.pk, payment=facts) == (
            orders.UNCHANGED
        )
    synced_order.refresh_from_db()
    assert synced_order.review_reason == ""


def test_discount_floor_stacks_in_order_and_skips_other_products():
    ten = DiscountFacts("d1", "TEN", "percentage", 1000)
    flat = DiscountFacts("d2", "FIVE", "flat", 500)
    other = DiscountFacts("d3", "X", "percentage", 9000, ("pdt_other",))
    assert discounted_floor(10_000, [ten, flat], product_id="p") == 8500
    assert discounted_floor(10_000, [flat, ten], product_id="p") == 8550
    assert discounted_floor(10_000, [other], product_id="p") == 10_000
    assert discounted_floor(10_000, [other], product_id="pdt_other") == 1000
    unknown = DiscountFacts("d4", "", "", None)
    assert discounted_floor(10_000, [unknown], product_id="p") == 0
    assert discounted_floor(300, [flat], product_id="p") == 0


# --- foreign and unknown events ----------------------------------------------


def test_a_payment_the_store_did_not_create_is_acknowledged_and_grants_nothing(
    client, synced_order
):
    data = payment_data(synced_order, payment_id="pay_link_1", metadata={})
    response = deliver(client, "payment.succeeded", data)
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.outcome == WebhookOutcome.FOREIGN
    assert event.dodo_payment_id == "pay_link_1"
    assert "names no order" in event.error
    assert not PurchasedProduct.objects.exists()
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PENDING


@pytest.mark.parametrize("event_type", ["payout.success", "brand_new.thing"])
def test_unhandled_and_unknown_event_types_are_recorded_and_acknowledged(
    client, synced_order, event_type
):
    response = deliver(client, event_type, {"payload_type": "Payout", "amount": 1})
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.outcome == WebhookOutcome.IGNORED
    assert event.event_type == event_type
    assert not PurchasedProduct.objects.exists()


def _sdk_event_types() -> list[str]:
    from typing import get_args

    from dodopayments.types.webhook_event_type import WebhookEventType

    return list(get_args(WebhookEventType))


def test_the_store_handles_every_payment_refund_and_dispute_event():
    from commerce.dodo.webhooks import HANDLERS

    ours = [t for t in _sdk_event_types() if t.split(".")[0] in HANDLED_GROUPS]
    assert sorted(HANDLERS) == sorted([*ours, *HANDLED_TYPES])


HANDLED_GROUPS = ("payment", "refund", "dispute")
# Handled beyond those groups (commerce.licenses): the key Dodo issued.
HANDLED_TYPES = ("license_key.created",)


@pytest.mark.parametrize(
    "event_type",
    [
        t
        for t in _sdk_event_types()
        if t.split(".")[0] not in HANDLED_GROUPS and t not in HANDLED_TYPES
    ],
)
def test_every_other_sdk_event_type_is_recorded_and_acknowledged(client, event_type):
    response = deliver(client, event_type, {"payload_type": "Other", "id": "x_1"})
    assert response.status_code == 200
    assert WebhookEvent.objects.get().outcome == WebhookOutcome.IGNORED
    assert not PurchasedProduct.objects.exists()


def test_the_admin_orders_screen_shows_what_the_buyer_paid(client, synced_order):
    from accounts.tests.factories import StaffFactory

    data = payment_data(
        synced_order,
        currency="EUR",
        total_amount=2391,
        settlement_amount=synced_order.amount,
        settlement_currency="USD",
        discounts=[_discount(0, code="ZERO")],
    )
    deliver(client, "payment.succeeded", data)
    client.force_login(StaffFactory())
    page = client.get("/admin/commerce/order/").content.decode()
    assert synced_order.amount == 2500
    assert "€23.91 (settled $25.00), discount ZERO" in page
