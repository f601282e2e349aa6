"""Product pages as a signed-in customer sees them, kept per user.

The anonymous page cache (``site_config.page_cache``) never serves or stores a
request with a session: a signed-in visitor's product page shows their name, their
CSRF token and whether they own the product (Download instead of Buy now, the
support button). This middleware keeps that page *per user*, so a customer going
back to a product they bought costs a cache read, not Wagtail's routing and a
render.

* **Who**: a GET without a query string, by a signed-in user who does not work in
  the admin (their pages carry admin links and the userbar), without messages
  waiting (``messages`` cookie) and not an htmx request. Only product pages
  (``ProductPage``), status 200, are stored.
* **Valid while**: the generations it was stored under are unchanged: the user's
  (``accounts.panel_cache``: purchases, orders, support requests...), the
  catalogue's, categories' and ``all`` (``site_config.page_cache``: publish,
  unpublish, move, delete, category changes). Whether the user owns the product,
  which decides the Download button, is read from the database on every hit (one
  query): it never depends on an invalidation reaching Redis.
  ``PANEL_CACHE_SECONDS`` and the "Updated" badge's expiry bound the entry.
* **CSRF**: the page is rendered with a placeholder for the token
  (``csrf_placeholder`` context processor), stored so, and each response gets the
  request's own token. Nothing personal is ever stored under a key another user
  can reach (the key names the user); responses say ``Cache-Control: private``.
* **Redis down**: every lookup is a miss and the page renders as before.
"""

from __future__ import annotations

import hashlib
import logging
import time
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control

from access import roles

from . import panel_cache

logger = logging.getLogger("storefront.cache")

PREFIX = "signedin"
PLACEHOLDER_FLAG = panel_cache.PLACEHOLDER_FLAG
KEPT_HEADERS_SKIPPED = {"set-cookie", "content-length", "x-panel-cache"}


def _eligible(request: HttpRequest) -> bool:
    return (
        settings.PANEL_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and "messages" not in request.COOKIES
        and settings.SESSION_COOKIE_NAME in request.COOKIES
        and request.headers.get("HX-Request") != "true"
        and _is_wagtail_page(request)
        and request.user.is_authenticated
        and not roles.works_in_admin(request.user)
    )


def _is_wagtail_page(request: HttpRequest) -> bool:
    """Only Wagtail's page URLs; the panel, checkout and the rest are other views."""
    try:
        return resolve(request.path_info).url_name == "wagtail_serve"
    except Resolver404:
        return False


def _entry_key(request: HttpRequest) -> str:
    raw = f"{request.get_host()}|{quote(request.path)}"
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"{PREFIX}:entry:{request.user.pk}:{digest}"


def _owns(user, product_id: int) -> bool:
    from commerce.selectors import purchase_active_exists

    return purchase_active_exists(user=user, product_id=product_id)


def _generation_keys(user_id: int) -> list[str]:
    """The user's, then ``all``, categories' and the catalogue's: a product page's
    publish, unpublish, move or delete bumps the catalogue's too, so one read of
    these four covers the page (one round trip with the entry)."""
    from site_config import page_cache as pc

    return [
        panel_cache._user_generation_key(user_id),
        pc._generation_key(pc.EVERYTHING),
        pc._generation_key(pc.CATEGORIES),
        pc._generation_key(pc.CATALOG),
    ]


_personal = panel_cache.personal


class SignedInPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _eligible(request):
            return self.get_response(request)
        key = _entry_key(request)
        try:
            hit, before = self._lookup(request, key)
        except Exception:  # noqa: BLE001 - no cache: render the page instead
            logger.warning("signed-in page cache: lookup failed", exc_info=True)
            hit = before = None
        if hit is not None:
            return hit
        setattr(request, PLACEHOLDER_FLAG, before is not None)
        response = self.get_response(request)
        setattr(request, PLACEHOLDER_FLAG, False)
        if getattr(response, "streaming", False) or not hasattr(response, "content"):
            return response
        if panel_cache.CSRF_PLACEHOLDER.encode() not in response.content:
            return response
        try:
            self._store(request, response, key, before)
        except Exception:  # noqa: BLE001
            logger.warning("signed-in page cache: store failed", exc_info=True)
        response.content = _personal(request, response.content)
        return response

    def _lookup(self, request: HttpRequest, key: str):
        """(the stored response or None, the generations now or None)."""
        generation_keys = _generation_keys(request.user.pk)
        stored = cache.get_many([key, *generation_keys])
        if generation_keys[0] not in stored:
            # The user's generation is unknown (first visit, evicted, Redis down):
            # start one; this page is rendered but not stored.
            cache.add(generation_keys[0], time.time_ns(), timeout=None)
            return None, None
        # Every change bumps one of these: one that lands while the page renders
        # shows up as a different generation afterwards (see _store).
        generations = {k: stored.get(k, 0) for k in generation_keys}
        entry = stored.get(key)
        if not isinstance(entry, dict) or entry["generations"] != generations:
            return None, generations
        # Ownership (Download or Buy now) from the database, on every hit.
        if _owns(request.user, entry["page_id"]) != entry["owns"]:
            return None, generations
        response = HttpResponse(
            _personal(request, entry["content"]), status=entry["status"]
        )
        for name, value in entry["headers"]:
            response[name] = value
        response["X-Panel-Cache"] = "hit"
        return response, generations

    def _store(
        self, request: HttpRequest, response: HttpResponse, key: str, before
    ) -> None:
        from catalog.models import ProductPage, updated_badge_since

        context = getattr(response, "context_data", None) or {}
        page = context.get("page")
        if (
            before is None
            or response.status_code != 200
            or not isinstance(page, ProductPage)
            or "buy" not in context
            or "no-store" in response.get("Cache-Control", "")
        ):
            return
        patch_cache_control(response, private=True, no_cache=True)
        messages = getattr(request, "_messages", None)
        if messages is not None and (messages.used or messages._queued_messages):
            return  # it shows (or sets) messages meant for this response only
        response["X-Panel-Cache"] = "miss"
        after = cache.get_many(list(before))
        if any(after.get(k, 0) != value for k, value in before.items()):
            return  # changed while rendering: this copy may be stale
        timeout = settings.PANEL_CACHE_SECONDS
        if page.is_recently_updated:
            badge_ends = page.content_updated_at + (
                timezone.now() - updated_badge_since()
            )
            timeout = min(timeout, int((badge_ends - timezone.now()).total_seconds()))
        if timeout <= 0:
            return
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in KEPT_HEADERS_SKIPPED
        ]
        cache.set(
            key,
            {
                "content": response.content,
                "status": response.status_code,
                "headers": headers,
                "page_id": page.pk,
                # What the page shows, not a second look at the database: a
                # lookup that finds another answer there renders afresh.
                "owns": context["buy"].action == "download",
                "generations": before,
            },
            timeout=timeout,
        )
