"""People who asked to hear from us through a landing page's sign-up block."""

from __future__ import annotations

from django.db import models


class Subscriber(models.Model):
    """One address on one list (``topic``), pending until it confirms by e-mail."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"

    email = models.EmailField(max_length=254)
    topic = models.SlugField(max_length=50, help_text="The list signed up for.")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING
    )
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="signed up on",
    )
    created_at = models.DateTimeField("signed up at", auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "subscriber"
        verbose_name_plural = "subscribers"
        constraints = [
            models.UniqueConstraint(
                fields=["email", "topic"], name="newsletter_subscriber_email_topic"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.topic})"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED
