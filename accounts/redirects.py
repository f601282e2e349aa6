"""Where a user goes after signing in: a safe ``next``, otherwise their role's home."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme

from access.roles import role_home_url


def safe_next_url(request, value: str | None) -> str | None:
    """``value`` if it stays on this site (same host, web scheme), else None.

    The one check for every redirect to a place a visitor chose (``next``, the
    maintenance bypass, Google sign-in, return pages): ``//evil.example``,
    ``/\\evil.example`` and ``https://evil.example`` are all refused.
    """
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


def safe_redirect_url(request, value: str | None, fallback: str = "/") -> str:
    """``value`` when it stays on this site, else ``fallback``."""
    return safe_next_url(request, value) or fallback


def after_login_url(request, user, next_value: str | None = None) -> str:
    return safe_next_url(request, next_value) or role_home_url(user)
