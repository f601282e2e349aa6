"""What a payment must show before it grants an order: one rule, in our own types.

A payment grants its order when it is for the order's product (and checkout
session) and the merchant is credited enough for it:

- The amount compared is the **settlement** (what the merchant's balance receives,
  in the merchant's currency), not what the buyer paid: with adaptive currency the
  buyer pays in their own currency, and only the settlement says whether the order's
  price arrived. The settlement currency must be the order's currency.
- A **discount** Dodo names lowers the floor: percentage discounts (basis points)
  and flat ones (minor units of the order's currency) are applied in Dodo's stacking
  order, skipping those restricted to other products. A discount named only by the
  deprecated ``discount_id`` (no details) means the floor cannot be computed; the
  payment is then accepted and the discount recorded for staff to see.
- A converted payment (buyer's currency differs from the settlement currency) may
  settle up to ``CONVERSION_TOLERANCE_BPS`` short of the price: exchange-rate
  rounding, not a cheaper sale. Adaptive currency's conversion fee is paid by the
  buyer, so the merchant's settlement is otherwise the price.

Anything else is flagged for staff and grants nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# 1 %: the largest shortfall of a converted settlement put down to rounding.
CONVERSION_TOLERANCE_BPS = 100


@dataclass(frozen=True)
class DiscountFacts:
    discount_id: str
    code: str
    kind: str  # "percentage" (amount in basis points) or "flat" (minor units)
    amount: int | None
    restricted_to: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.code or self.discount_id


@dataclass(frozen=True)
class PaymentFacts:
    """A provider's payment, in our terms (see ``commerce.dodo.payloads``)."""

    payment_id: str
    status: str
    # What the buyer paid, in the buyer's currency (tax included).
    currency: str
    total_amount: int | None
    tax: int | None
    checkout_session_id: str
    product_ids: tuple[str, ...] | None
    # What the merchant is credited, in the merchant's currency.
    settlement_amount: int | None = None
    settlement_currency: str = ""
    discounts: tuple[DiscountFacts, ...] = field(default=())
    order_id: int | None = None

    @property
    def discount_labels(self) -> str:
        return ", ".join(d.label for d in self.discounts if d.label)


def discounted_floor(price: int, discounts, *, product_id: str) -> int:
    """The least the merchant may receive for ``price`` after ``discounts``."""
    floor = price
    for discount in discounts:
        if discount.restricted_to and product_id not in discount.restricted_to:
            continue
        if discount.amount is None or discount.kind not in ("percentage", "flat"):
            return 0  # named but not described: the floor cannot be known
        if discount.kind == "percentage":
            floor -= floor * min(discount.amount, 10_000) // 10_000
        else:
            floor -= discount.amount
    return max(floor, 0)


def payment_mismatch(order, payment: PaymentFacts) -> str:
    """Why ``payment`` cannot grant ``order`` (an ``Order``), or an empty string."""
    product_id = order.product.dodo_product_id
    if payment.product_ids is not None:
        if product_id not in payment.product_ids:
            return (
                f"payment is for {', '.join(payment.product_ids) or 'no product'}, "
                f"not this order's product {product_id or '?'}"
            )
    elif not payment.checkout_session_id:
        return "payment names neither a product nor a checkout session"
    if (
        payment.checkout_session_id
        and order.dodo_checkout_session_id
        and payment.checkout_session_id != order.dodo_checkout_session_id
    ):
        return "payment belongs to another checkout session"
    order_currency = order.currency.upper()
    if payment.settlement_amount is not None and payment.settlement_currency:
        received, currency = payment.settlement_amount, payment.settlement_currency
        converted = bool(payment.currency) and payment.currency != currency
    elif payment.currency == order_currency and payment.total_amount is not None:
        # No settlement figures (an older payload): the buyer paid in our currency.
        received, currency, converted = payment.total_amount, payment.currency, False
    else:
        return "payment has no settlement amount in the order's currency"
    if currency != order_currency:
        return f"settled in {currency}, the order is in {order.currency}"
    floor = discounted_floor(order.amount, payment.discounts, product_id=product_id)
    allowed = floor - (floor * CONVERSION_TOLERANCE_BPS // 10_000 if converted else 0)
    if received < allowed:
        discount = ""
        if floor < order.amount:
            discount = f" after discount {payment.discount_labels}"
        return (
            f"settlement {received} {currency} is short of the order's "
            f"{floor} {order.currency}{discount}"
        )
    return ""


@dataclass(frozen=True)
class RefundFacts:
    """A provider's refund, in our terms (see ``commerce.dodo.payloads``)."""

    refund_id: str
    payment_id: str
    status: str  # "succeeded", "failed", "pending" or "review"
    amount: int | None
    currency: str
    is_partial: bool
    reason: str = ""
