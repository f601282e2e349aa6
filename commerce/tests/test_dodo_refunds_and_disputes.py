"""Refunds end (succeeded, pending, review, failed; partial); disputes as documented."""

import json

import httpx
import pytest

from commerce import services
from commerce.dodo import client as dodo
from commerce.dodo import refunds
from commerce.models import OrderStatus, PurchasedProduct, WebhookEvent
from commerce.services.disputes import DISPUTE_ACTIONS, DisputeAction
from commerce.tests.conftest import deliver, dispute_data, payment_data, refund_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(client, synced_order):
    response = deliver(client, "payment.succeeded", payment_data(synced_order))
    assert response.status_code == 200
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PAID
    return synced_order


def _access(order) -> bool:
    return PurchasedProduct.objects.active().filter(order=order).exists()


@pytest.fixture
def dodo_answers(monkeypatch):
    """Dodo's API answering ``POST /refunds`` with a chosen refund status.

    A test transport under the real SDK (request built and response parsed by
    ``dodopayments``); the requests it saw are returned for inspection.
    """
    seen: list[dict] = []
    answer: dict = {}

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append(body)
        if "error" in answer:
            return httpx.Response(answer["error"], json=answer["body"])
        items = body.get("items") or []
        return httpx.Response(
            200,
            json={
                "refund_id": f"rfd_{len(seen)}",
                "payment_id": body["payment_id"],
                "business_id": "bus_test",
                "brand_id": "bus_test",
                "created_at": "2026-01-01T00:00:00Z",
                "customer": {"customer_id": "cus_1", "email": "a@b.c", "name": "A"},
                "is_partial": bool(items),
                "metadata": {},
                "status": answer["status"],
                "amount": items[0]["amount"] if items else 2500,
                "currency": "USD",
                "reason": body.get("reason"),
            },
        )

    def http_client(base_url=None):
        return httpx.Client(
            transport=httpx.MockTransport(handle),
            base_url=base_url or dodo.sandbox_api_url(),
        )

    monkeypatch.setattr(dodo, "http_client", http_client)

    def set_answer(status=None, *, error=None, body=None):
        answer.clear()
        if error:
            answer.update(error=error, body=body)
        else:
            answer["status"] = status
        return seen

    return set_answer


# --- refunds -------------------------------------------------------------------


def test_refund_failed_returns_the_order_to_paid_and_staff_can_retry(
    client, paid_order, dodo_answers
):
    dodo_answers("pending")
    refunds.refund_request(order_id=paid_order.pk, reason="Asked by buyer")
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.REFUND_PENDING
    assert "processing refund rfd_1" in paid_order.refund_note
    assert _access(paid_order)

    failed = {**refund_data("pay_1"), "refund_id": "rfd_1", "status": "failed"}
    failed["reason"] = "Asked by buyer"
    assert deliver(client, "refund.failed", failed).status_code == 200
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.PAID
    assert "rfd_1 failed" in paid_order.refund_note
    assert _access(paid_order)
    assert WebhookEvent.objects.filter(event_type="refund.failed").get().outcome == (
        "processed"
    )

    # Staff retry; this time it succeeds and the buyer's access ends.
    dodo_answers("succeeded")
    refunds.refund_request(order_id=paid_order.pk)
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.REFUNDED
    assert paid_order.refund_note == ""
    assert not _access(paid_order)


@pytest.mark.parametrize(
    ("status", "order_status", "note"),
    [
        ("pending", OrderStatus.REFUND_PENDING, "processing"),
        ("review", OrderStatus.REFUND_PENDING, "manual review"),
        ("failed", OrderStatus.PAID, "failed at Dodo"),
        ("succeeded", OrderStatus.REFUNDED, ""),
    ],
)
def test_the_status_refunds_create_returns_is_read(
    paid_order, dodo_answers, status, order_status, note
):
    dodo_answers(status)
    refunds.refund_request(order_id=paid_order.pk)
    paid_order.refresh_from_db()
    assert paid_order.status == order_status
    assert note in paid_order.refund_note
    assert _access(paid_order) == (status != "succeeded")


def test_a_pending_refund_ends_with_its_success_webhook(
    client, paid_order, dodo_answers
):
    dodo_answers("review")
    refunds.refund_request(order_id=paid_order.pk)
    done = {**refund_data("pay_1", amount=paid_order.amount), "refund_id": "rfd_1"}
    deliver(client, "refund.succeeded", done)
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.REFUNDED
    assert not _access(paid_order)


def test_partial_refunds_name_the_item_and_are_checked_against_what_is_left(
    paid_order, dodo_answers
):
    seen = dodo_answers("succeeded")
    refunds.refund_request(order_id=paid_order.pk, amount=1000)
    assert seen[-1]["items"] == [{"item_id": "pdt_test", "amount": 1000}]
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.PARTIALLY_REFUNDED
    assert paid_order.refunded_amount == 1000
    assert _access(paid_order)

    left = paid_order.amount - 1000
    assert left == 1500
    with pytest.raises(services.RefundRefused, match=r"at most \$15\.00, what is left"):
        refunds.refund_request(order_id=paid_order.pk, amount=left + 1)
    assert len(seen) == 1  # refused before asking Dodo

    # The rest is asked for with an amount too (a plain full refund could repeat
    # what was refunded already).
    refunds.refund_request(order_id=paid_order.pk)
    assert seen[-1]["items"] == [{"item_id": "pdt_test", "amount": left}]
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.REFUNDED
    assert not _access(paid_order)
    with pytest.raises(services.RefundRefused):
        refunds.refund_request(order_id=paid_order.pk)


def test_dodo_refusing_a_refund_leaves_the_order_refundable_with_its_reason(
    paid_order, dodo_answers
):
    dodo_answers(
        error=422, body={"code": "REFUND_WINDOW", "message": "Older than 30 days"}
    )
    with pytest.raises(dodo.DodoError):
        refunds.refund_request(order_id=paid_order.pk)
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.PAID
    assert "Older than 30 days" in paid_order.refund_note


def test_admin_partial_refund(client, paid_order, dodo_answers):
    from accounts.tests.factories import StaffFactory

    seen = dodo_answers("succeeded")
    client.force_login(StaffFactory())
    url = f"/admin/commerce/orders/{paid_order.pk}/refund/"
    page = client.get(url).content.decode()
    assert "left to refund" in page
    too_much = client.post(url, {"amount": "1000.00"}, follow=True)
    assert b"at most" in too_much.content
    assert not seen
    response = client.post(url, {"amount": "5.00"})
    assert response.status_code == 302
    assert seen[-1]["items"] == [{"item_id": "pdt_test", "amount": 500}]
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.PARTIALLY_REFUNDED
    assert paid_order.refunded_amount == 500


# --- disputes --------------------------------------------------------------------


def test_dispute_expired_revokes(client, paid_order):
    deliver(client, "dispute.opened", dispute_data("pay_1", "dispute_opened"))
    assert not _access(paid_order)
    deliver(client, "dispute.expired", dispute_data("pay_1", "dispute_expired"))
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.DISPUTED
    grant = PurchasedProduct.objects.get(order=paid_order)
    assert grant.revoked_at is not None
    # Final: a late "won" does not bring access back.
    deliver(client, "dispute.won", dispute_data("pay_1", "dispute_won"))
    grant.refresh_from_db()
    assert grant.revoked_at is not None


def test_the_dispute_table_covers_every_status_the_sdk_declares():
    from typing import get_args

    from dodopayments.types.dispute_status import DisputeStatus

    assert set(DISPUTE_ACTIONS) == set(get_args(DisputeStatus))
    assert DISPUTE_ACTIONS == {
        "dispute_opened": DisputeAction.SUSPEND,
        "dispute_challenged": DisputeAction.SUSPEND,
        "dispute_won": DisputeAction.RESTORE,
        "dispute_cancelled": DisputeAction.RESTORE,
        "dispute_lost": DisputeAction.REVOKE,
        "dispute_accepted": DisputeAction.REVOKE,
        "dispute_expired": DisputeAction.REVOKE,
    }


@pytest.mark.parametrize("status", sorted(DISPUTE_ACTIONS))
def test_each_dispute_status_after_an_open_dispute(client, paid_order, status):
    deliver(client, "dispute.opened", dispute_data("pay_1", "dispute_opened"))
    event = status.removeprefix("dispute_")
    response = deliver(client, f"dispute.{event}", dispute_data("pay_1", status))
    assert response.status_code == 200
    paid_order.refresh_from_db()
    grant = PurchasedProduct.objects.get(order=paid_order)
    action = DISPUTE_ACTIONS[status]
    if action is DisputeAction.SUSPEND:
        assert grant.suspended_at is not None and grant.revoked_at is None
        assert paid_order.status == OrderStatus.DISPUTED
    elif action is DisputeAction.RESTORE:
        assert grant.is_active
        assert paid_order.status == OrderStatus.PAID
    else:
        assert grant.revoked_at is not None
        assert paid_order.status == OrderStatus.DISPUTED
