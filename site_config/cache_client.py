"""The Redis client under the cache: after a failure, skip Redis for a few seconds.

django-redis turns a refused or timed-out call into a miss, but a *hung* Redis
(accepting connections, answering nothing) still costs every call the full socket
timeout, and a page makes several cache calls. This client remembers, on its
connection pool (shared by every thread of the process), that Redis just failed,
and for ``down_for`` seconds refuses further commands at once with a
``ConnectionError`` that django-redis ignores like any other. After that, the next
command tries Redis again: one timeout per window per process, not per call.
"""

from __future__ import annotations

import logging
import time

import redis

logger = logging.getLogger("storefront.cache")

FAILURES = (redis.ConnectionError, redis.TimeoutError)


DOWN_UNTIL = "storefront_down_until"


class FailFastRedis(redis.Redis):
    def __init__(self, *args, down_for: float = 5.0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.down_for = down_for

    def execute_command(self, *args, **options):
        pool = self.connection_pool
        down_until = getattr(pool, DOWN_UNTIL, 0.0)
        if down_until and time.monotonic() < down_until:
            raise redis.ConnectionError("Redis failed a moment ago; skipped")
        try:
            result = super().execute_command(*args, **options)
        except FAILURES:
            if not down_until:
                logger.warning(
                    "Redis unreachable: the cache is skipped for %.0f s at a time",
                    self.down_for,
                )
            setattr(pool, DOWN_UNTIL, time.monotonic() + self.down_for)
            raise
        if down_until:
            setattr(pool, DOWN_UNTIL, 0.0)
            logger.warning("Redis reachable again: the cache is back in use")
        return result
