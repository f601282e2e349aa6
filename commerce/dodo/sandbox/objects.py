"""Dodo's objects as the API returns them, with every field the SDK declares required.

One builder per object (``Payment``, ``Refund``, ``RefundListItem``, ``Dispute``,
``Product``, ``Customer``); the API views and the webhook sender both use these, so
what the sandbox answers and what it sends have one shape. The conformance test
validates them against ``dodopayments.types`` strictly.
"""

from __future__ import annotations

import secrets
from typing import Any

from commerce.money import major_string

from . import store

# The fields of a refund that a payment lists in ``refunds`` (SDK ``RefundListItem``).
REFUND_LIST_FIELDS = (
    "refund_id", "payment_id", "business_id", "amount", "currency", "status",
    "is_partial", "reason", "created_at",
)  # fmt: skip


def product(data: dict[str, Any], product_id: str, now: str) -> dict[str, Any]:
    return {
        "product_id": product_id,
        "business_id": store.BUSINESS_ID,
        "brand_id": store.BRAND_ID,
        "name": data.get("name"),
        "description": data.get("description"),
        "price": data.get("price"),
        "tax_category": data.get("tax_category"),
        "is_recurring": False,
        "license_key_enabled": bool(data.get("license_key_enabled")),
        "license_key_activations_limit": data.get("license_key_activations_limit"),
        "license_key_duration": data.get("license_key_duration"),
        "license_key_activation_message": data.get("license_key_activation_message"),
        "metadata": data.get("metadata") or {},
        "entitlements": [],
        "credit_entitlements": [],
        "archived": False,
        "created_at": now,
        "updated_at": now,
    }


def customer(customer_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "business_id": store.BUSINESS_ID,
        "email": body.get("email"),
        "name": body.get("name"),
        "metadata": body.get("metadata") or {},
        "phone_number": body.get("phone_number"),
        "created_at": store.now_iso(),
    }


def session_total(session: dict[str, Any]) -> int:
    return sum(i["product"]["price"]["price"] * i["quantity"] for i in session["items"])


def session_currency(session: dict[str, Any]) -> str:
    return session["items"][0]["product"]["price"]["currency"]


def payment(session: dict[str, Any], status: str) -> dict[str, Any]:
    """A one-time payment for a checkout session, as ``payments.retrieve`` shows it.

    ``total_amount``/``currency`` are what the buyer pays; ``settlement_*`` what
    the merchant receives (the same here; ``outcomes`` changes them).
    """
    total = session_total(session)
    currency = session_currency(session)
    now = store.now_iso()
    charged = status == "succeeded"
    return {
        "payment_id": store.new_id("pay"),
        "business_id": store.BUSINESS_ID,
        "brand_id": store.BRAND_ID,
        "status": status,
        "total_amount": total,
        "currency": currency,
        "tax": 0 if charged else None,
        "settlement_amount": total,
        "settlement_currency": currency,
        "settlement_tax": 0 if charged else None,
        "customer": {
            "customer_id": session["customer_id"],
            "email": session["customer_email"],
            "name": session["customer_name"],
        },
        "billing": {"country": "US", **session["billing_address"]},
        "metadata": session["metadata"],
        "product_cart": [
            {"product_id": i["product"]["product_id"], "quantity": i["quantity"]}
            for i in session["items"]
        ],
        "checkout_session_id": session["id"],
        "payment_method": "card" if charged else None,
        "payment_method_type": "credit" if charged else None,
        "card_last_four": "4242" if charged else None,
        "card_network": "VISA" if charged else None,
        "payment_provider": "dodo",
        "error_code": None if charged or status == "processing" else "CARD_DECLINED",
        "error_message": (
            None
            if charged or status == "processing"
            else "The card was declined (sandbox)."
        ),
        "discount_id": None,
        "refunds": [],
        "refund_status": None,
        "disputes": [],
        "service_periods": [],
        "subscription_id": None,
        "subscription_ids": [],
        "digital_products_delivered": False,
        "includes_usage": False,
        "is_multi_subscription": False,
        "is_update_payment_method": False,
        "retry_attempt": 0,
        "created_at": now,
        "updated_at": now,
    }


def refund(
    payment: dict[str, Any],
    *,
    amount: int,
    status: str,
    reason: str | None,
    metadata: dict[str, Any] | None,
) -> dict[str, Any]:
    return {
        "refund_id": store.new_id("rfd"),
        "payment_id": payment["payment_id"],
        "business_id": store.BUSINESS_ID,
        "brand_id": store.BRAND_ID,
        "amount": amount,
        # Without a ``currency`` in the request Dodo refunds in the settlement
        # currency (what the merchant was credited).
        "currency": payment["settlement_currency"],
        "status": status,
        "is_partial": refunded_amount(payment) + amount < payment["settlement_amount"],
        "reason": reason,
        "metadata": metadata or {},
        "customer": payment["customer"],
        "created_at": store.now_iso(),
    }


def _counts(refund: dict[str, Any]) -> bool:
    """A refund that took or may still take money back (not a failed one)."""
    return refund["status"] != "failed"


def refunded_amount(payment: dict[str, Any]) -> int:
    return sum(r["amount"] or 0 for r in payment["refunds"] if _counts(r))


def payment_refunds_set(payment: dict[str, Any], refund: dict[str, Any]) -> None:
    """Put ``refund`` (new or changed) into the payment's refunds; set refund_status."""
    item = {k: refund.get(k) for k in REFUND_LIST_FIELDS}
    payment["refunds"] = [
        r for r in payment["refunds"] if r["refund_id"] != refund["refund_id"]
    ] + [item]
    done = sum(
        r["amount"] or 0 for r in payment["refunds"] if r["status"] == "succeeded"
    )
    if done >= payment["settlement_amount"]:
        payment["refund_status"] = "full"
    elif done > 0:
        payment["refund_status"] = "partial"
    else:
        payment["refund_status"] = None
    payment["updated_at"] = store.now_iso()


def dispute(payment: dict[str, Any], *, status: str, stage: str) -> dict[str, Any]:
    return {
        "dispute_id": store.new_id("dsp"),
        "payment_id": payment["payment_id"],
        "business_id": store.BUSINESS_ID,
        "amount": major_string(payment["total_amount"], payment["currency"]),
        "currency": payment["currency"],
        "dispute_stage": stage,
        "dispute_status": status,
        "remarks": None,
        "is_resolved_by_rdr": False,
        "created_at": store.now_iso(),
    }


# Days in each of Dodo's ``TimeInterval`` units, for a key's expiry.
INTERVAL_DAYS = {"Day": 1, "Week": 7, "Month": 30, "Year": 365}


def license_key(payment: dict[str, Any], product: dict[str, Any]) -> dict[str, Any]:
    """A key issued for a paid product (SDK ``LicenseKey``), as Dodo issues one."""
    from datetime import timedelta

    from django.utils import timezone

    duration = product.get("license_key_duration") or None
    expires_at = None
    if duration:
        days = int(duration["count"]) * INTERVAL_DAYS[duration["interval"]]
        expires_at = (
            (timezone.now() + timedelta(days=days)).isoformat().replace("+00:00", "Z")
        )
    return {
        "id": store.new_id("lic"),
        "brand_id": store.BRAND_ID,
        "business_id": store.BUSINESS_ID,
        "created_at": store.now_iso(),
        "customer_id": payment["customer"]["customer_id"],
        "instances_count": 0,
        "key": "-".join(secrets.token_hex(4).upper() for _ in range(4)),
        "product_id": product["product_id"],
        "source": "auto",
        "status": "active",
        "activations_limit": product.get("license_key_activations_limit"),
        "expires_at": expires_at,
        "payment_id": payment["payment_id"],
        "subscription_id": None,
    }


def license_key_instance(key: dict[str, Any], name: str) -> dict[str, Any]:
    """One activation of a key (SDK ``LicenseKeyInstance``)."""
    return {
        "id": store.new_id("lki"),
        "business_id": store.BUSINESS_ID,
        "created_at": store.now_iso(),
        "license_key_id": key["id"],
        "name": name,
    }
