"""The maintenance bypass: a secret key in the URL once, then a signed cookie."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

QUERY_PARAMETER = "bypass"
COOKIE_NAME = "sf_maintenance_bypass"
COOKIE_SALT = "maintenance.bypass.cookie"
COOKIE_MAX_AGE = 12 * 3600


def _configured_key() -> str:
    return settings.MAINTENANCE_BYPASS_KEY or ""


def _cookie_token(key: str) -> str:
    # Derived from the key, so changing the key ends every bypass already handed out.
    return salted_hmac("maintenance.bypass.token", key).hexdigest()


def key_in_query_is_valid(request: HttpRequest) -> bool:
    key = _configured_key()
    given = request.GET.get(QUERY_PARAMETER)
    if not key or given is None:
        return False
    return hmac.compare_digest(given.encode(), key.encode())


def cookie_is_valid(request: HttpRequest) -> bool:
    key = _configured_key()
    if not key or COOKIE_NAME not in request.COOKIES:
        return False
    try:
        token = request.get_signed_cookie(
            COOKIE_NAME, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE
        )
    except signing.BadSignature:
        return False
    return hmac.compare_digest(token.encode(), _cookie_token(key).encode())


def grant(request: HttpRequest, response: HttpResponse) -> None:
    response.set_signed_cookie(
        COOKIE_NAME,
        _cookie_token(_configured_key()),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
