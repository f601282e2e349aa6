"""The shop's public address: the one source for every absolute link we build.

Links that leave the request (e-mails, Telegram messages, Dodo's return URL, the
sandbox's webhook target, short links to copy) are ``SITE_URL`` + path. In
development ``SITE_URL`` follows the address ``runserver`` listens on unless it is
set explicitly (``home.management.commands.runserver``); anywhere, a request that
arrives under another host is logged once with both addresses, so a wrong
``SITE_URL`` is named instead of showing up as "payment provider not reachable".
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

_reported_hosts: set[str] = set()


def site_url() -> str:
    """``SITE_URL`` without a trailing slash (read at call time: runserver sets it)."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (starting with ``/``) on the shop's public address."""
    return site_url() + path


def public_url(url: str) -> str:
    """``url`` as customers reach it: a path goes on the shop's public address; a
    URL that is already absolute (media on a bucket or CDN) stays as it is.

    Wagtail's own ``page.full_url`` / ``get_full_url`` come from the ``Site``
    record (``localhost:80`` in a fresh install), not from ``SITE_URL``: links
    that leave the request use this instead.
    """
    return absolute_url(url) if url.startswith("/") else url


def site_netloc() -> str:
    return urlsplit(site_url()).netloc.lower()


def report_mismatch(request: HttpRequest) -> bool:
    """Log, once per host, a request served under another address than SITE_URL.

    Returns whether the request's host differs. Cheap enough for every request: a
    string comparison, and a log line the first time a host is seen.
    """
    try:
        host = request.get_host().lower()
    except Exception:  # noqa: BLE001 - DisallowedHost is answered elsewhere
        return False
    if host == site_netloc():
        return False
    if host not in _reported_hosts:
        _reported_hosts.add(host)
        logger.warning(
            "SITE_URL is %s but this request came to %s://%s: links in e-mails, "
            "Dodo's return URL and the sandbox's webhook use SITE_URL. Set SITE_URL "
            "to the address customers use.",
            site_url(),
            request.scheme,
            host,
        )
    return True


class SiteUrlMismatchMiddleware:
    """Names a wrong ``SITE_URL`` in the log (see :func:`report_mismatch`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        report_mismatch(request)
        return self.get_response(request)
