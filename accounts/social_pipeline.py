"""Steps of the Google sign-in pipeline (``SOCIAL_AUTH_PIPELINE`` in settings).

Google's own answer decides whether an address is proven: a new Google user becomes a
verified customer; an existing account is linked only when Google says the address is
verified, or anyone could claim an account by naming its address at a provider.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from access.roles import role_home_url

from .models import User, normalize_email_address
from .redirects import safe_redirect_url


def _google_verified(response: dict) -> bool:
    return response.get("email_verified") is True


def associate_by_verified_email(strategy, details, response, user=None, **kwargs):
    """Link an existing account with the same address, if Google verified it."""
    if user is not None:
        return None
    email = normalize_email_address(details.get("email", ""))
    existing = User.objects.filter(email=email).first() if email else None
    if existing is None:
        return None
    if not _google_verified(response):
        messages.error(
            strategy.request,
            "Google did not confirm this e-mail address, so we did not link it to "
            "your account. Log in with your password instead.",
        )
        return redirect(reverse("accounts:login"))
    if not existing.email_verified:
        # Nobody proved owning this address before: whoever registered it may not be
        # its owner. Google just proved the owner, so only Google signs in from now on
        # (the password dies, and sessions with it, via the session auth hash).
        existing.email_verified = True
        existing.set_unusable_password()
        existing.save(update_fields=["email_verified", "password"])
    return {"user": existing, "is_new": False}


def create_verified_customer(strategy, details, response, user=None, **kwargs):
    """A first Google sign-in: a customer whose address Google has verified."""
    if user is not None:
        return None
    email = normalize_email_address(details.get("email", ""))
    if not email or not _google_verified(response):
        messages.error(
            strategy.request, "Google did not share a verified e-mail address."
        )
        return redirect(reverse("accounts:login"))
    full_name = details.get("fullname") or " ".join(
        part for part in (details.get("first_name"), details.get("last_name")) if part
    )
    new_user = User.objects.create_user(
        email=email,
        password=None,
        full_name=full_name,
        is_customer=True,
        email_verified=True,
    )
    return {"user": new_user, "is_new": True}


def redirect_by_role(strategy, user=None, **kwargs):
    """Without a ``next`` from the sign-in page, go where the user's role leads."""
    if user is None:
        return
    # social-core's own check lets /\\evil.example through: use ours.
    requested = strategy.session_get("next")
    strategy.session_set(
        "next", safe_redirect_url(strategy.request, requested, role_home_url(user))
    )
