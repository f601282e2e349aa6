"""Refund requests: opened by the buyer within the product's window, decided by
the seller or staff. Approval refunds through Dodo (``commerce.dodo.refunds``);
either decision tells the buyer by e-mail (an ``OrderNotice`` through the outbox).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.panel_cache import panel_changed
from commerce.models import NoticeKind, OrderStatus, PurchasedProduct
from commerce.notices.services import order_notice_record

from .models import RefundRequest, RefundRequestStatus


class RefundRequestRefused(ValueError):
    """The request cannot be opened or decided; the message says why."""


def refund_window_ends(purchase: PurchasedProduct):
    """When the purchase's refund window closes (None: the product has none)."""
    days = purchase.product.refund_window_days
    if not days:
        return None
    start = purchase.order.paid_at or purchase.granted_at
    return start + timedelta(days=days)


def refund_request_refusal(purchase: PurchasedProduct, *, now=None) -> str:
    """Why the buyer may not ask for a refund of this purchase now, or ""."""
    now = now or timezone.now()
    ends = refund_window_ends(purchase)
    if ends is None:
        return "This product is not refundable."
    if ends <= now:
        return "The refund window of this purchase has closed."
    if not purchase.is_active or purchase.order.status != OrderStatus.PAID:
        return "This purchase cannot be refunded."
    return ""


@transaction.atomic
def refund_request_open(*, user, purchase_id: int, reason: str) -> RefundRequest:
    """Open the buyer's request; raises ``RefundRequestRefused`` (or LookupError
    for a purchase that is not the user's)."""
    purchase = (
        PurchasedProduct.objects.select_for_update(of=("self",))
        .select_related("product", "order")
        .filter(pk=purchase_id, user=user)
        .first()
    )
    if purchase is None:
        raise LookupError("No such purchase")
    refusal = refund_request_refusal(purchase)
    if refusal:
        raise RefundRequestRefused(refusal)
    reason = reason.strip()
    if not reason:
        raise RefundRequestRefused("Tell the seller why you want a refund.")
    try:
        with transaction.atomic():
            return RefundRequest.objects.create(
                purchase=purchase,
                order=purchase.order,
                user=user,
                reason=reason[:2000],
            )
    except IntegrityError as err:
        raise RefundRequestRefused(
            "A refund request for this purchase is already open."
        ) from err


def _locked_open(request_id: int) -> RefundRequest:
    found = (
        RefundRequest.objects.select_for_update(of=("self",))
        .select_related("order")
        .get(pk=request_id)
    )
    if found.status != RefundRequestStatus.OPEN:
        raise RefundRequestRefused(f"This request is already {found.status}.")
    return found


@transaction.atomic
def refund_request_decline(*, request_id: int, by, note: str = "") -> RefundRequest:
    """Decline an open request and tell the buyer why."""
    found = _locked_open(request_id)
    found.status = RefundRequestStatus.DECLINED
    found.decided_by = by
    found.decided_at = timezone.now()
    found.decision_note = note.strip()[:2000]
    found.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    order_notice_record(
        order=found.order,
        kind=NoticeKind.REFUND_DECLINED,
        event=str(found.pk),
        data={"note": found.decision_note},
    )
    return found


@transaction.atomic
def _claim(request_id: int, by) -> RefundRequest:
    found = _locked_open(request_id)
    found.status = RefundRequestStatus.APPROVED
    found.decided_by = by
    found.decided_at = timezone.now()
    found.refund_error = ""
    found.save(update_fields=["status", "decided_by", "decided_at", "refund_error"])
    return found


@transaction.atomic
def _reopen(request_id: int, error: str) -> None:
    # The buyer's library shows an open request (QuerySet.update sends no signal).
    panel_changed(
        *RefundRequest.objects.filter(pk=request_id).values_list("user_id", flat=True)
    )
    RefundRequest.objects.filter(pk=request_id).update(
        status=RefundRequestStatus.OPEN,
        decided_by=None,
        decided_at=None,
        refund_error=error[:2000],
    )


def refund_requests_close_for_order(*, order_id: int, note: str) -> int:
    """Close the order's open requests: its money went back another way.

    Called in the transaction that records a full refund (or a lost dispute), so
    the seller is not left a request to approve that would only refund nothing,
    and the buyer is told once, by that refund's (or dispute's) own notice.
    Returns how many requests were closed.
    """
    open_requests = RefundRequest.objects.filter(
        order_id=order_id, status=RefundRequestStatus.OPEN
    )
    # The buyer's library shows an open request (QuerySet.update sends no signal).
    panel_changed(*open_requests.values_list("user_id", flat=True))
    return open_requests.update(
        status=RefundRequestStatus.CLOSED,
        decided_at=timezone.now(),
        decision_note=note[:2000],
        refund_error="",
    )


def refund_request_reopen_after_failure(*, order_id: int, note: str) -> bool:
    """The refund an approval asked for failed at Dodo: the request is open again.

    Called in the transaction that records the failure, once the order is
    refundable again. The seller sees Dodo's reason on the request and may approve
    once more; approving again records no second "approved" e-mail (the notice is
    per request). Returns whether a request was reopened.
    """
    found = (
        RefundRequest.objects.filter(
            order_id=order_id, status=RefundRequestStatus.APPROVED
        )
        .order_by("-decided_at", "-pk")
        .first()
    )
    if found is None:
        return False
    if RefundRequest.objects.filter(
        purchase_id=found.purchase_id, status=RefundRequestStatus.OPEN
    ).exists():
        return False  # the buyer has asked again meanwhile: that one is open
    panel_changed(found.user_id)
    RefundRequest.objects.filter(pk=found.pk).update(
        status=RefundRequestStatus.OPEN,
        decided_by=None,
        decided_at=None,
        refund_error=note[:2000],
    )
    return True


def refund_request_approve(*, request_id: int, by) -> RefundRequest:
    """Approve: refund the whole order through Dodo, then tell the buyer.

    The request is claimed first (a second click finds it approved); if Dodo
    refuses or cannot be reached, or the order cannot be refunded, the request is
    open again with the error, and the error is raised.
    """
    from commerce.dodo import client as dodo
    from commerce.dodo.refunds import refund_request
    from commerce.services.refunds import RefundRefused

    found = _claim(request_id, by)
    try:
        refund_request(
            order_id=found.order_id,
            reason=f"Refund request #{found.pk}: {found.reason}"[:500],
        )
    except (RefundRefused, dodo.DodoError) as err:
        message = dodo.reason(err) if isinstance(err, dodo.DodoError) else str(err)
        _reopen(found.pk, message)
        raise
    found.refresh_from_db()
    if found.status == RefundRequestStatus.OPEN:
        # Dodo answered that the refund failed: reopened with its reason.
        raise RefundRefused(found.refund_error)
    with transaction.atomic():
        order_notice_record(
            order=found.order,
            kind=NoticeKind.REFUND_APPROVED,
            event=str(found.pk),
        )
    found.refresh_from_db()
    return found
