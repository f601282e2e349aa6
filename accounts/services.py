"""Writes to accounts: registration, verification, profile and password changes."""

from __future__ import annotations

import enum

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from access import roles
from outbox.services import enqueue

from .models import (
    SellerApplication,
    SellerApplicationStatus,
    User,
    normalize_email_address,
)
from .tasks import (
    magic_link_email_send_task,
    password_reset_email_send_task,
    registration_existing_email_send_task,
    seller_application_decision_email_task,
    verification_email_send_task,
)
from .tokens import VERIFICATION_RESEND_INTERVAL


class VerificationSend(enum.Enum):
    SENT = "sent"
    ALREADY_VERIFIED = "already_verified"
    TOO_SOON = "too_soon"


@transaction.atomic
def user_register(*, email: str, full_name: str, password: str) -> User | None:
    """Create a customer account and send the verification e-mail once committed.

    When the address has an account already nothing is created: its owner gets
    an e-mail saying someone tried (sign in or reset the password), and the
    caller gets ``None`` but must answer exactly as for a new account.
    """
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        # Hash anyway, so the answer takes as long as creating an account would.
        make_password(password)
        enqueue(registration_existing_email_send_task, existing.pk)
        return None
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, is_customer=True
    )
    verification_email_request(user=user)
    return user


@transaction.atomic
def verification_email_request(*, user: User) -> VerificationSend:
    """Queue a verification e-mail unless verified or a recent link is still live."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.email_verified:
        return VerificationSend.ALREADY_VERIFIED
    now = timezone.now()
    sent_at = locked.verification_sent_at
    if sent_at is not None and now - sent_at < VERIFICATION_RESEND_INTERVAL:
        return VerificationSend.TOO_SOON
    locked.verification_sent_at = now
    locked.save(update_fields=["verification_sent_at"])
    user.verification_sent_at = now
    enqueue(verification_email_send_task, user.pk)
    return VerificationSend.SENT


@transaction.atomic
def user_verify_email(*, user: User) -> None:
    """Mark the address as verified; this also invalidates every verification link."""
    user.email_verified = True
    user.save(update_fields=["email_verified"])


@transaction.atomic
def user_update_profile(
    *, user: User, full_name: str, product_update_emails: bool | None = None
) -> User:
    """Change what a user may change about themselves: the name, not the e-mail,
    and whether new releases of what they bought are e-mailed to them."""
    user.full_name = full_name.strip()
    fields = ["full_name"]
    if product_update_emails is not None:
        user.product_update_emails = product_update_emails
        fields.append("product_update_emails")
    user.save(update_fields=fields)
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str) -> None:
    """Set a new password; the session hash changes, so every session ends."""
    user.set_password(password)
    user.save(update_fields=["password"])


def password_reset_request(*, users) -> None:
    """Queue a reset e-mail for each matching account (outbox: sent once committed)."""
    for user in users:
        enqueue(password_reset_email_send_task, user.pk)


class SellerApplicationRefused(ValueError):
    """The application cannot be made or decided (already a seller, not pending)."""


@transaction.atomic
def seller_application_submit(
    *, user: User, seller_name: str, offer: str
) -> SellerApplication:
    """A customer applies to sell; at most one application waits per user."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if roles.is_seller(locked):
        raise SellerApplicationRefused("You are a seller already.")
    if SellerApplication.objects.filter(
        user=locked, status=SellerApplicationStatus.PENDING
    ).exists():
        raise SellerApplicationRefused("Your application is already waiting.")
    return SellerApplication.objects.create(
        user=locked, seller_name=seller_name.strip(), offer=offer.strip()
    )


def _pending_locked(application_id: int) -> SellerApplication:
    application = (
        SellerApplication.objects.select_for_update()
        .select_related("user")
        .get(pk=application_id)
    )
    if application.status != SellerApplicationStatus.PENDING:
        raise SellerApplicationRefused(
            f"This application was {application.get_status_display().lower()} already."
        )
    return application


@transaction.atomic
def seller_application_approve(
    *, application_id: int, decided_by: User, note: str = ""
) -> SellerApplication:
    """Make the applicant a seller (the Sellers group) and tell them by e-mail."""
    application = _pending_locked(application_id)
    user = application.user
    user.is_seller = True
    if not user.full_name:
        user.full_name = application.seller_name
    user.save(update_fields=["is_seller", "full_name"])  # joins the Sellers group
    return _decide(application, SellerApplicationStatus.APPROVED, decided_by, note)


@transaction.atomic
def seller_application_decline(
    *, application_id: int, decided_by: User, note: str = ""
) -> SellerApplication:
    """Decline, with an optional note; the applicant is told and may apply again."""
    application = _pending_locked(application_id)
    return _decide(application, SellerApplicationStatus.DECLINED, decided_by, note)


def _decide(application, status, decided_by, note) -> SellerApplication:
    application.status = status
    application.decided_by = decided_by
    application.decided_at = timezone.now()
    application.decision_note = note.strip()
    application.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note"]
    )
    enqueue(seller_application_decision_email_task, application.pk)
    return application


@transaction.atomic
def magic_link_request(*, email: str) -> None:
    """Queue a one-time sign-in link for the active account with this address.

    Nothing happens for an unknown address; the caller answers the same either
    way, so the form tells nobody which addresses have accounts.
    """
    user = User.objects.filter(
        email=normalize_email_address(email), is_active=True
    ).first()
    if user is not None:
        enqueue(magic_link_email_send_task, user.pk)
