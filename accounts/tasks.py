"""Account e-mails, sent by Celery so a slow mail server never holds up a request.

Each task takes a user id, loads the row, builds the link at send time and renders
the HTML and text parts. Connection trouble, timeouts and 4xx SMTP replies are
transient and retried with backoff; a refused recipient or a 5xx reply is not
(``outbox.reliable``). A retried or redelivered task never sends its mail twice.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from outbox.reliable import reliable_task
from site_config.base_url import absolute_url

from .magic_links import magic_link_mint, magic_link_ttl
from .models import SellerApplication, SellerApplicationStatus, User
from .tokens import VERIFICATION_LINK_MAX_AGE, verification_token_make

logger = logging.getLogger(__name__)


RETRY_OPTIONS = {"effect": True, "backoff": 30, "backoff_max": 30 * 60}


def _send(*, template: str, to: str, context: dict) -> None:
    """Render ``accounts/email/<template>_{subject,body}`` and send both parts."""
    context = {"site_name": settings.WAGTAIL_SITE_NAME, **context}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    text = render_to_string(f"accounts/email/{template}_body.txt", context)
    html = render_to_string(f"accounts/email/{template}_body.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def _absolute(path: str) -> str:
    return absolute_url(path)


@reliable_task(name="accounts.verification_email_send", **RETRY_OPTIONS)
def verification_email_send_task(user_id: int) -> bool:
    """Send the verification link to a still unverified user."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email_verified:
        logger.info("verification e-mail skipped for user %s", user_id)
        return False
    token = verification_token_make(user)
    _send(
        template="verify_email",
        to=user.email,
        context={
            "user": user,
            "verify_url": _absolute(reverse("accounts:verify", args=[token])),
            "valid_hours": int(VERIFICATION_LINK_MAX_AGE.total_seconds() // 3600),
        },
    )
    return True


@reliable_task(name="accounts.password_reset_email_send", **RETRY_OPTIONS)
def password_reset_email_send_task(user_id: int) -> bool:
    """Send a one-time password reset link (Django's token, built at send time)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    _send(
        template="password_reset",
        to=user.email,
        context={
            "user": user,
            "reset_url": _absolute(path),
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )
    return True


@reliable_task(name="accounts.registration_existing_email_send", **RETRY_OPTIONS)
def registration_existing_email_send_task(user_id: int) -> bool:
    """Tell an account's owner that someone tried to register with their address."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    _send(
        template="registration_existing",
        to=user.email,
        context={
            "user": user,
            "login_url": _absolute(reverse("accounts:login")),
            "reset_url": _absolute(reverse("accounts:password_reset")),
        },
    )
    return True


@reliable_task(name="accounts.seller_application_decision_email", **RETRY_OPTIONS)
def seller_application_decision_email_task(application_id: int) -> bool:
    """Tell the applicant that their seller application was approved or declined."""
    application = (
        SellerApplication.objects.select_related("user")
        .filter(pk=application_id)
        .first()
    )
    if application is None or application.status == SellerApplicationStatus.PENDING:
        return False
    approved = application.status == SellerApplicationStatus.APPROVED
    _send(
        template="seller_approved" if approved else "seller_declined",
        to=application.user.email,
        context={
            "user": application.user,
            "application": application,
            "admin_url": _absolute(reverse("wagtailadmin_home")),
            "apply_url": _absolute(reverse("accounts:seller_apply")),
        },
    )
    return True


@reliable_task(name="accounts.magic_link_email_send", **RETRY_OPTIONS)
def magic_link_email_send_task(user_id: int) -> bool:
    """Mint a one-time sign-in link and e-mail it (the raw token only in the mail)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    token = magic_link_mint(user=user)
    _send(
        template="magic_link",
        to=user.email,
        context={
            "user": user,
            "link_url": _absolute(reverse("accounts:magic_link_open", args=[token])),
            "valid_minutes": int(magic_link_ttl().total_seconds() // 60),
        },
    )
    return True
