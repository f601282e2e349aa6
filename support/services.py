"""Writes for paid support. ``support_request_transition`` owns the state machine."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from access import policy
from commerce.models import PurchasedProduct
from outbox.services import enqueue

from . import tasks
from .models import (
    STATUS_TIMESTAMP_FIELDS,
    SellerSupportSettings,
    SupportMessage,
    SupportRequest,
    SupportStatus,
    SupportTransition,
)

S = SupportStatus

# The whole state machine: (role, from) -> the statuses that role may move to.
SELLER_MOVES: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.DISCUSSING, S.CANCELLED}),
    S.DISCUSSING: frozenset({S.PAYMENT, S.CANCELLED}),
    S.PAYMENT: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    # The seller marks the request completed once the work is delivered; the
    # customer may reopen it by replying within SUPPORT_REOPEN_DAYS.
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.CANCELLED}),
}
CUSTOMER_MOVES: dict[str, frozenset[str]] = {
    # "Early stages" only: once payment is being arranged the seller decides.
    S.NEW: frozenset({S.CANCELLED}),
    S.DISCUSSING: frozenset({S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED}),
}


class SupportError(ValidationError):
    """A support action refused by the rules; the message is shown to the user."""


class SupportNotAllowed(SupportError):
    """No active purchase, or the user has no role on the request."""


class SupportDuplicateActive(SupportError):
    """The customer already has an active request for this product."""

    def __init__(self, message: str, *, existing: SupportRequest | None = None):
        super().__init__(message, code="duplicate_active")
        self.existing = existing


class SupportClosed(SupportError):
    """Completed and cancelled requests are final."""


class SupportTransitionRefused(SupportError):
    """The move is not in the state machine for this user."""


def support_user_is_seller_of(*, user, support_request: SupportRequest) -> bool:
    """Does ``user`` handle this request (the product's seller, or staff)?"""
    return policy.record_visible_to(user, support_request)


def support_user_is_customer_of(*, user, support_request: SupportRequest) -> bool:
    return getattr(user, "pk", None) == support_request.customer_id


def support_request_allowed_moves(
    *, support_request: SupportRequest, user
) -> list[str]:
    """The statuses ``user`` may move the request to now, in state-machine order."""
    allowed: set[str] = set()
    if support_user_is_seller_of(user=user, support_request=support_request):
        allowed |= SELLER_MOVES.get(support_request.status, frozenset())
    if support_user_is_customer_of(user=user, support_request=support_request):
        allowed |= CUSTOMER_MOVES.get(support_request.status, frozenset())
    return [status for status in SupportStatus.values if status in allowed]


def _ensure_open(support_request: SupportRequest) -> None:
    if support_request.is_closed:
        raise SupportClosed(
            f"This request is {support_request.get_status_display().lower()} "
            "and can no longer be changed.",
            code="closed",
        )


def _lock(support_request: SupportRequest) -> SupportRequest:
    return (
        SupportRequest.objects.select_for_update()
        .select_related("product")
        .get(pk=support_request.pk)
    )


@transaction.atomic
def support_request_create(
    *, customer, product, subject: str, message: str
) -> SupportRequest:
    """Open a request for a product the customer owns; notifies the seller."""
    purchase = (
        PurchasedProduct.objects.active()
        .filter(user=customer, product=product)
        .order_by("-granted_at", "-pk")
        .first()
    )
    if purchase is None:
        raise SupportNotAllowed(
            "Support is available only for products you own.", code="no_purchase"
        )
    existing = (
        SupportRequest.objects.active()
        .filter(customer=customer, product=product)
        .first()
    )
    if existing is not None:
        raise SupportDuplicateActive(
            "You already have an open support request for this product.",
            existing=existing,
        )
    support_request = SupportRequest(
        customer=customer,
        product=product,
        purchase=purchase,
        subject=subject.strip(),
        message=message.strip(),
    )
    try:
        # A concurrent submit can pass the check above; the constraint decides.
        with transaction.atomic():
            support_request.save()
    except IntegrityError as err:
        raise SupportDuplicateActive(
            "You already have an open support request for this product."
        ) from err
    SupportTransition.objects.create(
        request=support_request, actor=customer, from_status="", to_status=S.NEW
    )
    pk = support_request.pk
    enqueue(tasks.support_seller_telegram_task, pk)
    enqueue(tasks.support_seller_email_task, pk)
    return support_request


@transaction.atomic
def support_request_transition(
    *, support_request: SupportRequest, actor, to_status: str
) -> SupportRequest:
    """Move a request to ``to_status`` if the state machine allows it for ``actor``."""
    locked = _lock(support_request)
    is_seller = support_user_is_seller_of(user=actor, support_request=locked)
    is_customer = support_user_is_customer_of(user=actor, support_request=locked)
    if not (is_seller or is_customer):
        raise SupportNotAllowed("You cannot change this request.", code="no_role")
    _ensure_open(locked)
    if to_status not in support_request_allowed_moves(
        support_request=locked, user=actor
    ):
        raise SupportTransitionRefused(
            f"A request that is {locked.get_status_display().lower()} cannot be "
            f"moved to {SupportStatus(to_status).label.lower()} by you."
            if to_status in SupportStatus.values
            else "Unknown status.",
            code="illegal_transition",
        )
    from_status = locked.status
    locked.status = to_status
    setattr(locked, STATUS_TIMESTAMP_FIELDS[to_status], timezone.now())
    # A move is activity: ``updated_at`` is what the idle auto-close looks at.
    locked.save(
        update_fields=["status", STATUS_TIMESTAMP_FIELDS[to_status], "updated_at"]
    )
    transition = SupportTransition.objects.create(
        request=locked, actor=actor, from_status=from_status, to_status=to_status
    )
    enqueue(tasks.support_status_email_task, transition.pk)
    # Reflect the change on the caller's instance too.
    support_request.status = locked.status
    support_request.updated_at = locked.updated_at
    for field in STATUS_TIMESTAMP_FIELDS.values():
        setattr(support_request, field, getattr(locked, field))
    return locked


@transaction.atomic
def support_request_update_details(
    *, support_request: SupportRequest, actor, meeting_link: str, internal_notes: str
) -> SupportRequest:
    """The seller's meeting link and internal notes; refused once the request closed."""
    locked = _lock(support_request)
    if not support_user_is_seller_of(user=actor, support_request=locked):
        raise SupportNotAllowed("Only the seller can change this.", code="no_role")
    _ensure_open(locked)
    locked.meeting_link = meeting_link.strip()
    locked.internal_notes = internal_notes
    locked.full_clean(exclude=["customer", "product", "purchase"])
    locked.save(update_fields=["meeting_link", "internal_notes", "updated_at"])
    return locked


@transaction.atomic
def support_message_add(
    *, support_request: SupportRequest, author, body: str
) -> SupportMessage:
    """Add to the conversation while the request is active; notifies the other side."""
    locked = _lock(support_request)
    is_seller = support_user_is_seller_of(user=author, support_request=locked)
    is_customer = support_user_is_customer_of(user=author, support_request=locked)
    if not (is_seller or is_customer):
        raise SupportNotAllowed("You cannot write on this request.", code="no_role")
    reopen = is_customer and locked.is_reopenable
    if not reopen:
        _ensure_open(locked)
    body = body.strip()
    if not body:
        raise SupportError("Write a message first.", code="empty")
    if reopen:
        _reopen(locked, customer=author)
        support_request.status = locked.status
    message = SupportMessage.objects.create(request=locked, author=author, body=body)
    locked.save(update_fields=["updated_at"])
    pk, message_pk = locked.pk, message.pk
    if is_customer:
        enqueue(tasks.support_seller_telegram_task, pk, message_pk)
        enqueue(tasks.support_seller_email_task, pk, message_pk)
    else:
        enqueue(tasks.support_customer_message_email_task, message_pk)
    return message


@transaction.atomic
def seller_support_settings_update(
    *, seller, telegram_chat_id: str, payment_instructions: str
) -> SellerSupportSettings:
    """Create or update the seller's own support settings."""
    settings_row, _ = SellerSupportSettings.objects.select_for_update().get_or_create(
        seller=seller
    )
    settings_row.telegram_chat_id = telegram_chat_id.strip()
    settings_row.payment_instructions = payment_instructions.strip()
    settings_row.save()
    return settings_row


def _reopen(locked: SupportRequest, *, customer) -> None:
    """The customer's reply within the reopen window puts the work back in progress."""
    locked.status = S.IN_PROGRESS
    locked.in_progress_at = timezone.now()
    locked.completed_at = None
    locked.save(
        update_fields=["status", "in_progress_at", "completed_at", "updated_at"]
    )
    SupportTransition.objects.create(
        request=locked,
        actor=customer,
        from_status=S.COMPLETED,
        to_status=S.IN_PROGRESS,
        note="Reopened by the customer's reply",
    )


def support_requests_idle(*, now=None):
    """Active requests with no activity for ``SUPPORT_AUTO_CLOSE_DAYS``."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SUPPORT_AUTO_CLOSE_DAYS)
    return SupportRequest.objects.active().filter(updated_at__lt=cutoff)


def support_requests_close_idle(*, now=None) -> int:
    """Close every idle active request (the Beat task); returns how many closed.

    Each is closed in its own transaction after a re-check under the row lock, so
    a message that arrives meanwhile keeps its request open.
    """
    closed = 0
    for pk in support_requests_idle(now=now).values_list("pk", flat=True):
        closed += _close_idle(pk, now=now)
    return closed


@transaction.atomic
def _close_idle(pk: int, *, now=None) -> int:
    locked = support_requests_idle(now=now).select_for_update().filter(pk=pk).first()
    if locked is None:
        return 0
    days = settings.SUPPORT_AUTO_CLOSE_DAYS
    from_status = locked.status
    locked.status = S.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at", "updated_at"])
    transition = SupportTransition.objects.create(
        request=locked,
        actor=None,
        from_status=from_status,
        to_status=S.CANCELLED,
        note=f"Closed automatically after {days} days without activity",
    )
    enqueue(tasks.support_status_email_task, transition.pk)
    return 1
