"""The sitemap is an index of sections; product sections are paged."""

import re

import pytest

from accounts.tests.factories import SellerFactory
from catalog.bulk_seed import bulk_seed_products
from catalog.site_tree import ensure_product_index
from catalog.sitemaps import ProductSitemap
from catalog.tests.factories import ProductPageFactory
from catalog.tests.helpers import sitemap_xml

pytestmark = pytest.mark.django_db


def test_sitemap_index_lists_pages_and_paged_products(client, monkeypatch, settings):
    settings.SITE_URL = "https://shop.example.com"
    monkeypatch.setattr(ProductSitemap, "limit", 10)
    ProductPageFactory(title="Mapped")
    draft = ProductPageFactory(title="Unmapped", live=False)
    bulk_seed_products(14, index=ensure_product_index(), seller=SellerFactory())
    # Asked under another host: the index still names the public address.
    index = client.get("/sitemap.xml", HTTP_HOST="10.0.0.5:8000").content.decode()
    assert re.findall(r"<loc>([^<]+)</loc>", index) == [
        "https://shop.example.com/sitemap-pages.xml",
        "https://shop.example.com/sitemap-products.xml",
        "https://shop.example.com/sitemap-products.xml?p=2",
    ]
    xml = sitemap_xml(client)
    assert "<loc>https://shop.example.com/products/mapped/</loc>" in xml
    # Pages (Wagtail's section) and products alike are on the shop's public
    # address: not the Site record's localhost, not the request's host.
    assert "<loc>https://shop.example.com/products/</loc>" in xml
    assert "<loc>https://shop.example.com/</loc>" in xml
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert len(locs) > 16
    assert all(loc.startswith("https://shop.example.com/") for loc in locs), locs
    assert draft.slug not in xml
    assert xml.count("/products/bench-product-") == 14
    assert re.search(r"<lastmod>\d{4}-\d\d-\d\d</lastmod>", xml)


def test_unknown_section_or_page_is_404(client):
    assert client.get("/sitemap-nope.xml").status_code == 404
    assert client.get("/sitemap-products.xml?p=9").status_code == 404
    assert client.get("/sitemap-products.xml?p=x").status_code == 404
