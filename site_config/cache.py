"""The cache is an optimisation: every read and write here tolerates its failure.

"Cache may lie, the database must not" (spec). With Redis the backend
(django-redis with ``IGNORE_EXCEPTIONS``, settings.CACHES) already turns a refused
or timed-out call into a miss after at most ``CACHE_SOCKET_TIMEOUT``; these helpers
are the second line for anything it lets through (another backend, a value that no
longer unpickles), and the one place that says where invalidation runs: after the
commit, never inside a business transaction, so a slow or dead Redis can neither
hold row locks nor roll a payment back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger("storefront.cache")

# django-redis answers this instead of raising when it ignored a connection error.
UNAVAILABLE = None


def cache_get(key: str, default: Any = None) -> Any:
    """The cached value, or ``default`` when absent or the cache is unreachable."""
    try:
        return cache.get(key, default)
    except Exception:  # noqa: BLE001 - a broken cache is a miss, never an error
        logger.warning("cache get %s failed; treated as a miss", key, exc_info=True)
        return default


def cache_set(key: str, value: Any, timeout: float | None) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:  # noqa: BLE001 - the value is simply not cached
        logger.warning("cache set %s failed; not cached", key, exc_info=True)


def cache_add(key: str, value: Any, timeout: float | None) -> bool | None:
    """``cache.add``: True if stored, False if the key existed, None if unreachable."""
    try:
        return cache.add(key, value, timeout)
    except Exception:  # noqa: BLE001
        logger.warning("cache add %s failed", key, exc_info=True)
        return UNAVAILABLE


def _delete_many(keys: list[str]) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001 - the entries expire by their TTL instead
        logger.warning("cache delete of %s failed", keys, exc_info=True)


def cache_forget_after_commit(keys: Iterable[str]) -> None:
    """Drop cached entries once the surrounding transaction commits (now if none).

    After the commit, so that a request which read the old rows before our commit
    and cached them in between is corrected; not before, so that no cache call runs
    inside the transaction. A failure is logged and the entries die by their TTL.
    """
    keys = list(keys)
    if keys:
        transaction.on_commit(lambda: _delete_many(keys), robust=True)
