import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.models import ProductPage
from catalog.site_tree import ensure_product_index
from catalog.tests.factories import ProductCategoryFactory, ProductPageFactory
from catalog.tests.helpers import make_image
from commerce.tests.factories import PurchasedProductFactory

pytestmark = pytest.mark.django_db

URL = "/products/"


def titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'class="product-card__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def shop():
    ebooks = ProductCategoryFactory(name="E-books")
    code = ProductCategoryFactory(name="Code")
    design = ProductCategoryFactory(name="Design")
    products = {
        "postgres": ProductPageFactory(
            title="Pragmatic Postgres", price=1900, categories=[ebooks]
        ),
        "starter": ProductPageFactory(
            title="Django Starter", price=4900, selling_price=900, categories=[code]
        ),
        "icons": ProductPageFactory(
            title="Icon Set",
            price=1500,
            summary="Vector shapes for dashboards",
            categories=[design],
        ),
        "htmx": ProductPageFactory(
            title="HTMX Book", price=2400, categories=[ebooks, code]
        ),
    }
    # Newest first by first publication: space them out explicitly.
    now = timezone.now()
    for age, key in enumerate(["htmx", "icons", "starter", "postgres"]):
        ProductPage.objects.filter(pk=products[key].pk).update(
            first_published_at=now - timedelta(days=age)
        )
    return {"products": products, "ebooks": ebooks, "code": code, "design": design}


def test_lists_live_products_newest_first(client, shop):
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == [
        "HTMX Book",
        "Icon Set",
        "Django Starter",
        "Pragmatic Postgres",
    ]
    assert "4 products" in response.content.decode()


def test_drafts_and_unpublished_products_are_excluded(client, shop):
    ProductPageFactory(title="Secret Draft", live=False)
    shop["products"]["icons"].unpublish()
    names = titles(client.get(URL))
    assert "Secret Draft" not in names
    assert "Icon Set" not in names
    assert len(names) == 3


def test_search_matches_title_summary_and_category_name(client, shop):
    assert titles(client.get(URL, {"q": "postgres"})) == ["Pragmatic Postgres"]
    assert titles(client.get(URL, {"q": "dashboards"})) == ["Icon Set"]
    assert set(titles(client.get(URL, {"q": "e-books"}))) == {
        "Pragmatic Postgres",
        "HTMX Book",
    }


def test_category_filter_alone(client, shop):
    assert set(titles(client.get(URL, {"category": "code"}))) == {
        "Django Starter",
        "HTMX Book",
    }


def test_category_filters_combined_are_any_of_without_duplicates(client, shop):
    names = titles(client.get(URL + "?category=e-books&category=design"))
    assert sorted(names) == ["HTMX Book", "Icon Set", "Pragmatic Postgres"]


def test_category_and_search_combined(client, shop):
    assert titles(client.get(URL, {"category": "code", "q": "htmx"})) == ["HTMX Book"]


def test_unknown_category_gives_no_results_state(client, shop):
    response = client.get(URL, {"category": "nope"})
    assert titles(response) == []
    assert "No products match" in response.content.decode()


def test_empty_catalogue_says_so(client):
    ensure_product_index()
    response = client.get(URL)
    assert "No products yet" in response.content.decode()


def test_sort_by_effective_price(client, shop):
    assert titles(client.get(URL, {"sort": "price_asc"})) == [
        "Django Starter",  # on sale at 9.00
        "Icon Set",
        "Pragmatic Postgres",
        "HTMX Book",
    ]
    assert titles(client.get(URL, {"sort": "price_desc"}))[0] == "HTMX Book"
    # An unknown sort falls back to newest.
    assert titles(client.get(URL, {"sort": "evil"}))[0] == "HTMX Book"


def test_pagination_edges(client):
    for n in range(13):
        ProductPageFactory(title=f"Item {n:02d}")
    first = client.get(URL)
    assert len(titles(first)) == 12
    assert 'rel="next" href="?page=2"' in first.content.decode()
    second = client.get(URL, {"page": 2})
    assert len(titles(second)) == 1
    assert 'rel="prev"' in second.content.decode()
    # Out-of-range and junk page numbers land on a real page, not an error.
    assert titles(client.get(URL, {"page": 99})) == titles(second)
    assert titles(client.get(URL, {"page": "x"})) == titles(first)


def test_pagination_links_keep_filters(client):
    category = ProductCategoryFactory(name="Bulk")
    for n in range(13):
        ProductPageFactory(title=f"Bulk {n:02d}", categories=[category])
    html = client.get(URL, {"category": "bulk", "q": "bulk"}).content.decode()
    assert 'href="?q=bulk&amp;category=bulk&amp;page=2"' in html


def test_htmx_request_gets_only_the_results_fragment(client, shop):
    response = client.get(URL, {"category": "code"}, HTTP_HX_REQUEST="true")
    html = response.content.decode().strip()
    assert html.startswith('<section id="product-results"')
    assert "<html" not in html and "catalog-filters" not in html
    assert set(titles(response)) == {"Django Starter", "HTMX Book"}


def test_full_page_has_the_htmx_filter_form(client, shop):
    html = client.get(URL).content.decode()
    assert 'hx-get="/products/"' in html and 'hx-push-url="true"' in html
    assert 'name="category" value="e-books"' in html


def test_listing_shows_sale_price_badges_and_owned_state(client, shop):
    starter = shop["products"]["starter"]
    ProductPage.objects.filter(pk=starter.pk).update(content_updated_at=timezone.now())
    buyer = UserFactory()
    PurchasedProductFactory(order__user=buyer, order__product=starter)
    client.force_login(buyer)
    html = client.get(URL, {"category": "code"}).content.decode()
    card = html[html.index("Django Starter") - 600 : html.index("Django Starter") + 900]
    assert "$9.00" in card and "<del" in card and "$49.00" in card
    assert ">Updated<" in card and ">Owned<" in card
    other = html[html.index("HTMX Book") :]
    assert ">Owned<" not in other[: other.find("</article>")]


def _bulk_products(count: int, categories) -> None:
    for n in range(count):
        ProductPageFactory(
            title=f"Bulk product {n}",
            categories=categories,
            cover_image=make_image(f"cover-{n}"),
            with_file=False,
        )


# What a render costs (a cache miss): the page cache is off.
@override_settings(PAGE_CACHE_SECONDS=0)
@pytest.mark.parametrize("logged_in", [False, True])
def test_listing_query_count_is_fixed(
    client, django_assert_num_queries, django_assert_max_num_queries, logged_in
):
    categories = [ProductCategoryFactory(), ProductCategoryFactory()]
    if logged_in:
        client.force_login(UserFactory())
    _bulk_products(5, categories)
    client.get(URL)  # warm renditions and Wagtail's site cache

    with django_assert_max_num_queries(20) as small:
        assert client.get(URL).status_code == 200
    at_5 = len(small.captured_queries)
    _bulk_products(55, categories)
    client.get(URL)
    with django_assert_num_queries(at_5):
        response = client.get(URL + "?sort=price_asc&category=" + categories[0].slug)
    assert len(titles(response)) == 12
    assert at_5 == (17 if logged_in else 12)


def test_htmx_response_pushes_the_clean_url(client, shop):
    response = client.get(URL + "?q=&category=code&sort=newest", HTTP_HX_REQUEST="true")
    assert response["HX-Push-Url"] == "/products/?category=code"
    response = client.get(URL + "?q=&sort=newest", HTTP_HX_REQUEST="true")
    assert response["HX-Push-Url"] == "/products/"
