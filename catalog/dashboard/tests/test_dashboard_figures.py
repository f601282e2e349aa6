import pytest

from catalog.dashboard.figures import compute_figures
from catalog.dashboard.selectors import month_starts
from commerce.tests.factories import PaidOrderFactory, PurchasedProductFactory

from .fixtures import build_shop

pytestmark = pytest.mark.django_db


def test_figures_match_hand_computed_fixture():
    shop = build_shop()

    figures = compute_figures(seller_id=shop.seller.pk)

    assert figures["months"] == month_starts()
    assert len(figures["months"]) == 13
    assert figures["currencies"] == ["EUR", "USD"]
    usd, eur = figures["revenue"]["USD"], figures["revenue"]["EUR"]
    assert usd[-1] == 2500  # 2500 paid + 2500 paid and fully refunded
    assert usd[-2] == 1500  # 2500 - 1000 partial refund
    assert sum(usd) == 4000  # the 13-month-old order and the pending one excluded
    assert eur[-1] == 1000
    assert eur[-2] == 0  # paid and fully refunded
    assert eur[0] == 1000  # twelve months ago is still in the window
    assert sum(eur) == 2000
    assert figures["this_month"] == {"EUR": 1000, "USD": 2500}
    assert figures["customers"] == 2


def test_figures_are_seller_scoped_and_staff_sees_all():
    shop = build_shop()

    other = compute_figures(seller_id=shop.other_seller.pk)
    everyone = compute_figures(seller_id=None)

    assert other["revenue"] == {"USD": [0] * 12 + [9900]}
    assert other["customers"] == 1
    assert [row["product_title"] for row in other["latest_buyers"]] == ["Other Course"]
    assert everyone["this_month"] == {"EUR": 1000, "USD": 2500 + 9900}
    assert everyone["customers"] == 3


def test_latest_buyers_and_sales_per_product():
    shop = build_shop()

    figures = compute_figures(seller_id=shop.seller.pk)

    buyers = figures["latest_buyers"]
    assert buyers[0]["paid_at"] >= buyers[-1]["paid_at"]
    assert {row["product_title"] for row in buyers} == {"Icon Pack", "Euro Ebook"}
    assert "Other Course" not in {row["product_title"] for row in buyers}
    sales = {
        (row["product_title"], row["currency"]): (row["orders"], row["net"])
        for row in figures["sales_per_product"]
    }
    # All-time: Icon Pack 4 paid orders = 10000 - 3500 refunded; Euro Ebook 3.
    assert sales == {("Icon Pack", "USD"): (4, 6500), ("Euro Ebook", "EUR"): (3, 2000)}


def test_query_count_does_not_grow_with_orders(django_assert_num_queries):
    shop = build_shop()
    with django_assert_num_queries(4):
        compute_figures(seller_id=shop.seller.pk)

    for _ in range(15):
        PurchasedProductFactory(order=PaidOrderFactory(product=shop.product_usd))
    with django_assert_num_queries(4):
        figures = compute_figures(seller_id=shop.seller.pk)
    assert figures["this_month"]["USD"] == 2500 + 15 * 2500
    assert figures["customers"] == 2 + 15
