"""Every write to orders and grants goes through these services.

They speak only our own types (``Order``, ``PaymentFacts``, ``RefundFacts``); what
knows Dodo (checkout, sync, webhooks, reconciliation, refund requests) is the
provider package ``commerce.dodo``, which calls these, never the other way round.
"""

from .disputes import order_record_dispute
from .orders import (
    order_attach_session,
    order_create,
    order_flag,
    order_mark_failed,
    order_mark_paid,
    purchase_grant,
    purchase_restore,
    purchase_revoke,
    purchase_suspend,
)
from .payments import PaymentFacts, RefundFacts
from .refunds import (
    RefundRefused,
    order_record_refund,
    order_record_refund_failure,
)

__all__ = [
    "PaymentFacts",
    "RefundFacts",
    "RefundRefused",
    "order_attach_session",
    "order_create",
    "order_flag",
    "order_mark_failed",
    "order_mark_paid",
    "order_record_dispute",
    "order_record_refund",
    "order_record_refund_failure",
    "purchase_grant",
    "purchase_restore",
    "purchase_revoke",
    "purchase_suspend",
]
