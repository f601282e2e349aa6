"""What real Dodo can do to a payment, as sandbox operations.

The hosted checkout's buttons, the payment control page and the test helpers
(``testing``) all call these; each changes the stored objects as Dodo would and
sends the event Dodo sends (names from the SDK's ``WebhookEventType``). Call them
with the owner of the objects bound (``store.bound``).
"""

from __future__ import annotations

from typing import Any

from . import objects, store
from .events import event_enqueue

# Hosted checkout buttons: outcome -> the payment's status.
CHECKOUT_OUTCOMES = {
    "pay": "succeeded",
    "discount": "succeeded",
    "currency": "succeeded",
    "processing": "processing",
    "decline": "failed",
    "cancel": "cancelled",
}
# The discount code a buyer "enters" on the hosted page: 20 % (basis points).
DISCOUNT_CODE = "SANDBOX20"
DISCOUNT_BPS = 2000
# Fixed sandbox rates, minor units of the buyer's currency per unit of the merchant's.
RATES = {("USD", "EUR"): 0.92, ("EUR", "USD"): 1.09, ("USD", "GBP"): 0.79}
# What the next refund of a payment does: its status from ``refunds.create``, then
# the status it ends in at once (an event), or None to wait for the control page.
REFUND_PLANS = {
    "succeeded": ("succeeded", "succeeded"),
    "pending": ("pending", None),
    "review": ("review", None),
    "failed": ("pending", "failed"),
}
DISPUTE_STATUSES = (
    "opened", "challenged", "won", "lost", "expired", "accepted", "cancelled",
)  # fmt: skip
DISPUTE_FINAL = {"won", "lost", "expired", "accepted", "cancelled"}


class SandboxError(ValueError):
    """An operation real Dodo would refuse (wrong state, unknown object)."""


def _save_payment(payment: dict[str, Any]) -> None:
    payment["updated_at"] = store.now_iso()
    store.put("payment", payment["payment_id"], payment)


def _payment(payment_id: str) -> dict[str, Any]:
    payment = store.get("payment", payment_id)
    if payment is None:
        raise SandboxError(f"No payment {payment_id}")
    return payment


def _discount(payment: dict[str, Any]) -> None:
    """A percentage code applied on the hosted page: both totals go down."""
    off = payment["total_amount"] * DISCOUNT_BPS // 10_000
    discount_id = store.new_id("dsc")
    payment["discount_id"] = discount_id
    payment["discounts"] = [
        {
            "discount_id": discount_id,
            "business_id": store.BUSINESS_ID,
            "code": DISCOUNT_CODE,
            "name": "Sandbox 20 % off",
            "type": "percentage",
            "amount": DISCOUNT_BPS,
            "position": 0,
            "preserve_on_plan_change": False,
            "restricted_to": [i["product_id"] for i in payment["product_cart"]],
            "times_used": 1,
            "usage_limit": None,
            "expires_at": None,
            "metadata": {},
            "created_at": store.now_iso(),
        }
    ]
    payment["total_amount"] -= off
    payment["settlement_amount"] -= off


def _other_currency(payment: dict[str, Any]) -> None:
    """Adaptive currency: the buyer pays in another currency; the merchant is
    credited the full price in their own (``settlement_*``)."""
    merchant = payment["settlement_currency"]
    buyer = "EUR" if merchant != "EUR" else "USD"
    rate = RATES[(merchant, buyer)]
    payment["currency"] = buyer
    payment["total_amount"] = round(payment["settlement_amount"] * rate)


def checkout_pay(session: dict[str, Any], outcome: str) -> dict[str, Any]:
    """The buyer pressed ``outcome`` on the hosted page: the payment and its event."""
    status = CHECKOUT_OUTCOMES[outcome]
    payment = objects.payment(session, status)
    from .discounts import payment_apply

    # Codes the session was opened with apply first (Dodo's stacking order).
    payment_apply(payment, session.get("discount_ids") or [])
    if outcome == "discount":
        _discount(payment)
    elif outcome == "currency":
        _other_currency(payment)
    store.put("payment", payment["payment_id"], payment)
    session.update(payment_id=payment["payment_id"], payment_status=status)
    store.put("checkout_session", session["id"], session)
    event_enqueue(event_type=f"payment.{status}", data=payment)
    if status == "succeeded":
        license_keys_issue(payment)
    return payment


def payment_settle(payment_id: str, status: str) -> dict[str, Any]:
    """A processing payment ends: ``succeeded`` or ``failed``."""
    payment = _payment(payment_id)
    if payment["status"] != "processing":
        raise SandboxError("Only a processing payment can still succeed or fail")
    if status not in ("succeeded", "failed"):
        raise SandboxError(f"Unknown payment outcome {status}")
    payment["status"] = status
    charged = status == "succeeded"
    payment.update(
        tax=0 if charged else None,
        settlement_tax=0 if charged else None,
        payment_method="card" if charged else None,
        payment_method_type="credit" if charged else None,
        card_last_four="4242" if charged else None,
        card_network="VISA" if charged else None,
        error_code=None if charged else "INSUFFICIENT_FUNDS",
        error_message=None if charged else "Insufficient funds (sandbox).",
    )
    _save_payment(payment)
    session_id = payment.get("checkout_session_id")
    session = store.get("checkout_session", session_id) if session_id else None
    if session is not None:
        session["payment_status"] = status
        store.put("checkout_session", session_id, session)
    event_enqueue(event_type=f"payment.{status}", data=payment)
    if charged:
        license_keys_issue(payment)
    return payment


def _plan_id(payment_id: str) -> str:
    return f"plan_{payment_id}"


def refund_plan_set(payment_id: str, plan: str) -> None:
    """What the payment's next refunds do (see ``REFUND_PLANS``)."""
    _payment(payment_id)
    if plan not in REFUND_PLANS:
        raise SandboxError(f"Unknown refund plan {plan}")
    store.put("refund_plan", _plan_id(payment_id), {"plan": plan})


def refund_plan(payment_id: str) -> str:
    plan = store.get("refund_plan", _plan_id(payment_id))
    return plan["plan"] if plan else "succeeded"


def refund_create(
    payment: dict[str, Any],
    *,
    amount: int,
    reason: str | None,
    metadata: dict[str, Any] | None,
) -> dict[str, Any]:
    """``refunds.create``: the refund as Dodo first reports it (its status per plan)."""
    first, then = REFUND_PLANS[refund_plan(payment["payment_id"])]
    refund = objects.refund(
        payment, amount=amount, status=first, reason=reason, metadata=metadata
    )
    objects.payment_refunds_set(payment, refund)
    store.put("payment", payment["payment_id"], payment)
    store.put("refund", refund["refund_id"], refund)
    answer = dict(refund)
    if then == "succeeded":
        event_enqueue(event_type="refund.succeeded", data=refund)
    elif then is not None:
        refund_settle(refund["refund_id"], then)
    return answer


def refund_settle(refund_id: str, status: str) -> dict[str, Any]:
    """A pending or in-review refund ends: ``succeeded`` or ``failed``."""
    refund = store.get("refund", refund_id)
    if refund is None:
        raise SandboxError(f"No refund {refund_id}")
    if refund["status"] not in ("pending", "review"):
        raise SandboxError("Only a pending or in-review refund can still end")
    if status not in ("succeeded", "failed"):
        raise SandboxError(f"Unknown refund outcome {status}")
    refund["status"] = status
    store.put("refund", refund_id, refund)
    payment = _payment(refund["payment_id"])
    objects.payment_refunds_set(payment, refund)
    store.put("payment", payment["payment_id"], payment)
    event_enqueue(event_type=f"refund.{status}", data=refund)
    return refund


def dispute_move(payment_id: str, status: str) -> dict[str, Any]:
    """``opened`` starts a dispute on a succeeded payment; every other status moves
    its open dispute on (``challenged`` keeps it open; the rest close it)."""
    if status not in DISPUTE_STATUSES:
        raise SandboxError(f"Unknown dispute status {status}")
    payment = _payment(payment_id)
    open_disputes = [
        d
        for d in payment["disputes"]
        if d["dispute_status"].removeprefix("dispute_") not in DISPUTE_FINAL
    ]
    if status == "opened":
        if payment["status"] != "succeeded":
            raise SandboxError("Only a succeeded payment can be disputed")
        if open_disputes:
            raise SandboxError("The payment already has an open dispute")
        dispute = objects.dispute(payment, status="dispute_opened", stage="dispute")
    else:
        if not open_disputes:
            raise SandboxError("The payment has no open dispute")
        dispute = open_disputes[-1]
        if status == "challenged" and dispute["dispute_status"] != "dispute_opened":
            raise SandboxError("Only an opened dispute can be challenged")
        dispute["dispute_status"] = f"dispute_{status}"
    payment["disputes"] = [
        d for d in payment["disputes"] if d["dispute_id"] != dispute["dispute_id"]
    ] + [dispute]
    _save_payment(payment)
    store.put("dispute", dispute["dispute_id"], dispute)
    event_enqueue(event_type=f"dispute.{status}", data=dispute)
    return dispute


def license_keys_issue(payment: dict[str, Any]) -> list[dict[str, Any]]:
    """A succeeded payment: a key for each product with keys on, and its event."""
    issued = []
    for item in payment.get("product_cart") or []:
        product = store.get("product", item["product_id"])
        if product is None or not product.get("license_key_enabled"):
            continue
        key = objects.license_key(payment, product)
        store.put("license_key", key["id"], key)
        event_enqueue(event_type="license_key.created", data=key)
        issued.append(key)
    return issued
