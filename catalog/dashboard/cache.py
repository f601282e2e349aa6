"""Cache keys of the dashboard figures, and their invalidation.

Figures are cached per seller and once for "all sellers" (staff's default view), so
a payment for one seller clears both of those keys.
"""

from __future__ import annotations

from site_config.cache import cache_forget_after_commit

ALL_SELLERS = "all"


def figures_key(seller_id: int | None) -> str:
    return f"dashboard:figures:{seller_id if seller_id is not None else ALL_SELLERS}"


def ga4_key(seller_id: int | None) -> str:
    return f"dashboard:ga4:{seller_id if seller_id is not None else ALL_SELLERS}"


def dashboard_cache_invalidate(seller_id: int | None) -> None:
    """Forget the cached figures of ``seller_id`` (and of the all-sellers view).

    Cleared once the surrounding transaction (the payment's) commits: a dashboard
    read racing the payment cannot keep the figures from before it, and a slow or
    dead Redis can neither delay nor fail the payment.
    """
    cache_forget_after_commit([figures_key(seller_id), figures_key(None)])
