"""The transactional outbox: record a task with the change, publish it after commit.

``enqueue(task, *args)`` inside a transaction writes an ``OutboxMessage`` row with
the change that causes it (both commit or neither does) and, once committed, tries
to publish it to Celery. A broker outage fails that publish fast (bounded retries,
see the broker settings) and is only logged: the request goes on to its normal
answer, and the row stays pending until ``relay`` (Beat every minute, or
``manage.py outbox_relay``) publishes it. A row may be published twice (the relay
and the commit hook racing, a crash between publish and bookkeeping); the row id
is the task id and tasks are idempotent (outbox.reliable), so that is harmless.

Why not a library: django-celery-outbox (the maintained one) needs SELECT ... SKIP
LOCKED (no SQLite, our development database), publishes only from a separate
long-running relay process (no publish on commit, so every e-mail would wait for
the relay's poll) and pulls in structlog, sentry-sdk and datadog.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from site_config.durability import CompiledRelaxedUpdate

from .models import EffectDelivery, OutboxMessage

logger = logging.getLogger(__name__)

# The relay leaves young rows to their commit hook.
RELAY_MIN_AGE = timedelta(seconds=30)
RELAY_BATCH = 500
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


def publish(message: OutboxMessage) -> bool:
    """Send one message to Celery and mark it published; False if the broker failed."""
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
    _MARK_PUBLISHED(message.pk, message.published_at, message.attempts + 1)
    return True


def relay(*, min_age: timedelta = RELAY_MIN_AGE, limit: int = RELAY_BATCH) -> dict:
    """Publish pending messages older than ``min_age``, oldest first.

    Stops at the first broker failure (the broker is down: the rest would fail
    too). Returns the counts published and still pending.
    """
    cutoff = timezone.now() - min_age
    published = 0
    pending = OutboxMessage.objects.filter(published_at=None, created_at__lte=cutoff)
    for message in pending.order_by("created_at")[:limit]:
        if not publish(message):
            break
        published += 1
    return {
        "published": published,
        "pending": OutboxMessage.objects.filter(published_at=None).count(),
    }


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
