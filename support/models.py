"""Paid support: a request always rests on an active purchase of the product."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SupportStatus(models.TextChoices):
    NEW = "NEW", "New"
    DISCUSSING = "DISCUSSING", "Discussing"
    PAYMENT = "PAYMENT", "Awaiting payment"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
    COMPLETED = "COMPLETED", "Completed"
    CANCELLED = "CANCELLED", "Cancelled"


CLOSED_STATUSES = (SupportStatus.COMPLETED.value, SupportStatus.CANCELLED.value)
ACTIVE_STATUSES = tuple(s.value for s in SupportStatus if s not in CLOSED_STATUSES)

# The timestamp field each status stamps when a request enters it.
STATUS_TIMESTAMP_FIELDS = {
    SupportStatus.DISCUSSING: "discussing_at",
    SupportStatus.PAYMENT: "payment_at",
    SupportStatus.IN_PROGRESS: "in_progress_at",
    SupportStatus.COMPLETED: "completed_at",
    SupportStatus.CANCELLED: "cancelled_at",
}


class SupportRequestQuerySet(models.QuerySet):
    def active(self) -> SupportRequestQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)


class SupportRequest(models.Model):
    """A customer's request for paid help with a product they own."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="support_requests",
    )
    product = models.ForeignKey(
        "catalog.ProductPage", on_delete=models.PROTECT, related_name="support_requests"
    )
    # Not nullable: the database itself refuses a request with no purchase behind it.
    purchase = models.ForeignKey(
        "commerce.PurchasedProduct",
        on_delete=models.PROTECT,
        related_name="support_requests",
    )
    subject = models.CharField(max_length=200)
    message = models.TextField()
    status = models.CharField(
        max_length=16,
        choices=SupportStatus.choices,
        default=SupportStatus.NEW,
        db_index=True,
    )
    meeting_link = models.URLField(blank=True, max_length=500)
    internal_notes = models.TextField(
        blank=True, help_text="Seller's notes; never shown to the customer."
    )

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    discussing_at = models.DateTimeField(null=True, blank=True)
    payment_at = models.DateTimeField(null=True, blank=True)
    in_progress_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "product"],
                condition=Q(status__in=list(ACTIVE_STATUSES)),
                name="support_one_active_request_per_customer_product",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    def save(self, *args, **kwargs) -> None:
        # Model-level guard: whatever the caller, no request without ownership.
        if self._state.adding:
            self.validate_purchase()
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def reopenable_until(self):
        """A completed request reopens on the customer's reply until this moment."""
        if self.status != SupportStatus.COMPLETED or self.completed_at is None:
            return None
        return self.completed_at + timedelta(days=settings.SUPPORT_REOPEN_DAYS)

    @property
    def is_reopenable(self) -> bool:
        until = self.reopenable_until
        return until is not None and timezone.now() < until

    def clean(self) -> None:
        super().clean()
        if self._state.adding:
            self.validate_purchase()

    def validate_purchase(self) -> None:
        """A new request needs an active grant of this product to this customer."""
        purchase = self.purchase if self.purchase_id else None
        if (
            purchase is None
            or not purchase.is_active
            or purchase.user_id != self.customer_id
            or purchase.product_id != self.product_id
        ):
            raise ValidationError(
                "Support is available only for products you own.",
                code="no_purchase",
            )


class SupportMessage(models.Model):
    """One message in a request's conversation between customer and seller."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Message #{self.pk} on request #{self.request_id}"


class SupportTransition(models.Model):
    """The audit trail: who moved a request from which status to which, and when."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    # None: the shop itself (the Beat task that closes idle requests).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_status = models.CharField(
        max_length=16, choices=SupportStatus.choices, blank=True
    )
    to_status = models.CharField(max_length=16, choices=SupportStatus.choices)
    # Why, when it is not a plain click: reopened by a reply, closed for inactivity.
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.request_id}: {self.from_status or '-'} → {self.to_status}"


class SellerSupportSettings(models.Model):
    """Per-seller support preferences: where to notify and how customers pay."""

    seller = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="support_settings",
    )
    telegram_chat_id = models.CharField(
        max_length=64,
        blank=True,
        help_text="Your Telegram chat id; blank uses the store's default chat.",
    )
    payment_instructions = models.TextField(
        blank=True,
        help_text="Shown to the customer while a request awaits payment "
        "(e.g. bank details or a payment link).",
    )

    class Meta:
        verbose_name = "seller support settings"
        verbose_name_plural = "seller support settings"

    def __str__(self) -> str:
        return f"Support settings of {self.seller}"
