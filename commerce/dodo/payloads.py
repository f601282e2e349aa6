"""Dodo's payment objects read into our own types (``PaymentFacts``).

The webhook ``data`` of ``payment.*`` events and ``payments.retrieve`` are the same
object (the SDK's ``dodopayments.types.Payment``); both come through here as a dict,
read leniently (Dodo adds fields over time and failed payments carry nulls), so the
rest of the store never sees Dodo's field names.
"""

from __future__ import annotations

from typing import Any

from commerce.services.payments import DiscountFacts, PaymentFacts, RefundFacts


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return None


def _discounts(data: dict[str, Any]) -> tuple[DiscountFacts, ...]:
    raw = data.get("discounts")
    found: list[DiscountFacts] = []
    if isinstance(raw, list):
        for item in sorted(
            (d for d in raw if isinstance(d, dict)),
            key=lambda d: _int_or_none(d.get("position")) or 0,
        ):
            restricted = item.get("restricted_to")
            found.append(
                DiscountFacts(
                    discount_id=str(item.get("discount_id") or ""),
                    code=str(item.get("code") or ""),
                    kind=str(item.get("type") or ""),
                    amount=_int_or_none(item.get("amount")),
                    restricted_to=tuple(str(p) for p in restricted)
                    if isinstance(restricted, list)
                    else (),
                )
            )
    # ``discount_id`` is deprecated (the first discount's id) but may come alone.
    single = str(data.get("discount_id") or "")
    if single and all(d.discount_id != single for d in found):
        found.insert(
            0,
            DiscountFacts(
                discount_id=single, code="", kind="", amount=None, restricted_to=()
            ),
        )
    return tuple(found)


def payment_facts(data: dict[str, Any], *, status: str | None = None) -> PaymentFacts:
    """Read a Dodo ``Payment`` (as a dict); ``status`` overrides the event's."""
    cart = data.get("product_cart")
    return PaymentFacts(
        payment_id=str(data.get("payment_id") or ""),
        status=str(status or data.get("status") or ""),
        currency=str(data.get("currency") or "").upper(),
        total_amount=_int_or_none(data.get("total_amount")),
        tax=_int_or_none(data.get("tax")),
        settlement_amount=_int_or_none(data.get("settlement_amount")),
        settlement_currency=str(data.get("settlement_currency") or "").upper(),
        checkout_session_id=str(data.get("checkout_session_id") or ""),
        product_ids=(
            tuple(
                str(item.get("product_id")) for item in cart if isinstance(item, dict)
            )
            if isinstance(cart, list)
            else None
        ),
        discounts=_discounts(data),
        order_id=_order_id(data),
    )


def _order_id(data: dict[str, Any]) -> int | None:
    metadata = data.get("metadata")
    raw = metadata.get("order_id") if isinstance(metadata, dict) else None
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def refund_facts(data: dict[str, Any], *, status: str | None = None) -> RefundFacts:
    """Read a Dodo ``Refund`` (webhook ``data`` or what ``refunds.create`` returns)."""
    return RefundFacts(
        refund_id=str(data.get("refund_id") or ""),
        payment_id=str(data.get("payment_id") or ""),
        status=str(status or data.get("status") or ""),
        amount=_int_or_none(data.get("amount")),
        currency=str(data.get("currency") or "").upper(),
        is_partial=bool(data.get("is_partial")),
        reason=str(data.get("reason") or ""),
    )
