"""Celery tasks that retry transient failures and never repeat an effect.

``reliable_task`` is the one place that says which errors are transient (a mail
server, the database, the network, a soft time limit), how long to wait between
tries (exponential backoff with jitter, capped below the broker's visibility
timeout) and, for tasks with an external effect, that a redelivered or retried task
whose effect already happened returns without acting again.
"""

from __future__ import annotations

import logging
import random
import smtplib
from collections.abc import Callable

import httpx
from celery import shared_task
from celery.exceptions import Ignore, Retry, SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from telegram.error import NetworkError

logger = logging.getLogger(__name__)

DEFAULT_MAX_RETRIES = 6

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,  # database restarted, connection lost, lock timeout
    InterfaceError,
    SoftTimeLimitExceeded,  # a hung upstream ran into the soft time limit
    NetworkError,  # Telegram: timeouts, 5xx
    httpx.TransportError,
    OSError,  # sockets: refused, reset, timed out (SMTP's errors are sorted below)
)


def is_transient(exc: BaseException) -> bool:
    """True when the same call may succeed later."""
    if isinstance(exc, smtplib.SMTPResponseException):
        # 4xx: try again later; 5xx: the server refused for good.
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPException):
        # SMTPException is an OSError; of the rest only a lost connection is transient.
        return isinstance(exc, smtplib.SMTPServerDisconnected)
    return isinstance(exc, TRANSIENT_ERRORS)


def retry_countdown(*, retries: int, base: float, maximum: float) -> float:
    """Exponential backoff with jitter: a random wait in the upper half of the step.

    Never longer than ``CELERY_MAX_COUNTDOWN``: the Redis broker redelivers a
    message not acked within its visibility timeout, and a worker holds a message
    with a countdown unacked until it runs.
    """
    ceiling = min(base * 2**retries, maximum, settings.CELERY_MAX_COUNTDOWN)
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not security


def _effect_done(key: str | None) -> bool:
    from .models import EffectDelivery

    return bool(key) and EffectDelivery.objects.filter(key=key).exists()


def _effect_record(key: str | None, task_name: str) -> None:
    from .models import EffectDelivery

    if not key:
        return
    try:
        EffectDelivery.objects.get_or_create(key=key, defaults={"task_name": task_name})
    except DatabaseError:
        # The effect happened; failing now would retry it. A lost record only
        # means a later redelivery could repeat it once.
        logger.exception("could not record the effect of %s %s", task_name, key)


def reliable_task(
    *,
    name: str | None = None,
    effect: bool = False,
    retry_on: tuple[type[BaseException], ...] = (),
    max_retries: int = DEFAULT_MAX_RETRIES,
    backoff: float = 10,
    backoff_max: float = 600,
    **options,
) -> Callable:
    """Declare a Celery task that retries transient errors (and ``retry_on``).

    ``effect=True``: the task acts outside our database (mail, Telegram); it runs
    at most once per task id, so a redelivery after a lost ack or a retry after the
    effect happened sends nothing twice.
    Run inline (eager) with ``task_eager_propagates``, a transient failure is
    logged and given up instead of retried in the caller's request.
    """

    def decorate(fn: Callable) -> Callable:
        def run(self, *args, **kwargs):
            key = self.request.id
            if effect and _effect_done(key):
                logger.info("%s %s already delivered; skipped", self.name, key)
                return None
            try:
                result = fn(*args, **kwargs)
            except (Ignore, Retry):
                raise
            except Exception as exc:
                if not (is_transient(exc) or isinstance(exc, retry_on)):
                    raise
                if self.request.is_eager and self.app.conf.task_eager_propagates:
                    logger.warning("%s failed inline, not retried: %r", self.name, exc)
                    return None
                countdown = retry_countdown(
                    retries=self.request.retries,
                    base=self.retry_backoff,
                    maximum=self.retry_backoff_max,
                )
                raise self.retry(exc=exc, countdown=countdown) from exc
            if effect:
                _effect_record(key, self.name)
            return result

        run.__name__ = fn.__name__
        run.__qualname__ = fn.__qualname__
        run.__module__ = fn.__module__
        run.__doc__ = fn.__doc__
        return shared_task(
            bind=True,
            name=name or f"{fn.__module__}.{fn.__name__}",
            max_retries=max_retries,
            retry_backoff=backoff,
            retry_backoff_max=backoff_max,
            **options,
        )(run)

    return decorate
