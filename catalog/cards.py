"""Product cards, each rendered once and kept for every page that shows it.

A card (``catalog/includes/product_card.html``: cover, title, summary, price,
badges, categories) is the same on the listing, its searches and filters, the home
page's featured products and a landing page's product grid, for anyone who sees
it. Pages the page cache cannot serve (a search seen for the first time, any page
of a signed-in visitor) render a dozen cards; rendering them, and loading their
covers, renditions and categories, was about half of such a page's work. Here each
card's HTML is kept in the cache and the page reads its cards in one round trip,
loading and rendering only those it did not find.

**What a stored card depends on**, all in its key:

* the catalogue's generation (``site_config.page_cache.catalog_generation``): a
  page published, unpublished, moved or deleted, a category changed, an image
  edited; the page cache's own rule for every page that lists products. It is read
  once per request, *before* the products' rows (``catalog_generation_for``, asked
  first thing by the pages' ``get_context``): a change that commits after that
  reading bumps the generation, so a card rendered from older rows is stored under
  a generation nobody reads again;
* the product, its "Updated" badge (the one rule, ``is_recently_updated``, read
  from the row on every request: the badge never outlives it) and whether the
  visitor owns it (only that, never who they are: an owner's card is the same for
  every owner);
* the site (relative or absolute links), the language (money formatting).

``PAGE_CACHE_SECONDS`` bounds every card, as it bounds the pages. Redis down (or
the cache off): every card is rendered, as before; nothing here raises.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.template import Context
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Site

from commerce.selectors import owned_product_ids
from site_config import page_cache
from site_config.cache import cache_get_many, cache_set_many

from .models import ProductPage
from .selectors import CARD_RENDITION, rendition_model

PREFIX = "card"
TEMPLATE = "catalog/includes/product_card.html"


def product_cards(
    products: Iterable[ProductPage], *, request, owned_ids: Iterable[int] | None = None
) -> list[SafeString]:
    """The cards' HTML for ``products``, in order.

    ``owned_ids``: what the visitor owns among them, when the caller knows it
    already (the listing does); otherwise asked here, in one query for a signed-in
    visitor and none for anyone else.
    """
    products = list(products)
    if not products:
        return []
    if owned_ids is None:
        user = getattr(request, "user", None)
        owned_ids = owned_product_ids(
            user=user, product_ids=[product.pk for product in products]
        )
    owned_ids = set(owned_ids)
    base = _key_base(request)
    entries = []
    for product in products:
        owned = product.pk in owned_ids
        key = base and f"{base}:{product.pk}:{owned:d}{product.is_recently_updated:d}"
        entries.append((product, owned, key))
    held = cache_get_many([key for _p, _o, key in entries]) if base else {}
    missing = [product for product, _o, key in entries if key not in held]
    if missing:
        _load_for_cards(missing)
    template = get_template(TEMPLATE).template
    cards, rendered = [], {}
    for product, owned, key in entries:
        html = held.get(key)
        if html is None:
            html = template.render(
                Context({"product": product, "owned": owned, "request": request})
            )
            if key:
                rendered[key] = html
        cards.append(mark_safe(html))  # noqa: S308 - our template's own output
    if rendered:
        cache_set_many(rendered, settings.PAGE_CACHE_SECONDS)
    return cards


def _key_base(request) -> str:
    """What every card's key on this request shares; empty: cards are not kept."""
    if request is None or settings.PAGE_CACHE_SECONDS <= 0:
        return ""
    generation = page_cache.catalog_generation_for(request)
    if generation is None:
        return ""
    site = Site.find_for_request(request)
    site_id = site.pk if site is not None else 0
    return f"{PREFIX}:{generation}:{site_id}:{translation.get_language()}"


def _load_for_cards(products: list[ProductPage]) -> None:
    """Covers, their card renditions and categories for ``products``: three queries."""
    prefetch_related_objects(
        products,
        "categories",
        Prefetch(
            "cover_image__renditions",
            queryset=rendition_model().objects.filter(filter_spec=CARD_RENDITION),
        ),
    )
