"""The transactional outbox: record a task with the change, publish it after commit.

``enqueue(task, *args)`` inside a transaction writes an ``OutboxMessage`` row with
the change that causes it (both commit or neither does) and, once committed, tries
to publish it to Celery. A broker outage fails that publish fast (bounded retries,
see the broker settings) and is only logged: the request goes on to its normal
answer, and the row stays pending until ``relay`` (Beat every minute, or
``manage.py outbox_relay``) publishes it. A row may be published twice (the relay
and the commit hook racing, a crash between publish and bookkeeping); the row id
is the task id and tasks are idempotent (outbox.reliable), so that is harmless.

A published message is followed until its task ends: the worker marks the row
done (``task_finished``, on Celery's ``task_postrun``). The Redis broker can lose a
message after it was published: kombu pops it with ``BRPOP`` and records it as
unacknowledged in a second command, so a worker killed between the two, or a Redis
restarted without its data, drops it and nothing ever runs it. The relay therefore
also looks for published rows not done whose message the broker no longer holds,
neither waiting nor delivered to a worker (``redeliver``), and publishes them again.

Why not a library: django-celery-outbox (the maintained one) needs SELECT ... SKIP
LOCKED (no SQLite, our development database), publishes only from a separate
long-running relay process (no publish on commit, so every e-mail would wait for
the relay's poll) and pulls in structlog, sentry-sdk and datadog.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.db import DatabaseError, transaction
from django.utils import timezone

from site_config.durability import (
    CompiledRelaxedUpdate,
    update_without_waiting_for_disk,
)

from .models import EffectDelivery, OutboxMessage

logger = logging.getLogger(__name__)

# The relay leaves young rows to their commit hook.
RELAY_MIN_AGE = timedelta(seconds=30)
RELAY_BATCH = 500
# A published message not done this long after its last publish is looked for in
# the broker. Past this many messages waiting in its queues the broker is not read
# (a backlog: what is lost is found once it drains).
REDELIVER_MIN_AGE = timedelta(seconds=30)
REDELIVER_BATCH = 5000
BROKER_SCAN_LIMIT = 20_000
# Celery's final states: the task ran to its end. Not RETRY, nor REJECTED: the
# message was put back in its queue, or dropped because the broker refused the
# retry's publish (Task.retry raises Reject then), and the relay sends it again.
FINAL_STATES = frozenset({"SUCCESS", "FAILURE", "IGNORED"})
KEEP_PUBLISHED = timedelta(days=7)
KEEP_EFFECTS = timedelta(days=30)

# Every published message is marked: the statement is compiled once per process,
# not for each message (building and compiling it was ~9% of a webhook's CPU).
# A mark lost in a crash only makes the relay publish the message again.
_MARK_PUBLISHED = CompiledRelaxedUpdate(
    lambda pk, published_at, attempts: (
        OutboxMessage.objects.filter(pk=pk, published_at=None),
        {"published_at": published_at, "attempts": attempts},
    ),
    uuid.UUID,
    datetime,
    int,
)


def enqueue(task, *args, **kwargs) -> OutboxMessage:
    """Record ``task(*args, **kwargs)`` in this transaction; publish it on commit."""
    message = OutboxMessage.objects.create(
        task_name=task.name, args=list(args), kwargs=kwargs
    )
    transaction.on_commit(lambda: publish(message), robust=True)
    return message


def publish(message: OutboxMessage, *, again: bool = False) -> bool:
    """Send one message to Celery and mark it published; False if the broker failed.

    ``again``: the message was published before and lost by the broker; its
    ``published_at`` moves to now, so the relay gives the new copy time to arrive.
    """
    from site_config.celery import app

    try:
        if app.conf.task_always_eager:
            if message.task_name not in app.tasks:
                app.loader.import_default_modules()
            app.tasks[message.task_name].apply_async(
                args=message.args, kwargs=message.kwargs, task_id=str(message.id)
            )
        else:
            app.send_task(
                message.task_name,
                args=message.args,
                kwargs=message.kwargs,
                task_id=str(message.id),
            )
    except Exception as err:
        if app.conf.task_always_eager:
            # Inline (no broker): the task itself failed; there is nowhere to
            # publish to later, so it is logged like a failed task and marked done.
            logger.exception("outbox task %s failed inline", message.task_name)
        else:
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=message.attempts + 1,
                last_error=(str(err) or type(err).__name__)[:2000],
            )
            message.attempts += 1
            logger.warning(
                "outbox: %s %s not published, kept for the relay: %r",
                message.task_name,
                message.id,
                err,
            )
            return False
    message.published_at = timezone.now()
    if app.conf.task_always_eager:
        # It ran inline: there is nothing to follow.
        OutboxMessage.objects.filter(pk=message.pk, published_at=None).update(
            published_at=message.published_at,
            done_at=message.published_at,
            attempts=message.attempts + 1,
        )
    elif again:
        message.attempts += 1
        OutboxMessage.objects.filter(pk=message.pk, done_at=None).update(
            published_at=message.published_at, attempts=message.attempts
        )
    else:
        _MARK_PUBLISHED(message.pk, message.published_at, message.attempts + 1)
    return True


def task_finished(sender=None, task_id=None, task=None, state=None, **kwargs) -> None:
    """Celery's ``task_postrun``, in the worker: mark the task's outbox row done
    once the task has ended for good (not when it will be retried).

    The mark commits without waiting for the disk: a mark lost in a crash only
    makes the relay publish the message again, and the task finds its effect done.
    """
    if state not in FINAL_STATES or task is None or task.request.is_eager:
        return
    try:
        pk = uuid.UUID(str(task_id))
    except ValueError:
        return
    try:
        update_without_waiting_for_disk(
            OutboxMessage.objects.filter(pk=pk, done_at=None), done_at=timezone.now()
        )
    except DatabaseError:
        logger.warning("outbox: could not mark %s %s done", task.name, task_id)


def relay(*, min_age: timedelta = RELAY_MIN_AGE, limit: int = RELAY_BATCH) -> dict:
    """Publish pending messages older than ``min_age``, oldest first, then the
    published ones the broker lost (``redeliver``).

    Stops at the first broker failure (the broker is down: the rest would fail
    too). Returns the counts published, published again and still pending.
    """
    cutoff = timezone.now() - min_age
    published = 0
    broker_up = True
    pending = OutboxMessage.objects.filter(
        published_at=None, done_at=None, created_at__lte=cutoff
    )
    for message in pending.order_by("created_at")[:limit]:
        if not publish(message):
            broker_up = False
            break
        published += 1
    redelivered = redeliver(min_age=max(min_age, REDELIVER_MIN_AGE)) if broker_up else 0
    return {
        "published": published,
        "redelivered": redelivered,
        "pending": OutboxMessage.objects.filter(
            published_at=None, done_at=None
        ).count(),
    }


def redeliver(*, min_age: timedelta = REDELIVER_MIN_AGE) -> int:
    """Publish again the messages the broker lost; how many.

    A message is lost when its row is published (at least ``min_age`` ago) and not
    done, and the broker holds it neither in its queue nor among the messages
    delivered to a worker and not yet acknowledged. Only the Redis broker can be
    asked (``site_config.broker``); with another, or a backlog past
    ``BROKER_SCAN_LIMIT`` messages, nothing is done this time.
    """
    from site_config.celery import app

    if app.conf.task_always_eager:
        return 0
    cutoff = timezone.now() - min_age
    candidates = dict(
        OutboxMessage.objects.filter(done_at=None, published_at__lte=cutoff)
        .order_by("published_at")
        .values_list("pk", "task_name")[:REDELIVER_BATCH]
    )
    if not candidates:
        return 0
    queues = {_queue_of(app, name) for name in candidates.values()}
    held = _held_task_ids(app, queues)
    if held is None:
        return 0
    # Ended while the broker was read: done now, so not taken for lost.
    lost = OutboxMessage.objects.filter(
        pk__in=[pk for pk in candidates if str(pk) not in held], done_at=None
    ).order_by("published_at")
    redelivered = 0
    for message in lost:
        logger.warning(
            "outbox: %s %s, published at %s, is neither in the broker nor done "
            "(lost by the broker); publishing it again",
            message.task_name,
            message.id,
            message.published_at.isoformat(),
        )
        if not publish(message, again=True):
            break
        redelivered += 1
    return redelivered


def _queue_of(app, task_name: str) -> str:
    """The queue Celery routes ``task_name`` to."""
    return app.amqp.router.route({}, task_name)["queue"].name


def _held_task_ids(app, queues: set[str]) -> set[str] | None:
    """The ids of the tasks the broker holds for ``queues``; ``None`` when it
    cannot say (not our Redis transport, unreachable, or a backlog)."""
    try:
        with app.connection_for_read() as connection:
            held = getattr(connection.default_channel, "held_task_ids", None)
            if held is None:
                return None
            found = held(sorted(queues), limit=BROKER_SCAN_LIMIT)
    except Exception as err:  # noqa: BLE001 - the broker's errors vary by transport
        logger.warning("outbox: could not read the broker's messages: %r", err)
        return None
    if found is None:
        logger.info("outbox: a backlog in %s; lost messages looked for later", queues)
    return found


def purge(*, now=None) -> int:
    """Forget published messages and effect records past their keeping time."""
    now = now or timezone.now()
    gone, _ = OutboxMessage.objects.filter(
        published_at__lt=now - KEEP_PUBLISHED
    ).delete()
    effects, _ = EffectDelivery.objects.filter(
        delivered_at__lt=now - KEEP_EFFECTS
    ).delete()
    return gone + effects
