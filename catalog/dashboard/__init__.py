"""Seller dashboard: analytics selectors, cached figures, admin panels and API."""

from .cache import dashboard_cache_invalidate

__all__ = ["dashboard_cache_invalidate"]
