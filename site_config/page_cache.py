"""Anonymous pages from Django's cache, invalidated by Wagtail's page events.

Why our own ~150 lines and not wagtail-cache or Django's per-site cache: the rules
that matter here are specific to this store and must hold exactly.

* **Who is served from (and stored into) the cache**: a GET without a session or
  messages cookie. Such a request is anonymous and has nothing personal to show
  (no account menu, owned/Download state, messages); anyone signed in carries a
  session cookie and always gets a freshly rendered page. A response that sets any
  cookie (a CSRF token, a session) is never stored.
* **What is stored**: only Wagtail pages (home, listing, products, landing pages)
  and the sitemap, status 200. Every path + query string is its own entry (the
  query's parameters sorted), and htmx requests (the listing's fragment) have their
  own entries.
* **Invalidation on commit, of what a change affects**: each entry records the
  *generations* of the groups it depends on; a change, once committed, bumps a
  generation (an ``incr`` in the cache) and every entry recorded with the old one is a
  miss from then on. Groups: ``page:<id>`` (that page), ``catalog`` (everything that
  lists products: home, listing, landing pages, sitemap) and ``categories`` (category
  names on product pages). Publishing, unpublishing, moving or deleting a product
  bumps its page and ``catalog``; another page bumps itself and ``catalog`` (the
  sitemap lists it); a category change bumps ``categories`` and ``catalog``; an
  image edited or deleted bumps ``all`` (its old renditions' files are gone). Other
  products' pages stay cached. ``PAGE_CACHE_SECONDS`` bounds anything time-based (the
  "Updated" badge expiring).
* **HTTP caching**: stored pages carry an ``ETag`` and ``Cache-Control:
  max-age=0, s-maxage=PAGE_CACHE_CDN_SECONDS`` (browsers revalidate; a CDN may keep
  them briefly, see README) and answer ``If-None-Match`` with 304. Pages rendered
  for a signed-in visitor get ``Cache-Control: private, no-cache``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers

from site_config.cache import cache_bump_after_commit

logger = logging.getLogger(__name__)

PREFIX = "pagecache"
EVERYTHING = "all"
CATALOG = "catalog"
CATEGORIES = "categories"
BYPASS_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
CACHED_URL_NAMES = {"sitemap", "sitemap-section"}
# The catalogue's generation as this request read it (catalog_generation_for).
CATALOG_GENERATION_ATTRIBUTE = "_storefront_catalog_generation"


def page_group(page_id: int) -> str:
    return f"page:{page_id}"


def _generation_key(group: str) -> str:
    return f"{PREFIX}:gen:{group}"


def invalidate(*groups: str) -> None:
    """Every entry that depends on one of ``groups`` is a miss once the change commits.

    Wagtail sends its page signals inside the publish transaction; the bump waits
    for the commit (``on_commit``, at once outside a transaction) so that no cache
    call runs inside it (a hung Redis would hold the page's row locks) and so that
    a page rendered from the old rows before the commit cannot be stored with the
    new generation. A rolled-back change invalidates nothing.
    """
    cache_bump_after_commit([_generation_key(group) for group in groups])


def catalog_generation() -> str:
    """Changes whenever anything that lists products changes (for derived caches).

    Raises when the cache is unreachable; ``site_config.cache`` callers treat
    that as a miss.
    """
    return _catalog_generation(_generations([EVERYTHING, CATALOG]))


def _catalog_generation(generations: dict[str, int]) -> str:
    return f"{generations[EVERYTHING]}.{generations[CATALOG]}"


def catalog_generation_for(request: HttpRequest) -> str | None:
    """The catalogue's generation as this request first read it; None: unreachable.

    Read once per request, and by pages that list products before they read any
    (their ``get_context`` asks first; an anonymous page-cache miss has it from
    the lookup): what is derived from the rows (a product card, a listing's
    count) is stored under a generation no older than the rows, so a change that
    commits meanwhile is never stored under the new generation from old rows.
    """
    generation = getattr(request, CATALOG_GENERATION_ATTRIBUTE, None)
    if generation is None:
        try:
            generation = catalog_generation()
        except Exception:  # noqa: BLE001 - no cache: nothing derived is kept
            logger.warning("page cache: generation unreadable", exc_info=True)
            generation = ""
        setattr(request, CATALOG_GENERATION_ATTRIBUTE, generation)
    return generation or None


def _generations(groups: list[str]) -> dict[str, int]:
    stored = cache.get_many([_generation_key(group) for group in groups])
    return {group: stored.get(_generation_key(group), 0) for group in groups}


def _entry_key(request: HttpRequest) -> str:
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    # htmx's history restore wants the whole page, not the results fragment.
    fragment = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    variant = "htmx" if fragment else "page"
    raw = f"{request.get_host()}|{request.path}|{query}|{variant}"
    return f"{PREFIX}:entry:{hashlib.sha256(raw.encode()).hexdigest()}"


@functools.cache
def _app_prefixes() -> tuple[str, ...]:
    """The URL prefixes our apps' URLconfs own (``/s/``, ``/account/``, ``/admin/``...).

    Read off the root URLconf: every ``include`` under a literal prefix that is not
    Wagtail's page tree. Nothing under them is ever stored (only Wagtail pages and
    the sitemap are), so a request there skips the lookup and its two round trips:
    a short link's redirect costs what its own view costs. Were a Wagtail page
    shadowed by such a prefix, it would only be rendered instead of cached.
    """
    from django.urls import URLResolver, get_resolver

    def walk(patterns, base: str):
        for entry in patterns:
            if not isinstance(entry, URLResolver):
                continue
            route = str(entry.pattern)
            module = getattr(entry.urlconf_name, "__name__", entry.urlconf_name)
            if str(module).startswith("wagtail.urls") or "<" in route:
                continue
            if route == "":
                yield from walk(entry.url_patterns, base)  # an include at the root
            elif route.endswith("/"):
                yield f"{base}{route}"

    prefixes = list(walk(get_resolver().url_patterns, "/"))
    return tuple(prefixes)


def _eligible(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not any(name in request.COOKIES for name in BYPASS_COOKIES)
        and not request.path_info.startswith(_app_prefixes())
    )


def _groups_for(request: HttpRequest, response: HttpResponse) -> list[str] | None:
    """The groups a response depends on, or None when it must not be stored."""
    from catalog.models import ProductPage

    page = (getattr(response, "context_data", None) or {}).get("page")
    if page is not None and hasattr(page, "get_url_parts"):
        if isinstance(page, ProductPage):
            return [EVERYTHING, page_group(page.pk), CATEGORIES]
        return [EVERYTHING, page_group(page.pk), CATALOG]
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in CACHED_URL_NAMES:
        return [EVERYTHING, CATALOG]
    return None


def _not_modified(
    request: HttpRequest, etag: str, headers: dict
) -> HttpResponse | None:
    if etag not in request.headers.get("If-None-Match", ""):
        return None
    response = HttpResponseNotModified()
    for name in ("ETag", "Cache-Control", "Vary"):
        if name in headers:
            response[name] = headers[name]
    return response


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _eligible(request):
            response = self.get_response(request)
            self._mark_private(request, response)
            return response
        key = _entry_key(request)
        try:
            hit = self._lookup(request, key)
        except Exception:  # noqa: BLE001 - no cache: render the page instead
            logger.warning("page cache: lookup failed", exc_info=True)
            hit = None
        if hit is not None:
            return hit
        try:
            # Every change bumps ``catalog`` (or ``all``): one that lands while
            # this page renders shows up as a different generation afterwards.
            before = _generations([EVERYTHING, CATALOG])
        except Exception:  # noqa: BLE001
            before = None
        else:
            # Read before the page's rows: product cards need no second reading.
            setattr(request, CATALOG_GENERATION_ATTRIBUTE, _catalog_generation(before))
        response = self.get_response(request)
        try:
            if before is not None:
                self._store(request, response, key, before)
        except Exception:  # noqa: BLE001
            logger.warning("page cache: store failed", exc_info=True)
        return response

    def _lookup(self, request: HttpRequest, key: str) -> HttpResponse | None:
        entry = cache.get(key)
        if (
            entry is None
            or _generations(list(entry["generations"])) != entry["generations"]
        ):
            return None
        headers = dict(entry["headers"])
        not_modified = _not_modified(request, headers["ETag"], headers)
        if not_modified is not None:
            return not_modified
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response

    def _store(
        self, request: HttpRequest, response: HttpResponse, key: str, before: dict
    ) -> None:
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or "private" in response.get("Cache-Control", "")
            or "no-store" in response.get("Cache-Control", "")
        ):
            return
        groups = _groups_for(request, response)
        if groups is None:
            return
        generations = _generations(groups + [EVERYTHING, CATALOG])
        if any(generations[group] != before[group] for group in before):
            return  # changed while rendering: this copy may be stale
        generations = {group: generations[group] for group in groups}
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        response["ETag"] = f'"{hashlib.md5(response.content).hexdigest()}"'  # noqa: S324
        patch_cache_control(
            response, max_age=0, s_maxage=settings.PAGE_CACHE_CDN_SECONDS
        )
        patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
        response["X-Page-Cache"] = "miss"
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in {"x-page-cache", "set-cookie"}
        ]
        cache.set(
            key,
            {
                "content": response.content,
                "status": response.status_code,
                "headers": headers,
                "generations": generations,
            },
            timeout=settings.PAGE_CACHE_SECONDS,
        )

    def _mark_private(self, request: HttpRequest, response: HttpResponse) -> None:
        """A page rendered for one visitor must not be kept by a shared cache."""
        if request.method != "GET" or response.status_code != 200:
            return
        if "Cache-Control" in response:
            return
        if _groups_for(request, response) is not None:
            patch_cache_control(response, private=True, no_cache=True)


# --- Invalidation -------------------------------------------------------------------


def _on_page_event(sender, instance, **kwargs) -> None:
    """A page was published, unpublished or deleted: it and every list of pages."""
    from wagtail.models import Page

    if not isinstance(instance, Page):
        return
    if instance.numchild:
        # Its descendants' URLs or reachability may have changed too.
        invalidate(EVERYTHING)
    else:
        invalidate(page_group(instance.pk), CATALOG)


def _on_move(sender, instance, **kwargs) -> None:
    invalidate(EVERYTHING)


def _on_category_change(sender, instance, **kwargs) -> None:
    invalidate(CATEGORIES, CATALOG)


def _on_site_change(sender, instance, **kwargs) -> None:
    invalidate(EVERYTHING)


# An image saved again for its own bookkeeping (Wagtail fills in a missing hash or
# size when it first reads the file): nothing any page shows has changed.
IMAGE_BOOKKEEPING_FIELDS = frozenset({"file_hash", "file_size"})


def _on_image_change(sender, instance, created=False, update_fields=None, **kwargs):
    """An image edited (file, focal point, alt text) or deleted: its renditions were
    deleted with their files, and any page or card may show it."""
    if created or (update_fields and set(update_fields) <= IMAGE_BOOKKEEPING_FIELDS):
        return
    invalidate(EVERYTHING)


def connect() -> None:
    """Wire Wagtail's and Django's signals to ``invalidate`` (CatalogConfig.ready)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from catalog.models import ProductCategory

    page_published.connect(_on_page_event, dispatch_uid="page_cache_published")
    page_unpublished.connect(_on_page_event, dispatch_uid="page_cache_unpublished")
    post_delete.connect(_on_page_event, dispatch_uid="page_cache_page_deleted")
    post_page_move.connect(_on_move, dispatch_uid="page_cache_moved")
    for model in (ProductCategory,):
        post_save.connect(_on_category_change, sender=model, dispatch_uid="pc_cat_s")
        post_delete.connect(_on_category_change, sender=model, dispatch_uid="pc_cat_d")
    # Privacy, sites: who may see which page, under which host.
    image_model = get_image_model()
    post_save.connect(_on_image_change, sender=image_model, dispatch_uid="pc_image_s")
    post_delete.connect(_on_image_change, sender=image_model, dispatch_uid="pc_image_d")
    for model in (PageViewRestriction, Site):
        uid = f"page_cache_{model.__name__}"
        post_save.connect(_on_site_change, sender=model, dispatch_uid=f"{uid}_s")
        post_delete.connect(_on_site_change, sender=model, dispatch_uid=f"{uid}_d")
