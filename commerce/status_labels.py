"""How a status reads and which colour it wears: the one rule.

Order statuses, and the statuses of the records around them (a purchase's
access, a refund request, a support request, a seller application), are shown
as coloured labels on the buyer's pages and in the admin records screens. Every
one of them asks here, so a Failed order can never again wear Paid's green and a
support request does not wear one colour for the buyer and another for the
seller. Tones map to the
``.status-label--<tone>`` classes in ``static/css/site.css`` (the shop) and
``static/css/admin_records.css`` (the admin):

- ``ok`` (green): the buyer has what they paid for;
- ``warn`` (amber): waiting on the provider or on a refund/dispute to settle;
- ``error`` (red): the payment was declined, nothing was charged;
- ``muted`` (grey): over and done with no access (cancelled, refunded).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString

from .models import OrderStatus

OK = "ok"
WARN = "warn"
ERROR = "error"
MUTED = "muted"


@dataclass(frozen=True)
class StatusLabel:
    """What the buyer reads and the tone it is shown in."""

    key: str
    text: str
    tone: str

    @property
    def css_class(self) -> str:
        return f"status-label status-label--{self.tone}"


# The buyer-facing words differ from the model's choice labels where those read
# like bookkeeping: a failed payment is one the bank or provider declined.
_LABELS: dict[str, tuple[str, str]] = {
    OrderStatus.PENDING: ("Pending", WARN),
    OrderStatus.PAID: ("Paid", OK),
    OrderStatus.FAILED: ("Declined", ERROR),
    OrderStatus.CANCELLED: ("Cancelled", MUTED),
    OrderStatus.REFUND_PENDING: ("Refund pending", WARN),
    OrderStatus.PARTIALLY_REFUNDED: ("Partially refunded", WARN),
    OrderStatus.REFUNDED: ("Refunded", MUTED),
    OrderStatus.DISPUTED: ("Disputed", WARN),
}

# What the decline page says happened ("Order #12 … was declined").
_OUTCOME_VERBS: dict[str, str] = {
    OrderStatus.FAILED: "declined",
    OrderStatus.CANCELLED: "cancelled",
}


def order_status_label(status: str) -> StatusLabel:
    """The label for an order status; an unknown value reads as itself, grey."""
    fallback = (str(status).replace("_", " ").capitalize(), MUTED)
    text, tone = _LABELS.get(status, fallback)
    return StatusLabel(key=str(status), text=text, tone=tone)


def order_outcome_verb(status: str) -> str:
    """The past participle for an attempt that charged nothing ("declined")."""
    return _OUTCOME_VERBS.get(status, order_status_label(status).text.lower())


# A refund request (``RefundRequestStatus``): waiting on the seller amber, the
# money going back green, nothing more to do grey.
_REFUND_REQUEST_TONES: dict[str, str] = {
    "open": WARN,
    "approved": OK,
    "declined": MUTED,
    "closed": MUTED,
}

# A support request (``SupportStatus``): waiting on the seller or a payment
# amber, work under way green, over grey.
_SUPPORT_TONES: dict[str, str] = {
    "NEW": WARN,
    "DISCUSSING": WARN,
    "PAYMENT": WARN,
    "IN_PROGRESS": OK,
    "COMPLETED": MUTED,
    "CANCELLED": MUTED,
}


# A seller application (``SellerApplicationStatus``): waiting on staff amber.
_SELLER_APPLICATION_TONES: dict[str, str] = {
    "pending": WARN,
    "approved": OK,
    "declined": MUTED,
}


def seller_application_label(status: str, text: str) -> StatusLabel:
    """``text``: the model's display of ``status`` (``get_status_display()``)."""
    return StatusLabel(
        key=str(status), text=text, tone=_SELLER_APPLICATION_TONES.get(status, MUTED)
    )


def refund_request_label(status: str, text: str) -> StatusLabel:
    """``text``: the model's display of ``status`` (``get_status_display()``)."""
    return StatusLabel(
        key=str(status), text=text, tone=_REFUND_REQUEST_TONES.get(status, MUTED)
    )


def support_status_label(status: str, text: str) -> StatusLabel:
    """``text``: the model's display of ``status`` (``get_status_display()``)."""
    return StatusLabel(
        key=str(status), text=text, tone=_SUPPORT_TONES.get(status, MUTED)
    )


def access_label(grant) -> StatusLabel:
    """A purchase's access: revoked grey, suspended (a dispute) amber, else green."""
    if grant.revoked_at is not None:
        return StatusLabel(key="revoked", text="Revoked", tone=MUTED)
    if grant.suspended_at is not None:
        return StatusLabel(key="suspended", text="Suspended", tone=WARN)
    return StatusLabel(key="active", text="Active", tone=OK)


def label_html(label: StatusLabel, *, attribute: str = "status") -> SafeString:
    """The label as HTML: ``<span class="status-label …" data-status="…">``."""
    return format_html(
        '<span class="{}" data-{}="{}">{}</span>',
        label.css_class,
        attribute,
        label.key,
        label.text,
    )
