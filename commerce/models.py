"""Orders are payment attempts; a PurchasedProduct is the one proof of access."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class OrderStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PAID = "paid", "Paid"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    REFUND_PENDING = "refund_pending", "Refund pending"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"
    DISPUTED = "disputed", "Disputed"


class Order(models.Model):
    """One checkout attempt, paid or not. Only a verified payment marks it paid."""

    # Records, not content: keeping them out of Wagtail's reference index saves a
    # dozen queries per save on the webhook path (deletion is guarded by PROTECT
    # and the before_delete_page hooks instead).
    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    product = models.ForeignKey(
        "catalog.ProductPage", on_delete=models.PROTECT, related_name="orders"
    )
    # Price and currency as they were at checkout, in minor units.
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=24,
        choices=OrderStatus.choices,
        default=OrderStatus.PENDING,
    )
    is_paid = models.BooleanField(default=False)

    billing_country = models.CharField(max_length=2, blank=True)
    billing_street = models.CharField(max_length=255, blank=True)
    billing_city = models.CharField(max_length=120, blank=True)
    billing_state = models.CharField(max_length=120, blank=True)
    billing_zipcode = models.CharField(max_length=20, blank=True)

    dodo_checkout_session_id = models.CharField(max_length=64, blank=True)
    dodo_payment_id = models.CharField(max_length=64, blank=True)
    # What Dodo reports once paid, minor units. The buyer paid ``total_amount``
    # (tax included) in ``paid_currency``, which differs from ``currency`` when the
    # buyer chose their own currency; the merchant is credited ``settlement_amount``
    # in ``settlement_currency``. ``discount_codes``: the discounts Dodo applied.
    total_amount = models.PositiveIntegerField(null=True, blank=True)
    paid_currency = models.CharField(max_length=3, blank=True)
    tax_amount = models.PositiveIntegerField(null=True, blank=True)
    settlement_amount = models.PositiveIntegerField(null=True, blank=True)
    settlement_currency = models.CharField(max_length=3, blank=True)
    discount_codes = models.CharField(max_length=255, blank=True)
    # Our own code behind the discount Dodo applied (matched by its Dodo id).
    discount = models.ForeignKey(
        "commerce.DiscountCode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    refunded_amount = models.PositiveIntegerField(default=0)
    # Refunds already counted, so a replayed refund event is not added twice.
    dodo_refund_ids = models.JSONField(default=list, blank=True)
    failure_reason = models.TextField(blank=True)
    # How the latest refund stands when it is not simply done: pending or held for
    # review at Dodo, or failed (the order is refundable again).
    refund_note = models.TextField(blank=True)
    # Set when a payment does not match the order (wrong product, double charge):
    # nothing is granted and staff must look.
    review_reason = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dodo_payment_id"],
                condition=~Q(dodo_payment_id=""),
                name="commerce_order_unique_dodo_payment_id",
            ),
        ]
        # Here rather than db_index=True on the fields: that adds a LIKE-pattern
        # index per text column on PostgreSQL which no query uses and every
        # payment's update would write.
        indexes = [
            models.Index(fields=["status"], name="order_status"),
            models.Index(
                fields=["dodo_checkout_session_id"], name="order_checkout_session"
            ),
        ]

    def __str__(self) -> str:
        return f"Order #{self.pk} ({self.get_status_display()})"


class PurchasedProductQuerySet(models.QuerySet):
    def active(self) -> PurchasedProductQuerySet:
        """Grants that give access now: not revoked, not suspended by a dispute."""
        return self.filter(revoked_at__isnull=True, suspended_at__isnull=True)


class PurchasedProduct(models.Model):
    """The access grant: if no active row exists, the user does not own the product."""

    # Records, not content: keeping them out of Wagtail's reference index saves a
    # dozen queries per save on the webhook path (deletion is guarded by PROTECT
    # and the before_delete_page hooks instead).
    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="purchased_products",
    )
    product = models.ForeignKey(
        "catalog.ProductPage", on_delete=models.PROTECT, related_name="purchases"
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="purchased_products"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    # A dispute suspends access until it is won (cleared) or lost (revoked).
    suspended_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=120, blank=True)

    objects = PurchasedProductQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "product"],
                condition=Q(revoked_at__isnull=True),
                name="commerce_purchase_one_live_grant_per_user_product",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} owns {self.product}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.suspended_at is None


class WebhookOutcome(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Ignored (unknown type)"
    DEFERRED = "deferred", "Waiting for its payment"
    FLAGGED = "flagged", "Flagged for staff"
    FOREIGN = "foreign", "Not the store's (acknowledged)"
    REJECTED = "rejected", "Rejected (bad payload)"
    FAILED = "failed", "Failed (will be retried)"


class WebhookEvent(models.Model):
    """Every verified delivery, once per ``webhook-id``: dedupe key and audit log."""

    # Records, not content: keeping them out of Wagtail's reference index saves a
    # dozen queries per save on the webhook path (deletion is guarded by PROTECT
    # and the before_delete_page hooks instead).
    wagtail_reference_index_ignore = True

    webhook_id = models.CharField(max_length=128)
    event_type = models.CharField(max_length=64, blank=True)
    # The raw body as received (the signature covers these exact bytes).
    body = models.TextField()
    payload = models.JSONField(null=True, blank=True)
    # The payment this event is about, so events that arrive before their payment
    # (a refund before its success) can be applied once the payment is known.
    dodo_payment_id = models.CharField(max_length=64, blank=True)
    order = models.ForeignKey(
        Order,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webhook_events",
    )
    outcome = models.CharField(
        max_length=16,
        choices=WebhookOutcome.choices,
        default=WebhookOutcome.RECEIVED,
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        # Here rather than unique=/db_index= on the fields (as Order's).
        constraints = [
            models.UniqueConstraint(
                fields=["webhook_id"], name="commerce_webhookevent_unique_webhook_id"
            )
        ]
        indexes = [
            models.Index(fields=["event_type"], name="webhookevent_event_type"),
            models.Index(fields=["dodo_payment_id"], name="webhookevent_payment"),
            models.Index(fields=["outcome"], name="webhookevent_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type or 'event'} {self.webhook_id}"


class SyncStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SYNCED = "synced", "Synced"
    ARCHIVED = "archived", "Archived"
    FAILED = "failed", "Failed"


class DodoCustomer(models.Model):
    """The Dodo customer behind a user, with what was last sent and any error."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dodo_customer"
    )
    dodo_customer_id = models.CharField(max_length=64, blank=True)
    synced_email = models.EmailField(blank=True)
    synced_name = models.CharField(max_length=150, blank=True)
    status = models.CharField(
        max_length=16, choices=SyncStatus.choices, default=SyncStatus.PENDING
    )
    last_error = models.TextField(blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Dodo customer"

    def __str__(self) -> str:
        return f"{self.user} ({self.dodo_customer_id or 'not synced'})"


class DodoProductSync(models.Model):
    """Sync state of a product's Dodo twin (the id itself is ``dodo_product_id``)."""

    # Records, not content: keeping them out of Wagtail's reference index saves a
    # dozen queries per save on the webhook path (deletion is guarded by PROTECT
    # and the before_delete_page hooks instead).
    wagtail_reference_index_ignore = True

    product = models.OneToOneField(
        "catalog.ProductPage", on_delete=models.CASCADE, related_name="dodo_sync"
    )
    status = models.CharField(
        max_length=16, choices=SyncStatus.choices, default=SyncStatus.PENDING
    )
    last_error = models.TextField(blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    # What Dodo last confirmed: a checkout compares these with the page's values.
    synced_name = models.CharField(max_length=255, blank=True)
    synced_price = models.PositiveIntegerField(null=True, blank=True)
    synced_currency = models.CharField(max_length=3, blank=True)

    class Meta:
        verbose_name = "Dodo product sync"

    def __str__(self) -> str:
        return f"{self.product} ({self.get_status_display()})"


class NoticeKind(models.TextChoices):
    RECEIPT = "receipt", "Receipt to the buyer"
    SALE_EMAIL = "sale_email", "New sale e-mail to the seller"
    SALE_TELEGRAM = "sale_telegram", "New sale on Telegram to the seller"
    REFUND = "refund", "Refund notice to the buyer"
    DISPUTE = "dispute", "Dispute notice to the buyer"
    REFUND_APPROVED = "refund_approved", "Refund request approved (to the buyer)"
    REFUND_DECLINED = "refund_declined", "Refund request declined (to the buyer)"


class OrderNotice(models.Model):
    """One message about an order on one channel, recorded when its cause happens.

    ``key`` names the event (the order for a receipt, Dodo's refund id, the
    dispute's state): it is unique, so a replayed webhook or a reconciliation that
    reaches the same state records nothing new and nothing is sent twice.
    """

    wagtail_reference_index_ignore = True

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    key = models.CharField(max_length=160)
    # What the message says beyond the order (a refund's amount and currency).
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # A constraint, not unique=True: no unused LIKE-pattern index to write.
        constraints = [
            models.UniqueConstraint(
                fields=["key"], name="commerce_ordernotice_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for order #{self.order_id}"


from .discounts.models import DiscountCode  # noqa: E402, F401
from .downloads.models import DownloadEvent, DownloadToken  # noqa: E402, F401
from .licenses.models import LicenseKey  # noqa: E402, F401
from .refund_requests.models import RefundRequest  # noqa: E402, F401
from .updates.models import (  # noqa: E402, F401
    ProductUpdateOptOut,
    ReleaseAnnouncement,
    ReleaseEmail,
)
