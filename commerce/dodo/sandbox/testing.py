"""Test helpers: make the sandbox do what real Dodo does, and send the webhook now.

Each helper acts for the token that owns the object (as the sandbox's pages do)
and delivers the signed event to ``/webhooks/dodo/`` before returning (through
``commerce.dodo.client.http_client``: in-process in tests, over HTTP otherwise),
so a test can assert on the store right after::

    payment = sandbox.pay(order.dodo_checkout_session_id, "currency")
    sandbox.refund_plan_set(payment["payment_id"], "failed")
    sandbox.dispute(payment["payment_id"], "opened")

Outcomes and statuses are those of ``outcomes`` (``CHECKOUT_OUTCOMES``,
``REFUND_PLANS``, ``DISPUTE_STATUSES``).
"""

from __future__ import annotations

from typing import Any

from . import outcomes, store
from .events import delivered_at_once
from .models import SandboxObject


def _owner(kind: str, object_id: str) -> str:
    owner = store.owner_by_id(kind, object_id)
    if owner is None:
        raise outcomes.SandboxError(f"No sandbox {kind} {object_id}")
    return owner


def pay(session_id: str, outcome: str = "pay") -> dict[str, Any]:
    """The buyer's choice on the hosted page (``pay``, ``discount``, ``currency``,
    ``processing``, ``decline``, ``cancel``); returns the payment."""
    with store.bound(_owner("checkout_session", session_id)), delivered_at_once():
        session = store.get("checkout_session", session_id)
        if session["payment_status"] in ("succeeded", "processing"):
            raise outcomes.SandboxError("The checkout session is already paid")
        return outcomes.checkout_pay(session, outcome)


def payment_settle(payment_id: str, status: str) -> dict[str, Any]:
    """A processing payment ends ``succeeded`` or ``failed``."""
    with store.bound(_owner("payment", payment_id)), delivered_at_once():
        return outcomes.payment_settle(payment_id, status)


def refund_plan_set(payment_id: str, plan: str) -> None:
    """What the payment's next ``refunds.create`` does: ``succeeded``, ``pending``,
    ``review`` or ``failed`` (reported pending, then ``refund.failed``)."""
    with store.bound(_owner("payment", payment_id)):
        outcomes.refund_plan_set(payment_id, plan)


def refund_settle(refund_id: str, status: str) -> dict[str, Any]:
    """A pending or in-review refund ends ``succeeded`` or ``failed``."""
    with store.bound(_owner("refund", refund_id)), delivered_at_once():
        return outcomes.refund_settle(refund_id, status)


def dispute(payment_id: str, status: str) -> dict[str, Any]:
    """``opened`` starts a dispute; ``challenged``, ``won``, ``lost``, ``expired``,
    ``accepted``, ``cancelled`` move it on. Returns the dispute."""
    with store.bound(_owner("payment", payment_id)), delivered_at_once():
        return outcomes.dispute_move(payment_id, status)


def sent() -> list[dict[str, Any]]:
    """Every event the sandbox has sent, oldest first (``type``, ``data``,
    ``deliveries`` with our endpoint's answers)."""
    return [
        row.data for row in SandboxObject.objects.filter(kind="webhook").order_by("id")
    ]
