"""Refunds: asked for by staff, ended by Dodo's answer or its refund webhook.

Amounts are in the order's currency (the merchant's settlement currency), minor
units. A refund starts by claiming the order (``refund pending``) so two staff
clicks cannot ask twice; Dodo's answer then says how it stands:

- ``succeeded``: recorded at once (the webhook that follows changes nothing);
- ``pending`` / ``review``: the order waits in ``refund pending`` with a note;
- ``failed`` (the answer or a ``refund.failed`` event): the order is back to paid
  (or partially refunded) with the reason shown, and staff can try again.
"""

from __future__ import annotations

from django.db import transaction

from commerce.models import NoticeKind, Order, OrderStatus
from commerce.money import format_money
from commerce.notices.services import order_notice_record
from commerce.refund_requests.services import (
    refund_request_reopen_after_failure,
    refund_requests_close_for_order,
)

from .orders import APPLIED, UNCHANGED, _flag, _locked, purchase_revoke
from .payments import RefundFacts

REFUNDABLE = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)
IN_PROGRESS_NOTES = {
    "pending": "Dodo is processing refund {refund_id}.",
    "review": "Dodo holds refund {refund_id} for manual review.",
}


class RefundRefused(ValueError):
    """The order cannot be refunded (not paid, nothing left, too much asked)."""


def refund_basis(order: Order) -> int:
    """What the merchant was credited for the order, in the order's currency."""
    if order.settlement_amount is not None:
        return order.settlement_amount
    if order.total_amount is not None and (order.paid_currency or order.currency) == (
        order.currency
    ):
        return order.total_amount
    return order.amount


def refundable_left(order: Order) -> int:
    return max(refund_basis(order) - order.refunded_amount, 0)


def _status_before_refund(order: Order) -> str:
    return OrderStatus.PARTIALLY_REFUNDED if order.refunded_amount else OrderStatus.PAID


@transaction.atomic
def order_refund_claim(*, order_id: int, amount: int | None) -> tuple[Order, int]:
    """Check and claim a refund of ``amount`` (None: all that is left).

    Returns the order and the amount to ask Dodo for. The order is ``refund
    pending`` from here until Dodo answers (``order_refund_started``) or the call
    fails (``order_refund_release``).
    """
    order = _locked(order_id)
    if order.status not in REFUNDABLE or not order.dodo_payment_id:
        raise RefundRefused("Only a paid order with a Dodo payment can be refunded.")
    left = refundable_left(order)
    if left <= 0:
        raise RefundRefused("Nothing is left to refund on this order.")
    if amount is None:
        amount = left
    if not 0 < amount <= left:
        raise RefundRefused(
            "The refund must be more than 0 and at most "
            f"{format_money(left, order.currency)}, what is left on this order."
        )
    order.status = OrderStatus.REFUND_PENDING
    order.refund_note = "Refund requested from Dodo."
    order.save(update_fields=["status", "refund_note", "updated_at"])
    return order, amount


@transaction.atomic
def order_refund_release(*, order_id: int, note: str) -> Order:
    """The refund call failed before Dodo took it: the order is refundable again."""
    order = _locked(order_id)
    if order.status == OrderStatus.REFUND_PENDING:
        order.status = _status_before_refund(order)
    order.refund_note = note[:2000]
    order.save(update_fields=["status", "refund_note", "updated_at"])
    return order


@transaction.atomic
def order_refund_started(*, order_id: int, refund: RefundFacts) -> str:
    """Apply the refund Dodo returned from ``refunds.create``."""
    if refund.status == "succeeded":
        return order_record_refund(order_id=order_id, refund=refund)
    if refund.status == "failed":
        return order_record_refund_failure(order_id=order_id, refund=refund)
    order = _locked(order_id)
    if refund.refund_id in order.dodo_refund_ids:
        return UNCHANGED  # its success webhook was faster than this answer
    template = IN_PROGRESS_NOTES.get(
        refund.status, "Dodo reports refund {refund_id} as {status}."
    )
    if order.status in REFUNDABLE:
        order.status = OrderStatus.REFUND_PENDING
    order.refund_note = template.format(
        refund_id=refund.refund_id, status=refund.status
    )
    order.save(update_fields=["status", "refund_note", "updated_at"])
    return APPLIED


def _in_order_currency(order: Order, refund: RefundFacts) -> int | None:
    """The refund's amount in the order's currency.

    Dodo refunds a converted payment in the buyer's currency; that part of what
    the buyer paid is the same part of the settlement.
    """
    if refund.amount is None:
        return None
    if not refund.currency or refund.currency == order.currency.upper():
        return refund.amount
    paid_currency = (order.paid_currency or "").upper()
    if refund.currency == paid_currency and order.total_amount:
        return round(refund.amount * refund_basis(order) / order.total_amount)
    _flag(
        order,
        f"refund {refund.refund_id} is in {refund.currency}, neither the order's "
        f"{order.currency} nor the buyer's {order.paid_currency or '?'}",
    )
    return refund.amount


@transaction.atomic
def order_record_refund(*, order_id: int, refund: RefundFacts) -> str:
    """A succeeded refund: a full one revokes access, a partial one is recorded."""
    order = _locked(order_id)
    if order.status == OrderStatus.REFUNDED or refund.refund_id in (
        order.dodo_refund_ids
    ):
        return UNCHANGED
    order.dodo_refund_ids = [*order.dodo_refund_ids, refund.refund_id]
    basis = refund_basis(order)
    if refund.is_partial:
        order.refunded_amount += _in_order_currency(order, refund) or 0
    else:
        order.refunded_amount = basis
    # Partial refunds that add up to what was paid are a full refund.
    fully_refunded = not refund.is_partial or order.refunded_amount >= basis
    order.status = (
        OrderStatus.REFUNDED if fully_refunded else OrderStatus.PARTIALLY_REFUNDED
    )
    order.refund_note = ""
    order.save(
        update_fields=[
            "dodo_refund_ids", "refunded_amount", "status", "refund_note",
            "updated_at", "review_reason",
        ]
    )  # fmt: skip
    if fully_refunded:
        purchase_revoke(order_id=order.pk, reason="refunded")
        refund_requests_close_for_order(
            order_id=order.pk,
            note=f"The order was refunded in full (Dodo refund {refund.refund_id}).",
        )
    _refund_notice_record(order, refund, full=fully_refunded)
    return APPLIED


def _refund_notice_record(order: Order, refund: RefundFacts, *, full: bool) -> None:
    """Tell the buyer what came back, in the currency Dodo refunded them in."""
    if refund.amount is not None and refund.currency:
        amount, currency = refund.amount, refund.currency
    elif not refund.is_partial and order.total_amount is not None:
        amount, currency = order.total_amount, order.paid_currency or order.currency
    else:
        amount, currency = None, ""
    order_notice_record(
        order=order,
        kind=NoticeKind.REFUND,
        event=refund.refund_id,
        data={"amount": amount, "currency": currency, "full": full},
    )


@transaction.atomic
def order_record_refund_failure(*, order_id: int, refund: RefundFacts) -> str:
    """A failed refund: the order is refundable again, with the reason shown."""
    order = _locked(order_id)
    if refund.refund_id in order.dodo_refund_ids:
        return UNCHANGED  # it succeeded; a stale failure changes nothing
    note = f"Refund {refund.refund_id} failed at Dodo"
    if refund.reason:
        note += f" (asked for: {refund.reason})"
    note += "; nothing was refunded and the order can be refunded again."
    if order.status != OrderStatus.REFUND_PENDING and order.refund_note == note:
        return UNCHANGED
    if order.status == OrderStatus.REFUND_PENDING:
        order.status = _status_before_refund(order)
    order.refund_note = note[:2000]
    order.save(update_fields=["status", "refund_note", "updated_at"])
    if order.status in REFUNDABLE:
        refund_request_reopen_after_failure(order_id=order.pk, note=note)
    return APPLIED
