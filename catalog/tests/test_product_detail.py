import json
import re

import pytest
from django.core.cache import cache

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductCategoryFactory, ProductPageFactory
from catalog.tests.helpers import make_image
from commerce.tests.factories import PurchasedProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return ProductPageFactory(
        title="Django Starter",
        summary="Ship a SaaS this week.",
        price=4900,
        selling_price=3900,
        categories=[ProductCategoryFactory(name="Code")],
        changelog="Added billing.",
        file_version="2.1.0",
    )


def test_anonymous_visitor_is_asked_to_log_in_and_come_back(client, product):
    html = client.get(product.url).content.decode()
    assert "Log in to buy" in html
    assert 'href="/account/login/?next=%2Fproducts%2Fdjango-starter%2F"' in html
    assert "/checkout/" not in html


def test_logged_in_visitor_gets_buy_now_to_checkout(client, product):
    client.force_login(UserFactory())
    html = client.get(product.url).content.decode()
    assert f'href="/checkout/{product.pk}/"' in html and "Buy now" in html
    assert "Log in to buy" not in html


def test_owner_gets_download(client, product):
    buyer = UserFactory()
    PurchasedProductFactory(order__user=buyer, order__product=product)
    client.force_login(buyer)
    html = client.get(product.url).content.decode()
    assert f'method="post" action="/downloads/{product.pk}/"' in html
    assert ">Download<" in html
    assert "/checkout/" not in html


def test_revoked_grant_is_not_ownership(client, product):
    from django.utils import timezone

    buyer = UserFactory()
    PurchasedProductFactory(
        order__user=buyer, order__product=product, revoked_at=timezone.now()
    )
    client.force_login(buyer)
    assert "Buy now" in client.get(product.url).content.decode()


def test_detail_shows_price_version_changelog_categories(client, product):
    html = client.get(product.url).content.decode()
    assert "$39.00" in html and "<del" in html and "$49.00" in html
    assert "Version 2.1.0" in html and "Added billing." in html
    assert "?category=code" in html
    assert "<title>Django Starter · " in html
    assert '<meta name="description" content="Ship a SaaS this week.">' in html


def test_json_ld_product_markup(client, product, settings):
    # Links in the markup are on the shop's public address, like the sitemap's.
    settings.SITE_URL = "https://shop.example.com"
    html = client.get(product.url).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(raw.group(1))
    assert data["@type"] == "Product" and data["name"] == "Django Starter"
    assert data["offers"]["price"] == "39.00"
    assert data["offers"]["priceCurrency"] == "USD"
    assert data["url"] == "https://shop.example.com/products/django-starter/"


def test_draft_product_is_not_served(client):
    draft = ProductPageFactory(live=False)
    assert client.get(f"/products/{draft.slug}/").status_code == 404


@pytest.mark.parametrize("logged_in", [False, True])
def test_detail_query_count_is_fixed(
    client, django_assert_num_queries, django_assert_max_num_queries, logged_in
):
    def build(n):
        return ProductPageFactory(
            title=f"Gallery product {n}",
            cover_image=make_image(f"detail-cover-{n}"),
            categories=[ProductCategoryFactory() for _ in range(n)],
        )

    if logged_in:
        client.force_login(UserFactory())
    small = build(1)
    client.get(small.url)
    with django_assert_max_num_queries(30) as ctx:
        client.get(small.url)
    count = len(ctx.captured_queries)
    for n in range(60):
        ProductPageFactory(title=f"Filler {n}", with_file=False)
    big = build(5)
    client.get(big.url)
    with django_assert_num_queries(count):
        assert client.get(big.url).status_code == 200


def test_detail_loads_the_categories_once(client, django_assert_max_num_queries):
    """The tags and the JSON-LD show the same categories: one query for both."""
    fonts, icons = ProductCategoryFactory(name="Fonts"), ProductCategoryFactory()
    product = ProductPageFactory(categories=[fonts, icons])
    client.get(product.url)  # warm renditions and Wagtail's site cache
    cache.clear()  # a miss of the page cache: the page renders
    with django_assert_max_num_queries(30) as ctx:
        html = client.get(product.url).content.decode()
    category_queries = [
        q["sql"]
        for q in ctx.captured_queries
        if '"catalog_productcategory"' in q["sql"]
    ]
    assert len(category_queries) == 1
    json_ld = html.split('type="application/ld+json"', 1)[1].split("</script>", 1)[0]
    assert "Fonts" in json_ld
    assert '?category=fonts">Fonts</a>' in html
