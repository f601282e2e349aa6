"""The dashboard's figures: computed from the database on a miss, cached per seller."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from site_config.cache import cache_get, cache_set

from . import selectors
from .cache import figures_key


def dashboard_figures(*, seller_id: int | None) -> dict:
    """Customers, monthly net revenue per currency, latest buyers, sales per product.

    Cached for ``DASHBOARD_CACHE_SECONDS``; a miss recomputes from the database, so
    the dashboard is never empty.
    """
    key = figures_key(seller_id)
    figures = cache_get(key)
    if figures is None:
        figures = compute_figures(seller_id=seller_id)
        cache_set(key, figures, settings.DASHBOARD_CACHE_SECONDS)
    return figures


def compute_figures(*, seller_id: int | None) -> dict:
    """The dashboard's figures straight from the database (four queries)."""
    months = selectors.month_starts()
    index = {month: i for i, month in enumerate(months)}
    revenue: dict[str, list[int]] = {}
    for row in selectors.revenue_by_month(seller_id=seller_id):
        if row.month in index:
            series = revenue.setdefault(row.currency, [0] * len(months))
            series[index[row.month]] += row.net
    currencies = sorted(revenue)
    return {
        "seller_id": seller_id,
        "computed_at": timezone.now(),
        "months": months,
        "currencies": currencies,
        "revenue": {currency: revenue[currency] for currency in currencies},
        "this_month": {currency: revenue[currency][-1] for currency in currencies},
        "customers": selectors.customers_total(seller_id=seller_id),
        "latest_buyers": selectors.latest_buyers(seller_id=seller_id),
        "sales_per_product": selectors.sales_per_product(seller_id=seller_id),
    }
