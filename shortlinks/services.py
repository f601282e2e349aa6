"""Writes for short links: counting hits.

A redirect served from the cache should cost no database write (issue 14, point 7),
yet every hit must be counted. So with Redis a hit goes into a buffer (``HINCRBY``
of the link's count, ``HSET`` of its last time): for a cached link in the same
round trip that resolves it (``cache.follow``), else in one pipelined call, and
``shortlink_hits_flush`` (Celery Beat, every minute) moves the buffer into the rows
in one transaction. The flush first renames the buffer (atomic in Redis), so hits
arriving meanwhile go to a fresh one; a batch is deleted only after its rows
committed, and a batch left over by a failed or killed flush is applied by the
next one. (A flush killed between its commit and the delete applies that batch
twice: counts are at least, never less than, the hits.)

Without Redis (development, tests, or Redis down) a hit is counted in the database
at once with one atomic ``UPDATE``, as before: nothing is lost either way.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from .cache import COUNTS, LAST_HIT, redis_client
from .models import ShortLink

logger = logging.getLogger(__name__)

FLUSHING = "shortlinks:hits:flushing:"
LAST_SUFFIX = ":last"


def shortlink_record_hit(*, link_id: int) -> None:
    """Count one visit: into the Redis buffer, or straight into the row."""
    now = timezone.now()
    client = redis_client()
    if client is not None:
        try:
            pipe = client.pipeline(transaction=True)
            pipe.hincrby(COUNTS, link_id, 1)
            pipe.hset(LAST_HIT, link_id, now.timestamp())
            pipe.execute()
            return
        except Exception:  # noqa: BLE001 - Redis down: the database counts it
            logger.warning("short link hit not buffered; counted in the database")
    _apply(link_id, 1, now)


def _apply(link_id: int, hits: int, last_hit_at: datetime) -> None:
    # ``update()`` skips ``save()``: the cached destination stays valid. One atomic
    # UPDATE, so concurrent hits never collide; the later of two times wins.
    stamp = Value(last_hit_at)
    ShortLink.objects.filter(pk=link_id).update(
        hit_count=F("hit_count") + hits,
        last_hit_at=Greatest(Coalesce(F("last_hit_at"), stamp), stamp),
    )


# Renames the live buffer (counts and last-hit times together) to a batch name, in
# one atomic step: hits from now on start a fresh buffer.
_TAKE_BUFFER = """
if redis.call('exists', KEYS[1]) == 0 then return 0 end
redis.call('rename', KEYS[1], KEYS[3])
if redis.call('exists', KEYS[2]) == 1 then redis.call('rename', KEYS[2], KEYS[4]) end
return 1
"""


def shortlink_hits_flush() -> int:
    """Move buffered hits into the rows; the number of hits moved."""
    client = redis_client()
    if client is None:
        return 0
    batch = f"{FLUSHING}{uuid.uuid4().hex}"
    try:
        client.eval(_TAKE_BUFFER, 4, COUNTS, LAST_HIT, batch, batch + LAST_SUFFIX)
        # This batch and any a failed or killed flush left behind.
        batches = sorted(
            key.decode() if isinstance(key, bytes) else key
            for key in client.scan_iter(match=f"{FLUSHING}*")
        )
    except Exception:  # noqa: BLE001 - Redis down: hits go to the database meanwhile
        logger.warning("short link hits not flushed: Redis unavailable", exc_info=True)
        return 0
    return sum(
        _flush_batch(client, key) for key in batches if not key.endswith(LAST_SUFFIX)
    )


def _flush_batch(client, key: str) -> int:
    counts = {int(k): int(v) for k, v in client.hgetall(key).items()}
    last = {int(k): float(v) for k, v in client.hgetall(key + LAST_SUFFIX).items()}
    with transaction.atomic():
        for link_id, hits in sorted(counts.items()):
            stamp = last.get(link_id)
            when = datetime.fromtimestamp(stamp, tz=UTC) if stamp else timezone.now()
            _apply(link_id, hits, when)
    client.delete(key, key + LAST_SUFFIX)
    return sum(counts.values())
