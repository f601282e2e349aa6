"""What was done, so a redelivered task never repeats its effect."""

from __future__ import annotations

from django.db import models


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
