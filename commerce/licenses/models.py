"""A license key Dodo issued for a paid order (``license_key.created``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LicenseKeyStatus(models.TextChoices):
    """Dodo's statuses (SDK ``LicenseKeyStatus``)."""

    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    DISABLED = "disabled", "Disabled"


class LicenseKey(models.Model):
    """Stored against the purchase it came with; Dodo holds the truth about it.

    ``status``, ``instances_count`` and ``expires_at`` are what Dodo last said;
    ``should_be_enabled`` is what the store wants (the grant is active), which the
    sync task pushes to Dodo.
    """

    wagtail_reference_index_ignore = True

    dodo_license_key_id = models.CharField(max_length=64, unique=True)
    order = models.ForeignKey(
        "commerce.Order", on_delete=models.PROTECT, related_name="license_keys"
    )
    purchase = models.ForeignKey(
        "commerce.PurchasedProduct",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="license_keys",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="license_keys"
    )
    product = models.ForeignKey(
        "catalog.ProductPage", on_delete=models.PROTECT, related_name="license_keys"
    )
    key = models.CharField(max_length=255)
    status = models.CharField(
        max_length=16, choices=LicenseKeyStatus.choices, default=LicenseKeyStatus.ACTIVE
    )
    activations_limit = models.PositiveIntegerField(null=True, blank=True)
    instances_count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    should_be_enabled = models.BooleanField(default=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "license key"

    def __str__(self) -> str:
        return f"License key {self.dodo_license_key_id} ({self.status})"
