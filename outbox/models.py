"""What was done, so a redelivered task never repeats its effect."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class EffectDelivery(models.Model):
    """One external effect (an e-mail, a Telegram message) that has happened.

    Keyed by the Celery task id: a retry and a redelivery keep the id, so a task
    that finds its key here returns without acting again.
    """

    key = models.CharField(max_length=255, unique=True)
    task_name = models.CharField(max_length=200)
    delivered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "delivered effect"
        indexes = [models.Index(fields=["delivered_at"])]

    def __str__(self) -> str:
        return f"{self.task_name} {self.key}"


class OutboxMessage(models.Model):
    """A task to publish, written in the same transaction as the change behind it.

    ``id`` becomes the Celery task id: a second publish of the same row (the relay
    racing the commit hook) runs a task whose effect is already recorded.
    ``done_at`` is set by the worker when the task ends (succeeded, or failed for
    good): until then the relay checks that the broker still holds the message and
    publishes it again if the broker lost it (``outbox.services.redeliver``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "outbox message"
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(published_at__isnull=True),
                name="outbox_pending_idx",
            ),
            models.Index(fields=["published_at"], name="outbox_published_idx"),
            models.Index(
                fields=["published_at"],
                condition=models.Q(published_at__isnull=False, done_at__isnull=True),
                name="outbox_in_flight_idx",
            ),
        ]

    def __str__(self) -> str:
        state = (
            "done" if self.done_at else "published" if self.published_at else "pending"
        )
        return f"{self.task_name} {self.id} ({state})"
