"""kombu's Redis transport with one Redis client per channel, not per command.

kombu's Redis channel runs each command (the ``LPUSH`` of a publish, an ack, a
restore) through a ``redis.Redis`` object it builds on the spot around its shared
connection pool. Since redis-py 6 building one fills its response-callback tables
(about 170 entries), which cost a quarter of every publish's CPU: the webhook and
every other request that sends a task pays it once per message. The client holds no
connection of its own (it borrows one from the pool per command) and is safe to
share between threads, so the channel keeps one and makes a new one only when kombu
replaces the pool (after a connection error).

``held_task_ids`` answers what kombu cannot: which tasks the broker still holds.
kombu takes a message with ``BRPOP`` and records it as unacknowledged in a second
command; a worker killed between the two (or a Redis that lost its data) loses the
message for good. The outbox's relay asks which of its published, unfinished
messages the broker still holds and publishes the rest again
(``outbox.services.redeliver``). Everything else is kombu's.

Selected by ``CELERY_BROKER_TRANSPORT`` whenever the broker is Redis.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from itertools import chain

from kombu.transport import redis
from kombu.utils.encoding import bytes_to_str
from kombu.utils.json import loads


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

    def held_task_ids(self, queues: Iterable[str], *, limit: int) -> set[str] | None:
        """The ids of the tasks waiting in ``queues`` or delivered and not yet acked
        (running, or held for a countdown), read in one transaction so a message
        moving between the two is seen once; ``None`` when more than ``limit`` are
        waiting (a backlog: at most ``limit + 1`` are fetched from each queue, and
        none is decoded)."""
        prefix = self.global_keyprefix or ""
        keys = [
            prefix + self._q_for_pri(queue, priority)
            for queue in queues
            for priority in self.priority_steps
        ]
        with self.conn_or_acquire() as client:
            # LRANGE and HVALS are not among the commands kombu's client prefixes.
            with client.pipeline(transaction=True) as pipe:
                for key in keys:
                    pipe.lrange(key, 0, limit)
                pipe.hvals(prefix + self.unacked_key)
                *waiting, unacked = pipe.execute()
        if sum(len(messages) for messages in waiting) > limit:
            return None
        held = {_task_id(loads(bytes_to_str(raw))) for raw in chain(*waiting)}
        held.update(_task_id(loads(bytes_to_str(raw))[0]) for raw in unacked)
        return held


def _task_id(message: dict) -> str | None:
    """A Celery message's task id (protocol 2 header, else the correlation id)."""
    headers = message.get("headers") or {}
    return headers.get("id") or (message.get("properties") or {}).get("correlation_id")


class Transport(redis.Transport):
    Channel = Channel
