"""Signed-in panel lists (library, order history, support) from a per-user cache.

What is cached: the HTML of a panel page's list (``fragment_template``), rendered
once for one user and page number, with a placeholder where each ``{% csrf_token %}``
goes. The page around it (header with the user's name, navigation, messages) and
the CSRF token are rendered per request; a request with per-request bits in its
query (``?bought=`` after a checkout) bypasses the cache. Nothing here goes near the
anonymous page cache (``site_config.page_cache`` never stores a signed-in request).

When an entry is valid: it records the *generations* it was rendered under, and a
lookup reads them again in the same round trip as the entry:

* ``user:<id>``: bumped once a change to that user's purchases, orders, license
  keys, refund requests or support requests commits (signals on those models, and
  ``panel_changed`` where a service writes with ``QuerySet.update``);
* the catalogue's (``site_config.page_cache.catalog_generation``): a product
  published, unpublished, moved or deleted (title, file, version, releases).

The library additionally checks, with one query, that the user's active purchases
are still those it was rendered with: whether a product shows its Download button
never depends on an invalidation reaching Redis (a revoke, a refund or a dispute
shows at once, even if Redis was unreachable when the change committed).

Time-based state (an "Updated" badge expiring, a refund window closing) bounds the
entry's lifetime; ``PANEL_CACHE_SECONDS`` bounds everything (0 switches the cache
off). Redis down: every lookup is a miss and the page renders as before; nothing
here raises.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from site_config.cache import cache_bump_after_commit

logger = logging.getLogger("storefront.cache")

PREFIX = "panel"
# What {% csrf_token %} prints in a stored page; replaced per request.
CSRF_PLACEHOLDER = "__panel-csrf-token-0f3c9a__"
# Set on a request whose page is rendered to be stored (csrf_placeholder).
PLACEHOLDER_FLAG = "_storefront_csrf_placeholder"
# Query parameters that change the list for one request only: never cached.
PER_REQUEST_PARAMETERS = ("bought",)


def _user_generation_key(user_id: int) -> str:
    return f"{PREFIX}:gen:user:{user_id}"


def panel_changed(*user_ids: int | None) -> None:
    """The users' panel lists are stale once the surrounding transaction commits.

    After the commit (at once outside a transaction), never inside it: no cache
    call holds a business transaction's row locks, and a page rendered from the old
    rows before the commit cannot be stored under the new generation.
    """
    keys = [_user_generation_key(uid) for uid in set(user_ids) if uid is not None]
    cache_bump_after_commit(keys)


@dataclass
class Fragment:
    """One lookup: the stored page (or None) and what a store needs."""

    key: str | None = None
    generations: dict = field(default_factory=dict)
    content: bytes | None = None
    guard: tuple = ()


def _generation_keys(user_id: int) -> list[str]:
    from site_config import page_cache

    return [
        _user_generation_key(user_id),
        page_cache._generation_key(page_cache.EVERYTHING),
        page_cache._generation_key(page_cache.CATALOG),
    ]


def csrf_placeholder(request) -> dict:
    """Context processor: the CSRF token as a placeholder on pages being stored
    (after Django's own ``csrf`` processor, so it wins)."""
    if getattr(request, PLACEHOLDER_FLAG, False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def personal(request, content: bytes) -> bytes:
    """A stored page for this request: its own CSRF token in every form."""
    if CSRF_PLACEHOLDER.encode() not in content:
        return content
    return content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())


def lookup(request, name: str, *, guard=tuple) -> Fragment:
    """The user's stored ``name`` page for this request, if still valid.

    ``guard()``: what the database says now about state that must never be stale
    (the library's active purchases); an entry stored with another guard is a miss.
    Called only when the cache is in use.
    """
    if settings.PANEL_CACHE_SECONDS <= 0 or request.method != "GET":
        return Fragment()
    if any(parameter in request.GET for parameter in PER_REQUEST_PARAMETERS):
        return Fragment()
    if "messages" in request.COOKIES:
        return Fragment()  # the page shows them once: rendered for this request
    page = request.GET.get("page", "1")
    if not page.isdigit() or len(page) > 6:
        return Fragment()
    user_id = request.user.pk
    guard = tuple(guard())
    key = f"{PREFIX}:page:{name}:{user_id}:{page}"
    generation_keys = _generation_keys(user_id)
    try:
        stored = cache.get_many([key, *generation_keys])
    except Exception:  # noqa: BLE001 - no cache: render the page instead
        logger.warning("panel cache: lookup failed", exc_info=True)
        return Fragment()
    user_key = generation_keys[0]
    if user_key not in stored:
        # Unknown (first visit, evicted, or Redis down): start one; no entry can
        # have been stored under a value this new.
        try:
            cache.add(user_key, time.time_ns(), timeout=None)
        except Exception:  # noqa: BLE001
            logger.warning("panel cache: could not start %s", user_key, exc_info=True)
        return Fragment()
    generations = {k: stored.get(k, 0) for k in generation_keys}
    fragment = Fragment(key=key, generations=generations, guard=guard)
    entry = stored.get(key)
    if (
        isinstance(entry, dict)
        and entry.get("generations") == generations
        and entry.get("guard") == guard
    ):
        fragment.content = entry["content"]
    return fragment


def render_list(template_name: str, context: dict) -> SafeString:
    """The page's list, with the CSRF placeholder (``personal`` fills it in)."""
    html = render_to_string(template_name, {**context, "csrf_token": CSRF_PLACEHOLDER})
    return mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there


def store(
    request, fragment: Fragment, response, *, expires_at: datetime | None = None
) -> None:
    """Keep the rendered page (placeholders in place) under the lookup's key."""
    if fragment.key is None or response.status_code != 200:
        return
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.used or messages._queued_messages):
        return  # it shows (or sets) messages meant for this response only
    timeout = settings.PANEL_CACHE_SECONDS
    if expires_at is not None:
        timeout = min(timeout, int((expires_at - timezone.now()).total_seconds()))
    if timeout <= 0:
        return
    entry = {
        "content": response.content,
        "generations": fragment.generations,
        "guard": fragment.guard,
    }
    try:
        cache.set(fragment.key, entry, timeout=timeout)
    except Exception:  # noqa: BLE001 - simply not cached
        logger.warning("panel cache: store failed", exc_info=True)


# --- Invalidation ---------------------------------------------------------------------


def _user_of(instance) -> int | None:
    return getattr(instance, "user_id", None) or getattr(instance, "customer_id", None)


def _on_change(sender, instance, **kwargs) -> None:
    panel_changed(_user_of(instance))


# What stored pages show of the user: the name (or e-mail) in the header and, by
# role, an Admin link; a save that changes none of these (a login's last_login)
# leaves them valid.
SHOWN_USER_FIELDS = (
    "full_name", "email", "is_active", "is_staff", "is_superuser", "is_seller",
    "is_marketer",
)  # fmt: skip


def _shown(user) -> tuple:
    # From __dict__: a deferred field is not loaded (no query) just to compare it.
    return tuple(user.__dict__.get(name) for name in SHOWN_USER_FIELDS)


def _on_user_init(sender, instance, **kwargs) -> None:
    instance._panel_shown = _shown(instance)


def _on_user_change(sender, instance, created=False, raw=False, **kwargs) -> None:
    if created or raw:
        return
    shown = _shown(instance)
    if getattr(instance, "_panel_shown", None) != shown:
        instance._panel_shown = shown
        panel_changed(instance.pk)


def connect() -> None:
    """Every model a panel list shows bumps its user's generation (AccountsConfig)."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_init, post_save

    from commerce.licenses.models import LicenseKey
    from commerce.models import Order, PurchasedProduct
    from commerce.refund_requests.models import RefundRequest
    from support.models import SupportRequest

    for model in (PurchasedProduct, Order, LicenseKey, RefundRequest, SupportRequest):
        uid = f"panel_cache_{model.__name__}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}_s")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}_d")
    user_model = get_user_model()
    post_init.connect(_on_user_init, sender=user_model, dispatch_uid="panel_user_i")
    post_save.connect(_on_user_change, sender=user_model, dispatch_uid="panel_user_s")
