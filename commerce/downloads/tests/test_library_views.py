"""``/account/products/`` (the library) and ``/account/orders/`` (billing history)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from accounts.tests.factories import SellerFactory, UserFactory
from catalog.models import ProductPage
from catalog.tests.factories import ProductPageFactory
from commerce.models import OrderStatus
from commerce.tests.factories import (
    OrderFactory,
    PaidOrderFactory,
    PurchasedProductFactory,
)

from .helpers import revoke

pytestmark = pytest.mark.django_db

# Session, user, count, rows (+ covers, their renditions, the release history and
# the license keys for the library).
LIBRARY_QUERY_BUDGET = 8
ORDERS_QUERY_BUDGET = 6


def buy(user, *, with_cover=False, **order_kwargs):
    product = ProductPageFactory()
    if with_cover:
        cover = get_image_model().objects.create(
            title=f"cover {product.pk}", file=get_test_image_file()
        )
        ProductPage.objects.filter(pk=product.pk).update(cover_image=cover)
    return PurchasedProductFactory(
        order__user=user, order__product=product, **order_kwargs
    )


def test_library_lists_active_purchases(client):
    buyer = UserFactory()
    owned = buy(buyer, with_cover=True)
    refunded = buy(buyer)
    revoke(refunded)
    someone_elses = buy(UserFactory())

    client.force_login(buyer)
    response = client.get("/account/products/")
    assert response.status_code == 200
    html = response.content.decode()
    assert owned.product.title in html
    assert f'method="post" action="/downloads/{owned.product.pk}/"' in html
    assert "Version 1.0.0" in html
    assert "<img" in html
    assert refunded.product.title not in html
    assert someone_elses.product.title not in html
    assert [p.pk for p in response.context["purchases"]] == [owned.pk]
    assert 'class="active" aria-current="page">My products' in html
    assert response.context["active_page"] == "products"


def test_refunded_purchase_stays_in_order_history(client):
    buyer = UserFactory()
    refunded = buy(buyer)
    revoke(refunded)
    client.force_login(buyer)
    html = client.get("/account/orders/").content.decode()
    assert refunded.product.title in html
    assert "Refunded" in html
    assert refunded.order.dodo_payment_id in html


def test_updated_badge_shows_for_recent_updates_only(client, settings):
    settings.UPDATED_BADGE_DAYS = 3
    buyer = UserFactory()
    fresh, stale, never = buy(buyer), buy(buyer), buy(buyer)
    now = timezone.now()
    ProductPage.objects.filter(pk=fresh.product.pk).update(
        content_updated_at=now - timedelta(days=2), changelog="Added chapter 9"
    )
    ProductPage.objects.filter(pk=stale.product.pk).update(
        content_updated_at=now - timedelta(days=4)
    )
    client.force_login(buyer)
    response = client.get("/account/products/")
    flags = {
        p.product_id: p.product_recently_updated for p in response.context["purchases"]
    }
    assert flags == {
        fresh.product.pk: True,
        stale.product.pk: False,
        never.product.pk: False,
    }
    html = response.content.decode()
    assert html.count("library-item__updated") == 1
    assert "Added chapter 9" in html


def test_seller_buying_as_a_customer_has_a_library(client):
    seller = SellerFactory()
    purchase = buy(seller)
    client.force_login(seller)
    assert purchase.product.title in client.get("/account/products/").content.decode()


def test_panel_pages_need_login(client):
    for url in ("/account/products/", "/account/orders/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/")


def test_library_and_orders_paginate(client):
    buyer = UserFactory()
    for _ in range(22):
        buy(buyer)
    client.force_login(buyer)
    first = client.get("/account/products/")
    assert len(first.context["purchases"]) == 20
    assert 'href="?page=2"' in first.content.decode()
    assert len(client.get("/account/products/?page=2").context["purchases"]) == 2
    orders = client.get("/account/orders/?page=2")
    assert len(orders.context["billing_rows"]) == 2
    assert "Page 2 of 2" in orders.content.decode()


def test_order_history_is_a_billing_list(client):
    buyer = UserFactory()
    product = ProductPageFactory(price=4999, currency="EUR")
    paid = PaidOrderFactory(
        user=buyer, product=product, total_amount=123456, dodo_payment_id="pay_abc123"
    )
    refunded = PaidOrderFactory(
        user=buyer, status=OrderStatus.PARTIALLY_REFUNDED, refunded_amount=500
    )
    failed = OrderFactory(user=buyer, status=OrderStatus.FAILED)
    abandoned = OrderFactory(user=buyer, status=OrderStatus.PENDING)
    OrderFactory(user=UserFactory(), status=OrderStatus.PAID)

    client.force_login(buyer)
    response = client.get("/account/orders/")
    rows = {row.order_id: row for row in response.context["billing_rows"]}
    assert set(rows) == {paid.pk, refunded.pk, failed.pk}
    assert abandoned.pk not in rows
    assert rows[paid.pk].amount == "€1,234.56"
    assert rows[paid.pk].currency == "EUR"
    assert rows[paid.pk].status == "Paid"
    assert rows[paid.pk].payment_id == "pay_abc123"
    assert rows[paid.pk].product_title == product.title
    assert rows[refunded.pk].refunded == "$5.00"
    html = response.content.decode()
    assert "€1,234.56" in html
    assert "pay_abc123" in html
    assert "refunded $5.00" in html
    assert "Partially refunded" in html


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/account/products/", LIBRARY_QUERY_BUDGET),
        ("/account/orders/", ORDERS_QUERY_BUDGET),
    ],
)
def test_query_budget_is_fixed_at_3_and_40_rows(
    client, url, budget, django_assert_max_num_queries
):
    buyer = UserFactory()
    for _ in range(3):
        buy(buyer, with_cover=True)
    client.force_login(buyer)
    client.get(url)  # renders (and stores) cover renditions once
    with django_assert_max_num_queries(budget):
        client.get(url)
    at_3 = count_queries(client, url)

    for _ in range(37):
        buy(buyer, with_cover=True)
    client.get(url)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert len(response.context["object_list"]) == 20
    at_40 = count_queries(client, url)
    assert at_3 == at_40, (at_3, at_40)
