"""Single-use download links and the audit trail of every link issued and redeemed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class DownloadTokenQuerySet(models.QuerySet):
    def expired(self, *, now=None) -> DownloadTokenQuerySet:
        return self.filter(expires_at__lte=now or timezone.now())


class DownloadToken(models.Model):
    """One random link bound to a user and a product; redeemable once, briefly."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="download_tokens",
    )
    product = models.ForeignKey(
        "catalog.ProductPage",
        on_delete=models.CASCADE,
        related_name="download_tokens",
    )
    # An earlier release the buyer asked for; blank: the current file at redemption.
    release = models.ForeignKey(
        "catalog.ProductRelease",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="download_tokens",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = DownloadTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Download link #{self.pk} for {self.product_id}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class DownloadEventKind(models.TextChoices):
    ISSUED = "issued", "Link issued"
    REDEEMED = "redeemed", "Downloaded"


class DownloadEvent(models.Model):
    """Audit row: who got or used a download link for which file, when and whence.

    Rows outlive their token (the purge task deletes tokens, never events).
    """

    kind = models.CharField(max_length=16, choices=DownloadEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="download_events",
    )
    product = models.ForeignKey(
        "catalog.ProductPage",
        on_delete=models.PROTECT,
        related_name="download_events",
    )
    token = models.ForeignKey(
        DownloadToken,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    file_name = models.CharField(max_length=255, blank=True)
    file_version = models.CharField(max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["user", "kind", "created_at"],
                name="commerce_dl_event_rate_idx",
            ),
        ]
        verbose_name = "download event"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.product_id} by {self.user_id}"
