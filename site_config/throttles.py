"""Throttles on the forms that send e-mail or start work for anyone who asks.

Counting is django-ratelimit's (a fixed window per key in the default cache); this
module adds what the store needs around it: every throttle is counted both per
account and per client address, the rates live in one setting
(``THROTTLE_RATES``), a refused request gets the branded 429 page, and a cache
that is down or misbehaving never blocks anyone (fail open): a throttle exists to
stop abuse, not to take the registration form down with Redis.

Only the requests that do the work are counted (``POST``); showing a form is free.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import is_ratelimited

from .errors import error_response

logger = logging.getLogger(__name__)


def _account_key(field: str | None) -> Callable[[str, HttpRequest], str]:
    """The signed-in user, or for an anonymous form the address it names."""

    def key(group: str, request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        if field:
            from accounts.models import normalize_email_address

            return f"address:{normalize_email_address(request.POST.get(field, ''))}"
        return ""

    return key


def throttle_exceeded(request: HttpRequest, *, name: str, field: str | None) -> bool:
    """Count this request against ``name`` and say whether it is over a limit.

    Any error from the cache means "not over": the request goes through and the
    failure is logged.
    """
    rates = settings.THROTTLE_RATES[name]
    checks = [("ip", rates.get("ip"))]
    account_key = _account_key(field)
    if account_key(name, request):
        checks.append((account_key, rates.get("account")))
    exceeded = False
    for key, rate in checks:
        if not rate:
            continue
        try:
            # Every key is counted, even once one is over, so a client that keeps
            # hammering stays refused on all of them.
            exceeded |= is_ratelimited(
                request,
                group=f"throttle:{name}",
                key=key,
                rate=rate,
                method="POST",
                increment=True,
            )
        except Exception:  # noqa: BLE001 - fail open on any cache error, by design
            logger.warning("Throttle %s not checked: the cache failed", name)
            return False
    return exceeded


def throttled_response(request: HttpRequest, *, name: str) -> HttpResponse:
    response = error_response(request, 429, throttle=name)
    response["Retry-After"] = str(settings.THROTTLE_RETRY_AFTER_SECONDS)
    return response


def throttle(name: str, *, field: str | None = None):
    """Decorate a view (function, or a class view's ``dispatch``) with a throttle.

    ``field`` names the POST field that identifies the account when nobody is
    signed in (the e-mail of a password reset), so one address can't be flooded
    from many client addresses either.
    """
    if name not in settings.THROTTLE_RATES:
        raise KeyError(f"No rate for throttle {name!r} in THROTTLE_RATES")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and throttle_exceeded(
                request, name=name, field=field
            ):
                logger.info("Throttle %s refused a request", name)
                return throttled_response(request, name=name)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
