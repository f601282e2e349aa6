"""A seller's discount code, mirrored to Dodo (``discounts``) by a durable sync."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from catalog.models import Currency


class DiscountKind(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage off"
    FLAT = "flat", "Fixed amount off"


class DiscountSyncStatus(models.TextChoices):
    PENDING = "pending", "Waiting for Dodo"
    SYNCED = "synced", "At Dodo"
    FAILED = "failed", "Failed (retrying)"


class DiscountCode(models.Model):
    """A code buyers type at checkout; it lowers the price of some of the seller's
    own products. Dodo holds its twin (``dodo_discount_id``) and applies it; we check
    it first and count its uses from our paid orders."""

    wagtail_reference_index_ignore = True

    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="discount_codes",
        limit_choices_to={"is_seller": True},
        help_text="The seller whose products the code discounts.",
    )
    code = models.CharField(
        max_length=16,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9]{3,16}$",
                "3 to 16 letters or digits, no spaces (stored in capitals).",
            )
        ],
        help_text="What buyers type, e.g. SPRING25. 3–16 letters or digits.",
    )
    kind = models.CharField(
        max_length=16, choices=DiscountKind.choices, default=DiscountKind.PERCENTAGE
    )
    percent_off = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="For a percentage code: 1–100.",
    )
    # Minor units of ``currency`` (the form takes major units).
    amount_off = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="For a fixed-amount code: the amount taken off, e.g. 5.00.",
    )
    currency = models.CharField(
        max_length=3,
        choices=Currency.choices,
        default=Currency.USD,
        help_text="The currency of a fixed amount (only products in it qualify).",
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    usage_limit = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How many paid orders may use it; blank: no limit.",
    )
    products = models.ManyToManyField(
        "catalog.ProductPage",
        related_name="discount_codes",
        help_text="The code applies to these products only.",
    )

    dodo_discount_id = models.CharField(max_length=64, blank=True, db_index=True)
    sync_status = models.CharField(
        max_length=16,
        choices=DiscountSyncStatus.choices,
        default=DiscountSyncStatus.PENDING,
    )
    sync_error = models.TextField(blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "discount code"

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        self.code = (self.code or "").strip().upper()
        super().save(*args, **kwargs)

    @property
    def basis_points(self) -> int:
        """Dodo's ``amount`` of a percentage code (basis points)."""
        return (self.percent_off or 0) * 100

    def is_started(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at is None or self.starts_at <= now

    def is_expired(self, now=None) -> bool:
        now = now or timezone.now()
        return self.expires_at is not None and self.expires_at <= now

    def discounted_price(self, price: int) -> int:
        """``price`` (minor units) after this code, never below zero."""
        if self.kind == DiscountKind.PERCENTAGE:
            return max(price - price * self.basis_points // 10_000, 0)
        return max(price - (self.amount_off or 0), 0)
