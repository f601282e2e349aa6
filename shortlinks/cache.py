"""The redirect's cache: slug -> what the redirect needs, with a TTL.

The database stays the truth: a miss (or a lost entry) reads the row again, and
every save or delete forgets the entry so the next request sees the change.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

TTL_SECONDS = 300
# Unknown slugs are remembered briefly so a scan of random slugs can't hammer the
# database; creating a link forgets its slug like any other save.
MISSING_TTL_SECONDS = 30
MISSING = "missing"


def key(slug: str) -> str:
    return f"shortlinks:slug:{slug}"


def get(slug: str):
    return cache.get(key(slug))


def put(slug: str, value) -> None:
    ttl = MISSING_TTL_SECONDS if value == MISSING else TTL_SECONDS
    cache.set(key(slug), value, ttl)


def forget(slugs: Iterable[str]) -> None:
    """Drop entries now, and again after commit.

    Now: the caller's next read sees the change. After commit: a request that read
    the old row before our commit may have cached it again in between.
    """
    keys = [key(slug) for slug in slugs]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
