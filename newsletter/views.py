"""The sign-up endpoint and the confirmation link.

The sign-up form lives on cached landing pages, which carry no CSRF token (an
anonymous page sets no cookie, see ``site_config.page_cache``). Its endpoint is
therefore exempt from Django's CSRF check and instead refuses a cross-site
``Origin``; it is throttled, and all it can ever do is send one confirmation
e-mail to the address given, which confirms nothing by itself.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from site_config.throttles import throttle

from .forms import SignupForm
from .selectors import signup_page_offering
from .services import subscription_confirm, subscription_request
from .tokens import ConfirmationTokenError, confirmation_token_check

logger = logging.getLogger(__name__)


def _cross_site(request) -> bool:
    """A browser posting from another site names that site in ``Origin``."""
    origin = request.headers.get("Origin")
    if origin is None:
        return False  # not a browser's cross-site form post (curl, old clients)
    try:
        return urlsplit(origin).netloc.lower() != request.get_host().lower()
    except Exception:  # noqa: BLE001 - a bad Host header is answered elsewhere
        return True


@csrf_exempt
@require_POST
@throttle("newsletter_signup", field="email")
def subscribe(request):
    if _cross_site(request):
        return render(
            request, "newsletter/signup_error.html", {"form": None}, status=403
        )
    form = SignupForm(request.POST)
    if not form.is_valid():
        return render(
            request, "newsletter/signup_error.html", {"form": form}, status=400
        )
    data = form.cleaned_data
    page = signup_page_offering(page_id=data["page"], topic=data["topic"])
    if page is None:
        return render(
            request, "newsletter/signup_error.html", {"form": None}, status=400
        )
    if data["website"]:
        logger.info("sign-up honeypot filled; nothing sent")
    else:
        subscription_request(email=data["email"], topic=data["topic"], source_page=page)
    return render(request, "newsletter/check_inbox.html", {"page": page})


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows a button, POST confirms: mail scanners that open links confirm
    nothing, and the link works once."""
    try:
        subscriber = confirmation_token_check(token)
    except ConfirmationTokenError as err:
        return render(
            request,
            "newsletter/confirm_failed.html",
            {"reason": err.reason},
            status=400,
        )
    if request.method == "POST":
        subscription_confirm(subscriber=subscriber)
        return render(request, "newsletter/confirmed.html", {"subscriber": subscriber})
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})
