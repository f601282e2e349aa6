"""Every write to orders, grants and Dodo sync state goes through these services."""

from commerce.dodo.checkout import (
    CheckoutUnavailable,
    PriceNotConfirmed,
    ProductAlreadyOwned,
    checkout_start,
)
from commerce.dodo.reconcile import order_reconcile, orders_reconcile_pending
from commerce.dodo.refunds import refund_request as order_refund_request
from commerce.dodo.sync import customer_ensure, product_archive, product_sync
from commerce.dodo.webhooks import (
    WebhookResult,
    webhook_deferred_apply,
    webhook_event_reprocess,
    webhook_receive,
)

from .disputes import order_record_dispute
from .orders import (
    order_attach_session,
    order_create,
    order_flag,
    order_mark_failed,
    order_mark_paid,
    payment_apply,
    purchase_grant,
    purchase_restore,
    purchase_revoke,
    purchase_suspend,
)
from .refunds import (
    RefundRefused,
    order_record_refund,
    order_record_refund_failure,
)

__all__ = [
    "CheckoutUnavailable",
    "PriceNotConfirmed",
    "ProductAlreadyOwned",
    "RefundRefused",
    "WebhookResult",
    "checkout_start",
    "customer_ensure",
    "order_attach_session",
    "order_create",
    "order_flag",
    "order_mark_failed",
    "order_mark_paid",
    "order_reconcile",
    "order_record_dispute",
    "order_record_refund",
    "order_record_refund_failure",
    "order_refund_request",
    "orders_reconcile_pending",
    "payment_apply",
    "product_archive",
    "product_sync",
    "purchase_grant",
    "purchase_restore",
    "purchase_revoke",
    "purchase_suspend",
    "webhook_deferred_apply",
    "webhook_event_reprocess",
    "webhook_receive",
]
