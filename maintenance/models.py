"""The maintenance switch: a per-site setting that staff flip in the Wagtail admin."""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from . import state

DEFAULT_MESSAGE = (
    "We are making some improvements to the store and will be back shortly."
)


@register_setting(icon="warning")
class MaintenanceSettings(BaseSiteSetting):
    enabled = models.BooleanField(
        "maintenance mode on",
        default=False,
        help_text="While on, visitors get the maintenance page; staff still get in.",
    )
    message = models.TextField(
        blank=True,
        default=DEFAULT_MESSAGE,
        help_text="Shown to visitors on the maintenance page.",
    )
    expected_end = models.DateTimeField(
        "expected end",
        null=True,
        blank=True,
        help_text="Shown to visitors and sent as Retry-After. Blank: unknown.",
    )

    panels = [FieldPanel("enabled"), FieldPanel("message"), FieldPanel("expected_end")]

    class Meta:
        verbose_name = "maintenance mode"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        state.forget()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        state.forget()
        return result
