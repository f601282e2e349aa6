"""The store against the sandbox doing what real Dodo does: no test transport.

Checkout through the store, the buyer's choice on the sandbox's hosted page, staff
refunds through the real SDK, and the sandbox's signed webhooks back into
``/webhooks/dodo/`` (``commerce.dodo.sandbox.testing``).
"""

from __future__ import annotations

import pytest

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.dodo import refunds
from commerce.dodo.sandbox import events
from commerce.dodo.sandbox import testing as sandbox
from commerce.dodo.sandbox.models import SandboxObject
from commerce.models import Order, OrderStatus, PurchasedProduct

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(client):
    client.force_login(UserFactory())
    product = ProductPageFactory(price=2500, selling_price=2500)
    assert client.post(f"/checkout/{product.pk}/", {"country": "US"}).status_code == 303
    return Order.objects.get()


@pytest.fixture
def paid(order):
    payment = sandbox.pay(order.dodo_checkout_session_id, "pay")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    return order, payment["payment_id"]


def _access(order) -> bool:
    return PurchasedProduct.objects.active().filter(order=order).exists()


def test_a_failed_refund_returns_the_order_to_paid_and_a_retry_refunds(paid):
    order, payment_id = paid
    sandbox.refund_plan_set(payment_id, "failed")
    with events.delivered_at_once():  # refund.failed arrives after Dodo's answer
        refunds.refund_request(order_id=order.pk)
        order.refresh_from_db()
        assert order.status == OrderStatus.REFUND_PENDING
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert "failed" in order.refund_note
    assert _access(order)

    sandbox.refund_plan_set(payment_id, "succeeded")
    with events.delivered_at_once():
        refunds.refund_request(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert not _access(order)
    assert [e["type"] for e in sandbox.sent()][-2:] == [
        "refund.failed",
        "refund.succeeded",
    ]


def test_a_pending_refund_ends_when_dodo_says_so(paid):
    order, payment_id = paid
    sandbox.refund_plan_set(payment_id, "pending")
    refunds.refund_request(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUND_PENDING
    assert not [e for e in sandbox.sent() if e["type"].startswith("refund.")]
    refund_id = SandboxObject.objects.get(kind="refund").object_id
    sandbox.refund_settle(refund_id, "succeeded")
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert not _access(order)


def test_a_partial_refund_leaves_access_and_the_rest_refundable(paid):
    order, _ = paid
    refunds.refund_request(order_id=order.pk, amount=1000)
    order.refresh_from_db()
    assert order.refunded_amount == 1000
    assert _access(order)


@pytest.mark.parametrize(
    ("path", "access"),
    [
        (["opened"], False),
        (["opened", "challenged"], False),
        (["opened", "won"], True),
        (["opened", "cancelled"], True),
        (["opened", "lost"], False),
        (["opened", "expired"], False),
        (["opened", "accepted"], False),
        (["opened", "challenged", "won"], True),
    ],
)
def test_each_dispute_stage_reaches_the_store(paid, path, access):
    order, payment_id = paid
    for status in path:
        sandbox.dispute(payment_id, status)
    assert _access(order) is access


def test_a_discounted_and_a_converted_payment_grant(client):
    for outcome in ("discount", "currency"):
        client.force_login(UserFactory())
        product = ProductPageFactory(price=4000, selling_price=4000)
        client.post(f"/checkout/{product.pk}/", {"country": "DE"})
        order = Order.objects.get(product=product)
        sandbox.pay(order.dodo_checkout_session_id, outcome)
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID, outcome
        assert _access(order)
