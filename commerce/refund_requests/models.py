"""A buyer's request for a refund, decided by the product's seller (or staff)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class RefundRequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for the seller"
    APPROVED = "approved", "Approved (refunded through Dodo)"
    DECLINED = "declined", "Declined"
    # The order was refunded without a decision on the request (staff refunded it
    # from the Orders screen, the merchant from Dodo's dashboard, or the buyer's
    # bank reversed the charge): nothing is left to decide.
    CLOSED = "closed", "Closed: refunded another way"


class RefundRequest(models.Model):
    """One request per purchase at a time; approval refunds the order at Dodo."""

    wagtail_reference_index_ignore = True

    purchase = models.ForeignKey(
        "commerce.PurchasedProduct",
        on_delete=models.PROTECT,
        related_name="refund_requests",
    )
    order = models.ForeignKey(
        "commerce.Order", on_delete=models.PROTECT, related_name="refund_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="refund_requests",
    )
    reason = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=16,
        choices=RefundRequestStatus.choices,
        default=RefundRequestStatus.OPEN,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The seller's words to the buyer (a decline's reason), and the last error
    # of an approval Dodo did not carry out (the request stays open).
    decision_note = models.TextField(blank=True, max_length=2000)
    refund_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["purchase"],
                condition=Q(status="open"),
                name="commerce_refundrequest_one_open_per_purchase",
            ),
        ]

    def __str__(self) -> str:
        return f"Refund request #{self.pk} ({self.get_status_display()})"
