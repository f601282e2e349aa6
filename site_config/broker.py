"""kombu's Redis transport with one Redis client per channel, not per command.

kombu's Redis channel runs each command (the ``LPUSH`` of a publish, an ack, a
restore) through a ``redis.Redis`` object it builds on the spot around its shared
connection pool. Since redis-py 6 building one fills its response-callback tables
(about 170 entries), which cost a quarter of every publish's CPU: the webhook and
every other request that sends a task pays it once per message. The client holds no
connection of its own (it borrows one from the pool per command) and is safe to
share between threads, so the channel keeps one and makes a new one only when kombu
replaces the pool (after a connection error). Everything else is kombu's.

Selected by ``CELERY_BROKER_TRANSPORT`` whenever the broker is Redis.
"""

from __future__ import annotations

from contextlib import contextmanager

from kombu.transport import redis


class Channel(redis.Channel):
    _shared_client = None

    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        shared = self._shared_client
        if shared is None or shared.connection_pool is not self.pool:
            shared = self._shared_client = self._create_client()
        yield shared


class Transport(redis.Transport):
    Channel = Channel
