"""Read-side queries of the catalogue: the public listing and the buy box."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce
from wagtail.images import get_image_model
from wagtail.images.models import AbstractRendition

from commerce.money import major_string
from commerce.selectors import owned_product_ids, purchase_active_exists
from site_config.base_url import public_url

from .models import ProductCategory, ProductIndexPage, ProductPage

CARD_RENDITION = "fill-480x360"
DETAIL_RENDITION = "max-960x720"
THUMB_RENDITION = "fill-160x120"

SORTS = {
    # Offered, and the default, only with a search: the database's ranking.
    "relevance": ("Best match", ["-search_rank", "-first_published_at", "-pk"]),
    "newest": ("Newest", ["-first_published_at", "-pk"]),
    "price_asc": ("Price: low to high", ["price_effective", "-first_published_at"]),
    "price_desc": ("Price: high to low", ["-price_effective", "-first_published_at"]),
}
DEFAULT_SORT = "newest"
SEARCH_SORT = "relevance"


def rendition_model() -> type[AbstractRendition]:
    return get_image_model().get_rendition_model()


def products_live(*, index: ProductIndexPage | None = None) -> QuerySet[ProductPage]:
    """Live products (under ``index`` when given) ready for product cards."""
    queryset = ProductPage.objects.live().public()
    if index is not None:
        queryset = queryset.child_of(index)
    return _for_cards(queryset)


def _for_cards(queryset: QuerySet[ProductPage]) -> QuerySet[ProductPage]:
    """Products for cards, with the effective price to sort by.

    Covers, renditions and categories are loaded by ``catalog.cards`` for the
    cards it does not find in the cache, not here for every card.
    """
    return queryset.annotate(price_effective=Coalesce("selling_price", "price"))


def products_featured(*, limit: int = 6) -> QuerySet[ProductPage]:
    """Featured live products, newest first."""
    return (
        products_live()
        .filter(is_featured=True)
        .order_by("-first_published_at", "-pk")[:limit]
    )


def products_matching(
    queryset: QuerySet[ProductPage], *, query: str
) -> QuerySet[ProductPage]:
    """``queryset`` narrowed to products matching ``query`` (title, summary, text,
    categories), annotated with ``search_rank``; matching, ranking, filtering and
    paging all happen in the database, never in Python.

    The search backend's own ranked query (PostgreSQL full-text search on the
    GIN-indexed ``title || body`` of Wagtail's index, catalog migration 0004;
    SQLite FTS5) is the base: it finds the matches through the index and ranks
    each in the same join. The listing's own filters (index, categories) narrow
    it by id. (Ranking with a subquery per row instead cost 125 ms at 50,000
    products for a word in 3,000 of them; this is one pass.)
    """
    results = (
        ProductPage.objects.live()
        .search(query, operator="and")
        .annotate_score("backend_score")
    )
    if not hasattr(results, "get_queryset"):
        # The fallback backend (SQLite without FTS5) has no index to join.
        ids = [product.pk for product in results]
        return queryset.filter(pk__in=ids).annotate(search_rank=Value(0.0))
    # ``search_rank``: the higher, the better match, on every backend. PostgreSQL's
    # ts_rank is; SQLite's BM25 is the other way round (the backend itself orders
    # it ascending), so it is turned over.
    score = F("backend_score")
    rank = -score if connection.vendor == "sqlite" else score
    ranked = results.get_queryset().annotate(search_rank=rank)
    return _for_cards(ranked.filter(pk__in=queryset.values("pk")))


def products_filtered(
    *,
    index: ProductIndexPage,
    query: str = "",
    category_slugs: list[str] | tuple[str, ...] = (),
    sort: str = DEFAULT_SORT,
) -> QuerySet[ProductPage]:
    """The listing's products: search, any-of category filter, then sort."""
    queryset = products_live(index=index)
    if category_slugs:
        through = ProductPage.categories.through
        queryset = queryset.filter(
            pk__in=through.objects.filter(
                productcategory__slug__in=category_slugs
            ).values("productpage_id")
        )
    if query:
        queryset = products_matching(queryset, query=query)
    elif sort == SEARCH_SORT:
        sort = DEFAULT_SORT
    _label, ordering = SORTS.get(sort, SORTS[DEFAULT_SORT])
    return queryset.order_by(*ordering)


def categories_for_filter() -> QuerySet[ProductCategory]:
    return ProductCategory.objects.only("pk", "name", "slug")


def product_listing_context(*, index: ProductIndexPage, request) -> dict:
    """Everything the listing template needs, read from the request's GET."""
    query = request.GET.get("q", "").strip()[:200]
    category_slugs = [slug for slug in request.GET.getlist("category") if slug]
    default_sort = SEARCH_SORT if query else DEFAULT_SORT
    sort = request.GET.get("sort") or default_sort
    if sort not in SORTS or (sort == SEARCH_SORT and not query):
        sort = default_sort
    products = products_filtered(
        index=index, query=query, category_slugs=category_slugs, sort=sort
    )
    count_key = urlencode(
        [("q", query), ("sort", "")]
        + [("category", slug) for slug in sorted(category_slugs)]
    )
    page_obj = index.paginate(
        products,
        request.GET.get("page"),
        request=request,
        count_key=count_key,
        searched=bool(query),
    )
    paginator = page_obj.paginator
    owned = owned_product_ids(
        user=request.user, product_ids=[product.pk for product in page_obj]
    )
    filters = [("q", query)] if query else []
    filters += [("category", slug) for slug in category_slugs]
    if sort != default_sort:
        filters.append(("sort", sort))
    htmx = getattr(request, "htmx", None)
    # A history restore that missed htmx's cache replaces the whole page.
    is_htmx = bool(htmx) and not htmx.history_restore_request
    querystring = urlencode(filters)
    page_suffix = f"page={page_obj.number}" if page_obj.number > 1 else ""
    listing_query = "&".join(part for part in (querystring, page_suffix) if part)
    return {
        "products": page_obj,
        # A window of page links around the current one, not every page.
        "page_links": list(
            paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
        ),
        "page_ellipsis": paginator.ELLIPSIS,
        "listing_truncated": paginator.is_truncated,
        "listing_reachable": paginator.num_pages * paginator.per_page,
        "owned_ids": owned,
        "categories": categories_for_filter(),
        "selected_categories": set(category_slugs),
        "query": query,
        "sort": sort,
        "sorts": [
            (key, label)
            for key, (label, _o) in SORTS.items()
            if key != SEARCH_SORT or query
        ],
        "default_sort": DEFAULT_SORT,
        "search_sort": SEARCH_SORT,
        "filter_querystring": querystring,
        "listing_url": f"{index.url}?{listing_query}" if listing_query else index.url,
        "is_filtered": bool(filters),
        "base_template": "catalog/results_fragment.html" if is_htmx else "base.html",
    }


@dataclass(frozen=True)
class BuyState:
    """What the detail page's buy box offers the current visitor."""

    action: str  # "login", "buy" or "download"
    label: str
    url: str


def product_buy_state(*, product: ProductPage, user) -> BuyState:
    """Log in to buy, Buy now, or Download, from ownership (one query at most)."""
    if not getattr(user, "is_authenticated", False):
        next_query = urlencode({"next": product.url})
        return BuyState("login", "Log in to buy", f"{settings.LOGIN_URL}?{next_query}")
    if purchase_active_exists(user=user, product_id=product.pk):
        # Shown as a POST form (minting a link spends the buyer's allowance).
        return BuyState("download", "Download", f"/downloads/{product.pk}/")
    return BuyState("buy", "Buy now", f"/checkout/{product.pk}/")


def product_json_ld(
    *, product: ProductPage, request, categories: list[ProductCategory] | None = None
) -> dict:
    """schema.org ``Product`` markup for the detail page.

    ``categories``: the product's categories when the caller already loaded them
    (the detail page shows them too: one query for both).
    """
    url = public_url(product.get_url(request) or "/")
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "description": product.search_description or product.summary,
        "url": url,
        "sku": str(product.pk),
        "offers": {
            "@type": "Offer",
            "price": major_string(product.effective_price, product.currency),
            "priceCurrency": product.currency,
            "availability": "https://schema.org/InStock",
            "url": url,
        },
    }
    if product.cover_image:
        rendition = product.cover_image.get_rendition(DETAIL_RENDITION)
        data["image"] = public_url(rendition.url)
    if categories is None:
        categories = list(product.categories.all())
    if categories:
        data["category"] = ", ".join(category.name for category in categories)
    return data
