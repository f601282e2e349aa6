"""Where an order came from: its visitor's first and last touch at checkout."""

from __future__ import annotations

from django.db import models


class TouchKind(models.TextChoices):
    FIRST = "first", "First touch"
    LAST = "last", "Last touch"


class OrderTouch(models.Model):
    """One touch (first or last) credited to an order when its checkout started.

    Copies what the touch said (slug, UTM values) so the record outlives the
    short link or landing page it names.
    """

    order = models.ForeignKey(
        "commerce.Order", on_delete=models.CASCADE, related_name="touches"
    )
    kind = models.CharField(max_length=5, choices=TouchKind.choices)
    short_link = models.ForeignKey(
        "shortlinks.ShortLink",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_touches",
    )
    short_link_slug = models.CharField(max_length=40, blank=True)
    utm_source = models.CharField("source", max_length=100, blank=True)
    utm_medium = models.CharField("medium", max_length=100, blank=True)
    utm_campaign = models.CharField("campaign", max_length=100, blank=True)
    landing_page = models.ForeignKey(
        "home.LandingPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_touches",
    )
    touched_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind"], name="attribution_one_touch_per_kind"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "short_link"], name="attr_touch_link"),
            models.Index(fields=["kind", "landing_page"], name="attr_touch_page"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    @property
    def label(self) -> str:
        return source_label(
            self.utm_source, self.utm_medium, self.utm_campaign, self.short_link_slug
        )


def source_label(source: str, medium: str, campaign: str, slug: str) -> str:
    """How a source reads in the admin: ``newsletter / email · spring``."""
    if not any((source, medium, campaign, slug)):
        return "Direct or unknown"
    parts = " / ".join(part for part in (source, medium) if part)
    if campaign:
        parts = f"{parts} · {campaign}" if parts else campaign
    if slug:
        parts = f"{parts} (via /s/{slug}/)" if parts else f"Short link /s/{slug}/"
    return parts
