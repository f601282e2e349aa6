"""Staff refunds through Dodo: claim the order, ask Dodo, apply its answer.

The Dodo call happens outside any transaction (the refund's webhook may arrive,
and be applied, before the call returns) and is never retried automatically: a
retry could refund twice.
"""

from __future__ import annotations

from commerce.dodo import client as dodo
from commerce.models import Order
from commerce.services import refunds

from .payloads import refund_facts


def refund_request(
    *, order_id: int, amount: int | None = None, reason: str = "Refunded by staff"
) -> Order:
    """Refund ``amount`` (minor units of the order's currency; None: all that is left).

    Raises ``RefundRefused`` when the order cannot be refunded so, and Dodo's errors
    (``DodoUnreachable``, ``DodoError``) after making the order refundable again.
    """
    order, amount = refunds.order_refund_claim(order_id=order_id, amount=amount)
    # A whole first refund is Dodo's plain full refund; anything else names the
    # product with an amount (Dodo's ``items``), in the settlement currency.
    items = None
    if order.refunded_amount or amount < refunds.refundable_left(order):
        items = [{"item_id": order.product.dodo_product_id, "amount": amount}]
    try:
        data = dodo.refund_create(
            payment_id=order.dodo_payment_id, reason=reason, items=items
        )
    except dodo.DodoUnreachable:
        refunds.order_refund_release(
            order_id=order.pk,
            note="Dodo did not answer the refund request; it may or may not have "
            "been made. Check the payment in Dodo's dashboard before trying again.",
        )
        raise
    except dodo.DodoError as err:
        refunds.order_refund_release(
            order_id=order.pk, note=f"Dodo refused the refund: {dodo.reason(err)}"
        )
        raise
    refunds.order_refund_started(order_id=order.pk, refund=refund_facts(data))
    order.refresh_from_db()
    return order
