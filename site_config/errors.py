"""The store's error pages: one template (``error.html``), one table of wording.

Django's handlers (``handler400/403/404/500`` in ``site_config.urls``), the
throttles' 429 and maintenance's 503 all render ``error.html`` through here, so
every refusal has the site's header, a ``main`` landmark, a heading and a way on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

TEMPLATE = "error.html"


@dataclass(frozen=True)
class ErrorPage:
    status: int
    title: str
    heading: str
    message: str


ERROR_PAGES: dict[int, ErrorPage] = {
    page.status: page
    for page in (
        ErrorPage(
            400,
            "Bad request",
            "We couldn’t read that request",
            "Something in the address or the form was not as we expected. "
            "Please go back and try again.",
        ),
        ErrorPage(
            403,
            "Not allowed",
            "You can’t open this page",
            "Your account does not have access to it. If you think it should, "
            "sign in with the account you used to buy.",
        ),
        ErrorPage(
            404,
            "Page not found",
            "We couldn’t find that page",
            "It may have moved, or the link may be mistyped.",
        ),
        ErrorPage(
            410,
            "Gone",
            "This page is gone",
            "What used to be here has been removed or has expired.",
        ),
        ErrorPage(
            429,
            "Too many requests",
            "Slow down a little",
            "We received this request many times in a short while, so we paused "
            "it to protect your account and our mail. Nothing was lost: please "
            "wait a few minutes and try again.",
        ),
        ErrorPage(
            500,
            "Something went wrong",
            "Something went wrong on our side",
            "We have been told about it. Your purchases and downloads are safe; "
            "please try again in a minute.",
        ),
        ErrorPage(
            503,
            "Down for maintenance",
            "We’re down for maintenance",
            "Thank you for your patience. Your purchases and downloads are safe.",
        ),
    )
}


def error_context(
    status: int, *, heading: str = "", message: str = "", **extra
) -> dict:
    """The template context for ``error.html``: the table's wording, overridable."""
    page = ERROR_PAGES[status]
    return {
        "error": ErrorPage(
            status=status,
            title=page.title,
            heading=heading or page.heading,
            message=message or page.message,
        ),
        **extra,
    }


def error_response(
    request: HttpRequest | None,
    status: int,
    *,
    heading: str = "",
    message: str = "",
    template: str = TEMPLATE,
    **extra,
) -> HttpResponse:
    """Render the shared error page for ``status`` (with the request's context)."""
    context = error_context(status, heading=heading, message=message, **extra)
    body = loader.get_template(template).render(context, request)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return error_response(request, 400)


def permission_denied(request, exception=None):
    # A view that refuses with a reason (PermissionDenied("Support is available
    # only for products you own.")) has it shown; a bare refusal reads generically.
    reason = str(exception) if exception is not None else ""
    return error_response(request, 403, message=reason)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    # Rendered without the request: its context processors (the user, settings)
    # may need the database or cache that has just failed.
    try:
        return error_response(None, 500)
    except Exception:  # noqa: BLE001 - the last resort must not raise itself
        logger.exception("The 500 page could not be rendered")
        return HttpResponse(
            "<!DOCTYPE html><title>Server error</title><main><h1>Something went "
            "wrong on our side</h1><p>Please try again in a minute.</p></main>",
            status=500,
        )
