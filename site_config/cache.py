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
import time
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
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


def cache_get_many(keys: list[str]) -> dict[str, Any]:
    """The cached values found among ``keys``; none when the cache is unreachable."""
    try:
        return cache.get_many(keys)
    except Exception:  # noqa: BLE001 - a broken cache is a miss, never an error
        logger.warning("cache get_many failed; treated as misses", exc_info=True)
        return {}


def cache_set_many(entries: dict[str, Any], timeout: float | None) -> None:
    try:
        cache.set_many(entries, timeout)
    except Exception:  # noqa: BLE001 - the values are simply not cached
        logger.warning("cache set_many failed; not cached", exc_info=True)


def cache_add(key: str, value: Any, timeout: float | None) -> bool | None:
    """``cache.add``: True if stored, False if the key existed, None if unreachable."""
    try:
        return cache.add(key, value, timeout)
    except Exception:  # noqa: BLE001
        logger.warning("cache add %s failed", key, exc_info=True)
        return UNAVAILABLE


def redis_client():
    """The cache's raw Redis client, or None when the cache is not Redis."""
    if "django_redis" not in settings.CACHES["default"]["BACKEND"]:
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def cache_forget_after_commit(keys: Iterable[str]) -> None:
    """Drop cached entries once the surrounding transaction commits (now if none).

    After the commit, so that a request which read the old rows before our commit
    and cached them in between is corrected; not before, so that no cache call runs
    inside the transaction. A failure is logged and the entries die by their TTL.
    """
    _after_commit(forget=keys)


def cache_bump_after_commit(keys: Iterable[str]) -> None:
    """Move generation counters on once the surrounding transaction commits.

    A generation is a number that cached entries record and compare (page cache,
    panel cache): any change makes them misses. An existing counter is incremented;
    a missing one (never set, or evicted) starts from the clock in nanoseconds, a
    value no earlier entry can have recorded. Same timing and failure rules as
    ``cache_forget_after_commit``.
    """
    _after_commit(bump=keys)


class _AfterCommit:
    """Cache work left for after a commit, sent to Redis in one pipeline."""

    def __init__(self, forget: set[str], bump: set[str]) -> None:
        self.forget = forget
        self.bump = bump

    def __call__(self) -> None:
        if not self.forget and not self.bump:
            return
        try:
            client = redis_client()
            if client is None:
                self._apply_through_django()
            else:
                self._apply_in_one_round_trip(client)
        except Exception:  # noqa: BLE001 - entries die by their TTL instead
            logger.warning(
                "cache invalidation of %s failed",
                sorted(self.forget | self.bump),
                exc_info=True,
            )

    def _apply_in_one_round_trip(self, client) -> None:
        pipe = client.pipeline(transaction=False)
        if self.forget:
            pipe.delete(*(str(cache.make_key(key)) for key in sorted(self.forget)))
        for key in sorted(self.bump):
            raw = str(cache.make_key(key))
            pipe.set(raw, time.time_ns(), nx=True)
            pipe.incr(raw)
        pipe.execute()

    def _apply_through_django(self) -> None:
        if self.forget:
            cache.delete_many(list(self.forget))
        for key in self.bump:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, time.time_ns(), timeout=None)


_gathering: ContextVar[_AfterCommit | None] = ContextVar(
    "cache_after_commit", default=None
)


@contextmanager
def cache_work_gathered():
    """Send the after-commit cache work of a block as one round trip at its end.

    For a block that commits its transactions and reads no cache after them (the
    webhook: a payment touches the buyer's panels twice and the seller's
    dashboard). The work is done when the block ends, once any transaction around
    it commits, whatever the outcome: a rolled-back change only makes a few
    entries misses. Outside such a block each call is its own round trip.
    """
    batch = _AfterCommit(set(), set())
    token = _gathering.set(batch)
    try:
        yield
    finally:
        _gathering.reset(token)
        if batch.forget or batch.bump:
            transaction.on_commit(batch, robust=True)


def _after_commit(*, forget: Iterable[str] = (), bump: Iterable[str] = ()) -> None:
    forget, bump = set(forget), set(bump)
    if not forget and not bump:
        return
    gathering = _gathering.get()
    if gathering is not None:
        gathering.forget |= forget
        gathering.bump |= bump
        return
    transaction.on_commit(_AfterCommit(forget, bump), robust=True)
