"""The redirect's cache: slug -> what the redirect needs, with a TTL.

The database stays the truth: a miss (or a lost entry) reads the row again, and
every save or delete forgets the entry so the next request sees the change.

With Redis (production) an entry is a plain hash (``pk``, ``destination``,
``expires`` as a Unix time or "") under the cache's own key for the slug, so that a
Lua script can read it: ``follow`` resolves a slug *and* counts the hit into the
buffer ``services`` flushes, in one round trip (issue 14: a cached redirect costs
what the floor view costs, and still counts every hit). Any other cache backend
(development, tests) keeps the same entry as a pickled dict through Django's API.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from django.core.cache import cache

from site_config.cache import (
    cache_forget_after_commit,
    cache_get,
    cache_set,
    redis_client,
)

logger = logging.getLogger(__name__)

TTL_SECONDS = 300
# Unknown slugs are remembered briefly so a scan of random slugs can't hammer the
# database; creating a link forgets its slug like any other save.
MISSING_TTL_SECONDS = 30
MISSING = "missing"

# The hit buffer (``services.shortlink_hits_flush`` moves it into the rows).
COUNTS = "shortlinks:hits:counts"
LAST_HIT = "shortlinks:hits:last"

# KEYS: the entry, the counts, the last-hit times; ARGV: now (Unix time).
# Answers nil (no entry), {""} (remembered as missing) or {pk, destination,
# expires, counted}: a live link's hit is counted here, an expired one's is not.
_FOLLOW = """
local v = redis.call('HMGET', KEYS[1], 'pk', 'destination', 'expires')
if not v[1] then return nil end
if v[1] == '' then return {''} end
if v[3] == '' or tonumber(v[3]) > tonumber(ARGV[1]) then
  redis.call('HINCRBY', KEYS[2], v[1], 1)
  redis.call('HSET', KEYS[3], v[1], ARGV[1])
  v[4] = '1'
else
  v[4] = '0'
end
return v
"""
_follow_script = None


def key(slug: str) -> str:
    return f"shortlinks:slug:{slug}"


def _raw_key(slug: str) -> str:
    # The key Django's cache API uses for this slug: ``forget`` deletes it as is.
    return str(cache.make_key(key(slug)))


def _decode(fields: list) -> dict | str | None:
    values = [v.decode() if isinstance(v, bytes) else v for v in fields]
    if not values or values[0] is None:
        return None
    if values[0] == "":
        return MISSING
    pk, destination, expires = values[:3]
    return {
        "pk": int(pk),
        "destination": destination,
        "expires_at": datetime.fromtimestamp(float(expires), tz=UTC)
        if expires
        else None,
    }


def get(slug: str):
    """The entry for ``slug`` (a dict), ``MISSING``, or None when not cached."""
    client = redis_client()
    if client is None:
        return cache_get(key(slug))
    try:
        return _decode(client.hmget(_raw_key(slug), ["pk", "destination", "expires"]))
    except Exception:  # noqa: BLE001 - a broken cache is a miss
        logger.warning("short link cache read failed", exc_info=True)
        return None


def put(slug: str, value) -> None:
    ttl = MISSING_TTL_SECONDS if value == MISSING else TTL_SECONDS
    client = redis_client()
    if client is None:
        cache_set(key(slug), value, ttl)
        return
    if value == MISSING:
        fields = {"pk": "", "destination": "", "expires": ""}
    else:
        expires = value["expires_at"]
        fields = {
            "pk": value["pk"],
            "destination": value["destination"],
            "expires": repr(expires.timestamp()) if expires else "",
        }
    try:
        pipe = client.pipeline(transaction=True)
        pipe.delete(_raw_key(slug))
        pipe.hset(_raw_key(slug), mapping=fields)
        pipe.expire(_raw_key(slug), ttl)
        pipe.execute()
    except Exception:  # noqa: BLE001 - the entry is simply not cached
        logger.warning("short link cache write failed", exc_info=True)


def follow(slug: str, now: datetime) -> tuple[dict | str | None, bool]:
    """(entry, counted) for a visit at ``now``, in one round trip with Redis.

    ``counted`` says the hit went into the buffer (a live, cached link); a miss,
    an expired link or another backend leaves the counting to the caller. Raises
    when Redis fails, like any client call; the caller falls back to the database.
    """
    global _follow_script
    client = redis_client()
    if client is None:
        return get(slug), False
    if _follow_script is None:
        _follow_script = client.register_script(_FOLLOW)
    reply = _follow_script(
        keys=[_raw_key(slug), COUNTS, LAST_HIT],
        args=[repr(now.timestamp())],
        client=client,
    )
    if reply is None:
        return None, False
    counted = len(reply) > 3 and reply[3] in (b"1", "1")
    return _decode(reply), counted


def forget(slugs: Iterable[str]) -> None:
    """Drop entries once the save commits (a request that read the old row before
    our commit may have cached it in between); never inside the transaction."""
    cache_forget_after_commit(key(slug) for slug in slugs)
