"""How an order's status reads and which colour it wears: the one rule.

The buyer's order history, the checkout return page and the admin all ask here,
so a Failed order can never again wear Paid's green. Tones map to the
``.status-label--<tone>`` classes in ``static/css/site.css``:

- ``ok`` (green): the buyer has what they paid for;
- ``warn`` (amber): waiting on the provider or on a refund/dispute to settle;
- ``error`` (red): the payment was declined, nothing was charged;
- ``muted`` (grey): over and done with no access (cancelled, refunded).
"""

from __future__ import annotations

from dataclasses import dataclass

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
