"""Cache keys of the dashboard figures, and their invalidation.

Figures are cached per seller and once for "all sellers" (staff's default view), so
a payment for one seller clears both of those keys.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

ALL_SELLERS = "all"


def figures_key(seller_id: int | None) -> str:
    return f"dashboard:figures:{seller_id if seller_id is not None else ALL_SELLERS}"


def ga4_key(seller_id: int | None) -> str:
    return f"dashboard:ga4:{seller_id if seller_id is not None else ALL_SELLERS}"


def dashboard_cache_invalidate(seller_id: int | None) -> None:
    """Forget the cached figures of ``seller_id`` (and of the all-sellers view).

    Cleared now and again once the surrounding transaction commits, so a dashboard
    read racing the payment cannot cache the figures from before it.
    """
    keys = [figures_key(seller_id), figures_key(None)]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
