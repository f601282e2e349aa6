"""The sandbox produces what real Dodo produces, and sends the events Dodo sends.

Processing payments, discounts, another currency, pending/failed/in-review and
partial refunds, each dispute stage: from the hosted page's buttons, the payment
control page and the test helpers (``commerce.dodo.sandbox.testing``). Every event
is delivered signed to ``/webhooks/dodo/`` and validates strictly against the SDK.
"""

from __future__ import annotations

import pytest

from catalog.tests.factories import ProductPageFactory
from commerce.dodo import client as dodo
from commerce.dodo.sandbox import events, outcomes
from commerce.dodo.sandbox import testing as sandbox
from commerce.models import Order, OrderStatus, PurchasedProduct
from commerce.tests.test_sandbox_conformance import EVENT_MODELS, strict_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(client):
    """A pending order whose checkout session is open on the sandbox's page."""
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    product = ProductPageFactory(price=2500, selling_price=2500)
    response = client.post(f"/checkout/{product.pk}/", {"country": "US"})
    assert response.status_code == 303
    return Order.objects.get()


def _granted(order) -> bool:
    return PurchasedProduct.objects.active().filter(order=order).exists()


def _events() -> list[str]:
    return [e["type"] for e in sandbox.sent()]


def _all_sent_strictly_valid() -> None:
    for event in sandbox.sent():
        body = events.envelope(
            event_type=event["type"], data=event["data"], timestamp=event["timestamp"]
        )
        EVENT_MODELS[event["type"]].model_validate_json(body, strict=True)
        # Delivered once, and our endpoint acknowledged it.
        assert [d["status"] for d in event["deliveries"]] == [200], event["type"]


def test_a_discount_code_lowers_both_totals_and_grants(order):
    payment = sandbox.pay(order.dodo_checkout_session_id, "discount")
    assert payment["total_amount"] == payment["settlement_amount"] == 2000
    assert payment["discount_id"] == payment["discounts"][0]["discount_id"]
    assert payment["discounts"][0]["code"] == outcomes.DISCOUNT_CODE
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.discount_codes == outcomes.DISCOUNT_CODE
    assert _granted(order)
    _all_sent_strictly_valid()


def test_another_currency_settles_the_full_price_in_the_merchants(order):
    payment = sandbox.pay(order.dodo_checkout_session_id, "currency")
    assert (payment["currency"], payment["total_amount"]) == ("EUR", 2300)
    assert (payment["settlement_currency"], payment["settlement_amount"]) == (
        "USD",
        2500,
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.paid_currency == "EUR"
    assert _granted(order)
    _all_sent_strictly_valid()


@pytest.mark.parametrize("final", ["succeeded", "failed"])
def test_a_processing_payment_ends_later(order, final):
    payment = sandbox.pay(order.dodo_checkout_session_id, "processing")
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert not _granted(order)
    sdk, _ = strict_client()
    assert sdk.payments.retrieve(payment["payment_id"]).status == "processing"
    assert (
        sdk.checkout_sessions.retrieve(order.dodo_checkout_session_id).payment_status
        == "processing"
    )

    sandbox.payment_settle(payment["payment_id"], final)
    assert _events() == ["payment.processing", f"payment.{final}"]
    assert sdk.payments.retrieve(payment["payment_id"]).status == final
    order.refresh_from_db()
    assert _granted(order) is (final == "succeeded")
    with pytest.raises(outcomes.SandboxError):
        sandbox.payment_settle(payment["payment_id"], "succeeded")
    _all_sent_strictly_valid()


@pytest.mark.parametrize("outcome", ["decline", "cancel"])
def test_declined_and_cancelled_payments(order, outcome):
    payment = sandbox.pay(order.dodo_checkout_session_id, outcome)
    status = outcomes.CHECKOUT_OUTCOMES[outcome]
    assert payment["status"] == status
    assert _events() == [f"payment.{status}"]
    assert not _granted(order)
    _all_sent_strictly_valid()


@pytest.mark.parametrize(
    ("plan", "answered", "events_after", "ends"),
    [
        ("succeeded", "succeeded", ["refund.succeeded"], "succeeded"),
        ("failed", "pending", ["refund.failed"], "failed"),
        ("pending", "pending", [], "pending"),
        ("review", "review", [], "review"),
    ],
)
def test_refund_plans(order, plan, answered, events_after, ends):
    payment = sandbox.pay(order.dodo_checkout_session_id, "pay")
    sandbox.refund_plan_set(payment["payment_id"], plan)
    sdk, _ = strict_client()
    with events.delivered_at_once():
        refund = sdk.refunds.create(payment_id=payment["payment_id"], reason="x")
    assert refund.status == answered
    assert _events() == ["payment.succeeded", *events_after]
    assert sdk.refunds.retrieve(refund.refund_id).status == ends
    after = sdk.payments.retrieve(payment["payment_id"])
    assert after.refund_status == ("full" if ends == "succeeded" else None)
    _all_sent_strictly_valid()


@pytest.mark.parametrize("final", ["succeeded", "failed"])
def test_a_pending_refund_ends_later(order, final):
    payment = sandbox.pay(order.dodo_checkout_session_id, "pay")
    sandbox.refund_plan_set(payment["payment_id"], "pending")
    sdk, _ = strict_client()
    refund = sdk.refunds.create(
        payment_id=payment["payment_id"],
        items=[{"item_id": payment["product_cart"][0]["product_id"], "amount": 500}],
    )
    assert (refund.status, refund.amount, refund.is_partial) == ("pending", 500, True)
    sandbox.refund_settle(refund.refund_id, final)
    assert _events() == ["payment.succeeded", f"refund.{final}"]
    after = sdk.payments.retrieve(payment["payment_id"])
    assert after.refund_status == ("partial" if final == "succeeded" else None)
    # A failed refund gives the amount back to what can be refunded.
    left = 2000 if final == "succeeded" else 2500
    assert sdk.refunds.create(payment_id=payment["payment_id"]).amount == left
    _all_sent_strictly_valid()


@pytest.mark.parametrize(
    "path",
    [
        ["opened", "won"],
        ["opened", "lost"],
        ["opened", "expired"],
        ["opened", "accepted"],
        ["opened", "cancelled"],
        ["opened", "challenged", "won"],
        ["opened", "challenged", "lost"],
    ],
)
def test_each_dispute_stage(order, path):
    payment = sandbox.pay(order.dodo_checkout_session_id, "pay")
    for status in path:
        dispute = sandbox.dispute(payment["payment_id"], status)
        assert dispute["dispute_status"] == f"dispute_{status}"
    assert _events() == ["payment.succeeded", *(f"dispute.{s}" for s in path)]
    sdk, _ = strict_client()
    (seen,) = sdk.payments.retrieve(payment["payment_id"]).disputes
    assert seen.dispute_status == f"dispute_{path[-1]}"
    assert seen.amount == "25.00"
    # A closed dispute moves no further; a new one can be opened.
    with pytest.raises(outcomes.SandboxError):
        sandbox.dispute(payment["payment_id"], "won")
    _all_sent_strictly_valid()


def test_a_failed_payment_cannot_be_disputed(order):
    payment = sandbox.pay(order.dodo_checkout_session_id, "decline")
    with pytest.raises(outcomes.SandboxError):
        sandbox.dispute(payment["payment_id"], "opened")


def test_the_hosted_page_offers_each_outcome(
    client, order, django_capture_on_commit_callbacks
):
    path = f"/dodo-sandbox/checkout/{order.dodo_checkout_session_id}/"
    page = client.get(path).content.decode()
    for outcome in outcomes.CHECKOUT_OUTCOMES:
        assert f'value="{outcome}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"action": "currency"})
    assert response.status_code == 303
    assert "status=succeeded" in response["Location"]
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.paid_currency == "EUR"


def test_the_control_page_drives_refunds_and_disputes(
    client, order, django_capture_on_commit_callbacks
):
    payment = sandbox.pay(order.dodo_checkout_session_id, "pay")
    url = f"/dodo-sandbox/payments/{payment['payment_id']}/"
    page = client.get(url).content.decode()
    assert 'value="dispute:opened"' in page
    assert 'value="refund_plan:failed"' in page
    assert payment["payment_id"] in client.get("/dodo-sandbox/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "dispute:opened"}).status_code == 303
        assert client.post(url, {"action": "dispute:challenged"}).status_code == 303
    page = client.get(url).content.decode()
    assert "dispute_challenged" in page
    assert 'value="dispute:won"' in page

    client.post(url, {"action": "refund_plan:pending"})
    refund_id = strict_client()[0].refunds.create(payment_id=payment["payment_id"])
    page = client.get(url).content.decode()
    assert 'value="refund:succeeded"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "refund:failed", "refund_id": refund_id.refund_id})
    assert _events()[-3:] == ["dispute.opened", "dispute.challenged", "refund.failed"]

    # A wrong move is a message, not an error page.
    response = client.post(url, {"action": "payment:succeeded"}, follow=True)
    assert "Only a processing payment" in response.content.decode()
    _all_sent_strictly_valid()


def test_pages_of_unknown_objects_are_404(client):
    assert client.get("/dodo-sandbox/payments/pay_nope/").status_code == 404
    assert client.get("/dodo-sandbox/checkout/cks_nope/").status_code == 404


def test_the_index_lists_only_this_sites_token(client, order, settings):
    payment = sandbox.pay(order.dodo_checkout_session_id, "pay")
    assert payment["payment_id"] in client.get("/dodo-sandbox/").content.decode()
    settings.DODO_SANDBOX_TOKEN = dodo.sandbox_token() + "-other"
    assert payment["payment_id"] not in client.get("/dodo-sandbox/").content.decode()
