"""The panels on the Wagtail admin home and the JSON API, per user."""

import pytest

from accounts.tests.factories import StaffFactory, UserFactory

from .fixtures import build_shop

pytestmark = pytest.mark.django_db

API = "/admin/dashboard/api/"


def test_seller_sees_own_panels_with_chart(client):
    shop = build_shop()
    client.force_login(shop.seller)

    response = client.get("/admin/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="seller-dashboard-section"' in html
    assert html.count('class="revenue-chart"') == 2  # one chart per currency
    assert 'data-currency="USD"' in html and 'data-currency="EUR"' in html
    assert '<dd data-stat="customers">2</dd>' in html
    assert "$25.00" in html and "€10.00" in html
    assert "First Buyer" in html and "Icon Pack" in html
    assert "Other Course" not in html  # the other seller's product
    assert 'name="seller"' not in html  # no seller filter for a seller
    assert 'data-ga4="not-configured"' in html
    assert "css/dashboard.css" in html


def test_staff_sees_all_sellers_and_can_filter(client):
    shop = build_shop()
    client.force_login(StaffFactory())

    everyone = client.get("/admin/").content.decode()
    filtered = client.get("/admin/", {"seller": shop.other_seller.pk}).content.decode()

    assert 'name="seller"' in everyone and "Ada Seller" in everyone
    assert "$124.00" in everyone  # 2500 + 9900 this month
    assert "Other Course" in filtered and "Icon Pack" not in filtered
    assert '<dd data-stat="customers">1</dd>' in filtered


def test_customer_gets_no_dashboard(client):
    client.force_login(UserFactory())

    assert client.get(API).status_code in (302, 403)


def test_api_is_seller_scoped(client):
    shop = build_shop()
    client.force_login(shop.seller)

    body = client.get(API, {"seller": shop.other_seller.pk}).json()

    assert body["seller_id"] == shop.seller.pk  # a seller cannot pick another
    assert body["revenue"]["USD"][-2:] == [1500, 2500]
    assert body["revenue"]["EUR"][-1] == 1000
    assert body["customers"] == 2
    assert len(body["months"]) == 13
    assert {row["product_title"] for row in body["sales_per_product"]} == {
        "Icon Pack",
        "Euro Ebook",
    }
    assert "page_views" not in body
    assert "GA4_PROPERTY_ID" in body["ga4"]


def test_api_staff_filter(client):
    shop = build_shop()
    client.force_login(StaffFactory())

    body = client.get(API, {"seller": shop.other_seller.pk}).json()

    assert body["seller_id"] == shop.other_seller.pk
    assert body["revenue"] == {"USD": [0] * 12 + [9900]}


def test_query_counts_are_fixed(client, django_assert_max_num_queries):
    from django.core.cache import cache

    from commerce.tests.factories import PaidOrderFactory

    shop = build_shop()
    client.force_login(shop.seller)
    cache.clear()
    with django_assert_max_num_queries(60) as home_small:
        client.get("/admin/")
    cache.clear()
    with django_assert_max_num_queries(20) as api_small:
        client.get(API)
    for _ in range(10):
        PaidOrderFactory(product=shop.product_eur)

    cache.clear()
    with django_assert_max_num_queries(len(home_small.captured_queries)):
        html = client.get("/admin/").content.decode()
    cache.clear()
    with django_assert_max_num_queries(len(api_small.captured_queries)):
        body = client.get(API).json()
    assert "€110.00" in html
    assert body["this_month"]["EUR"] == 11 * 1000
