"""Figures are cached per seller and cleared when that seller's payments change."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from catalog.dashboard import dashboard_cache_invalidate
from catalog.dashboard.cache import figures_key
from catalog.dashboard.figures import dashboard_figures
from commerce.models import OrderStatus
from commerce.tests.factories import OrderFactory, PaidOrderFactory

from .fixtures import build_shop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_second_read_comes_from_cache(django_assert_num_queries):
    shop = build_shop()
    dashboard_figures(seller_id=shop.seller.pk)

    with django_assert_num_queries(0):
        figures = dashboard_figures(seller_id=shop.seller.pk)

    assert figures["this_month"]["USD"] == 2500


def test_new_payment_invalidates_that_sellers_cache(django_capture_on_commit_callbacks):
    shop = build_shop()
    assert dashboard_figures(seller_id=shop.seller.pk)["this_month"]["USD"] == 2500
    dashboard_figures(seller_id=shop.other_seller.pk)
    dashboard_figures(seller_id=None)

    # As the commerce service does it: a pending checkout, later marked paid.
    order = OrderFactory(product=shop.product_usd)
    assert cache.get(figures_key(shop.seller.pk)) is not None  # pending: kept
    with django_capture_on_commit_callbacks(execute=True):
        order.status = OrderStatus.PAID
        order.is_paid = True
        order.paid_at = timezone.now()
        order.save(update_fields=["status", "is_paid", "paid_at", "updated_at"])

    assert cache.get(figures_key(shop.seller.pk)) is None
    assert cache.get(figures_key(None)) is None
    assert cache.get(figures_key(shop.other_seller.pk)) is not None
    assert dashboard_figures(seller_id=shop.seller.pk)["this_month"]["USD"] == 5000


def test_refund_invalidates(django_capture_on_commit_callbacks):
    shop = build_shop()
    order = PaidOrderFactory(product=shop.product_usd)
    assert dashboard_figures(seller_id=shop.seller.pk)["this_month"]["USD"] == 5000

    with django_capture_on_commit_callbacks(execute=True):
        order.refunded_amount = 2500
        order.status = OrderStatus.REFUNDED
        order.save(update_fields=["refunded_amount", "status"])

    assert dashboard_figures(seller_id=shop.seller.pk)["this_month"]["USD"] == 2500


def test_unrelated_save_keeps_cache():
    shop = build_shop()
    order = PaidOrderFactory(product=shop.product_usd)
    dashboard_figures(seller_id=shop.seller.pk)

    order.billing_city = "Lisbon"
    order.save(update_fields=["billing_city"])

    assert cache.get(figures_key(shop.seller.pk)) is not None


def test_invalidate_function_for_other_apps(committed):
    shop = build_shop()
    dashboard_figures(seller_id=shop.seller.pk)

    with committed():
        dashboard_cache_invalidate(shop.seller.pk)

    assert cache.get(figures_key(shop.seller.pk)) is None


def test_a_delivered_payment_clears_the_dashboard_and_the_buyers_panels_at_once(
    client, committed
):
    """The webhook gathers its cache work (site_config.cache_work_gathered): the
    seller's figures and the buyer's panel generation, once it has committed."""
    from accounts.panel_cache import _user_generation_key
    from commerce.tests.conftest import deliver, payment_data

    shop = build_shop()
    order = OrderFactory(product=shop.product_usd, dodo_checkout_session_id="cks_g")
    order.product.dodo_product_id = "pdt_gathered"
    order.product.save(update_fields=["dodo_product_id"])
    dashboard_figures(seller_id=shop.seller.pk)
    dashboard_figures(seller_id=shop.other_seller.pk)
    generation = _user_generation_key(order.user_id)
    cache.set(generation, 5, timeout=None)

    with committed() as callbacks:
        response = deliver(client, "payment.succeeded", payment_data(order))
        assert cache.get(figures_key(shop.seller.pk)) is not None  # not yet

    assert response.status_code == 200
    assert any(type(c).__name__ == "_AfterCommit" for c in callbacks)
    assert cache.get(figures_key(shop.seller.pk)) is None
    assert cache.get(figures_key(shop.other_seller.pk)) is not None
    assert cache.get(generation) == 6  # bumped once for the order and its grant
