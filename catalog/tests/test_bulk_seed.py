"""The benchmark's bulk seeder leaves a tree Wagtail itself would have built."""

import pytest
from wagtail.models import Page

from accounts.tests.factories import SellerFactory
from catalog.bulk_seed import bulk_seed_products
from catalog.models import ProductPage
from catalog.site_tree import ensure_product_index
from catalog.tests.factories import ProductCategoryFactory, ProductPageFactory

pytestmark = pytest.mark.django_db


def test_bulk_seeded_products_are_live_pages_in_a_valid_tree(client):
    existing = ProductPageFactory(title="Made by Wagtail")
    index = ensure_product_index()
    categories = [ProductCategoryFactory(name=n) for n in ("Fonts", "Books")]

    made = bulk_seed_products(
        25, index=index, seller=SellerFactory(), categories=categories
    )

    assert made == 25
    assert ProductPage.objects.live().child_of(index).count() == 26
    # treebeard's own consistency check: paths, depths and child counts.
    assert all(not problems for problems in Page.find_problems())
    index.refresh_from_db()
    assert index.numchild == 26
    seeded = ProductPage.objects.exclude(pk=existing.pk).order_by("path").last()
    assert seeded.categories.count() == 2
    assert client.get(seeded.url).status_code == 200
    newest = ProductPage.objects.exclude(pk=existing.pk).order_by("path").first()
    assert newest.title in client.get("/products/").content.decode()
    found = client.get("/products/", {"q": seeded.title}).content.decode()
    assert seeded.title in found
    # Wagtail can still add a page after the seeded ones.
    later = ProductPageFactory(title="Added afterwards")
    assert later.path > seeded.path
    assert all(not problems for problems in Page.find_problems())
