"""Thousands of live products in seconds, for the benchmark (``make bench``).

Publishing a page through Wagtail costs dozens of statements (revision, tree lock,
reference index, search index, signals that sync to Dodo). A benchmark catalogue of
10,000 or 50,000 products is written here directly instead, in batches:

* the ``wagtailcore_page`` rows with treebeard paths computed the way
  ``Page.add_child`` computes them (appended after the index's last child), then
  the ``catalog_productpage`` rows that extend them (multi-table inheritance, so
  ``bulk_create`` cannot do both);
* the category links in one ``bulk_create`` per batch;
* the search index through the backend's own ``add_bulk``.

No revisions and no Dodo ids are made and no signals fire: these products are for
reading (listing, search, detail, sitemap), not for buying through Dodo.
"""

from __future__ import annotations

import itertools
import random
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from .models import ProductCategory, ProductIndexPage, ProductPage

ADJECTIVES = [
    "Modern", "Minimal", "Complete", "Practical", "Essential", "Advanced", "Quick",
    "Friendly", "Bold", "Clean", "Pro", "Tiny", "Classic", "Handy", "Smart",
]  # fmt: skip
NOUNS = [
    "Notion", "Figma", "Django", "Python", "Invoice", "Budget", "Resume", "Icon",
    "Course", "Photo", "Marketing", "Recipe", "Wedding", "Startup", "Podcast",
]  # fmt: skip
KINDS = [
    "template", "e-book", "toolkit", "guide", "course", "preset pack", "starter kit",
    "workbook", "font", "checklist",
]  # fmt: skip
BATCH = 1000


def _titles(count: int, start: int, rng: random.Random):
    for number in range(start, start + count):
        adjective, noun, kind = (
            rng.choice(ADJECTIVES),
            rng.choice(NOUNS),
            rng.choice(KINDS),
        )
        yield number, f"{adjective} {noun} {kind} {number}"


def bulk_seed_products(
    count: int,
    *,
    index: ProductIndexPage,
    seller,
    categories: list[ProductCategory] = (),
    images: list = (),
    seed: int = 14,
) -> int:
    """Append ``count`` live products under ``index``; return how many were made."""
    rng = random.Random(seed)  # noqa: S311 - sample data, not security
    page_type = ContentType.objects.get_for_model(ProductPage)
    through = ProductPage.categories.through
    backend = get_search_backend()
    made = 0
    start = ProductPage.objects.count() + 1
    titles = _titles(count, start, rng)
    while made < count:
        batch = list(itertools.islice(titles, min(BATCH, count - made)))
        with transaction.atomic():
            index = ProductIndexPage.objects.select_for_update().get(pk=index.pk)
            last = index.get_last_child()
            position = last._get_lastpos_in_path() if last else 0
            now = timezone.now()
            pages = []
            for offset, (number, title) in enumerate(batch, start=1):
                slug = f"bench-product-{number}"
                published = now - timezone.timedelta(minutes=number)
                pages.append(
                    Page(
                        title=title,
                        draft_title=title,
                        slug=slug,
                        content_type=page_type,
                        path=Page._get_path(
                            index.path, index.depth + 1, position + offset
                        ),
                        depth=index.depth + 1,
                        numchild=0,
                        url_path=f"{index.url_path}{slug}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published,
                        last_published_at=published,
                        locale_id=index.locale_id,
                        translation_key=uuid.uuid4(),
                        owner=seller,
                    )
                )
            Page.objects.bulk_create(pages)
            products = []
            for page, (number, title) in zip(pages, batch, strict=True):
                price = rng.randrange(500, 9900, 100)
                product = ProductPage(
                    page_ptr_id=page.pk,
                    seller=seller,
                    summary=f"{title}: a sample product for the benchmark.",
                    description=f"<p>{title}: everything you need, kept current.</p>",
                    price=price,
                    selling_price=price - 100 if number % 7 == 0 else None,
                    is_featured=number % 50 == 0,
                    cover_image=images[number % len(images)] if images else None,
                )
                product.__dict__.update(
                    {
                        f.attname: getattr(page, f.attname)
                        for f in Page._meta.concrete_fields
                    }
                )
                products.append(product)
            local_fields = ProductPage._meta.local_concrete_fields
            ProductPage._base_manager._insert(products, fields=local_fields)
            links = []
            for product in products:
                if categories:
                    picks = rng.sample(list(categories), k=min(2, len(categories)))
                    links += [
                        through(productpage_id=product.pk, productcategory_id=c.pk)
                        for c in picks
                    ]
            through.objects.bulk_create(links)
            Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + len(pages))
            backend.add_bulk(
                ProductPage,
                list(
                    ProductPage.objects.filter(
                        pk__in=[p.pk for p in products]
                    ).prefetch_related("categories")
                ),
            )
        made += len(batch)
    return made
