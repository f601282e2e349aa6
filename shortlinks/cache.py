"""The redirect's cache: slug -> what the redirect needs, with a TTL.

The database stays the truth: a miss (or a lost entry) reads the row again, and
every save or delete forgets the entry so the next request sees the change.
"""

from __future__ import annotations

from collections.abc import Iterable

from site_config.cache import cache_forget_after_commit, cache_get, cache_set

TTL_SECONDS = 300
# Unknown slugs are remembered briefly so a scan of random slugs can't hammer the
# database; creating a link forgets its slug like any other save.
MISSING_TTL_SECONDS = 30
MISSING = "missing"


def key(slug: str) -> str:
    return f"shortlinks:slug:{slug}"


def get(slug: str):
    return cache_get(key(slug))


def put(slug: str, value) -> None:
    ttl = MISSING_TTL_SECONDS if value == MISSING else TTL_SECONDS
    cache_set(key(slug), value, ttl)


def forget(slugs: Iterable[str]) -> None:
    """Drop entries once the save commits (a request that read the old row before
    our commit may have cached it in between); never inside the transaction."""
    cache_forget_after_commit(key(slug) for slug in slugs)
