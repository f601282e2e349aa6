"""Dodo's discounts API in the sandbox, and codes applied to checkouts and payments.

``/discounts`` (create, list), ``/discounts/{id}`` (retrieve, update, delete) and
``/discounts/code/{code}`` answer with the SDK's ``Discount``; a payment lists the
codes it used in ``discounts`` (``DiscountDetail``) and ``discount_id``. Requests are
checked as Dodo documents them (the SDK's ``DiscountCreateParams``): a code is
3–16 characters, stored in capitals and unique; ``amount`` is at least 1 (basis
points for a percentage, at most 10000); a flat code needs a default currency
option; ``starts_at`` is before ``expires_at``; limits are at least 1.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from . import store
from .api import _error, _page, endpoint

CREATE_FIELDS = (
    "amount", "type", "code", "currency_options", "customer_eligibility",
    "expires_at", "metadata", "name", "per_customer_usage_limit",
    "preserve_on_plan_change", "restricted_to", "starts_at", "subscription_cycles",
    "usage_limit",
)  # fmt: skip


class Invalid(ValueError):
    pass


def _moment(value: Any, name: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid(f"{name} is an ISO 8601 time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as err:
        raise Invalid(f"{name} is an ISO 8601 time") from err
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _iso(value: Any) -> str | None:
    moment = _moment(value, "time")
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _checked(discount: dict[str, Any]) -> dict[str, Any]:
    """The whole discount after a create or update, checked as Dodo checks it."""
    if discount["type"] not in ("percentage", "flat"):
        raise Invalid("type must be percentage or flat")
    amount = discount["amount"]
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
        raise Invalid("amount must be an integer of at least 1")
    if discount["type"] == "percentage" and amount > 10_000:
        raise Invalid("a percentage amount is at most 10000 basis points")
    code = discount["code"]
    if not isinstance(code, str) or not 3 <= len(code) <= 16:
        raise Invalid("code must be 3 to 16 characters")
    discount["code"] = code.upper()
    options = discount.get("currency_options") or []
    if discount["type"] == "flat" and not any(o.get("is_default") for o in options):
        raise Invalid("a flat discount needs a default currency option")
    for option in options:
        cap = option.get("max_amount_possible")
        if not option.get("currency") or (cap is not None and cap <= 0):
            raise Invalid("currency options need a currency and a positive amount")
    starts = _moment(discount.get("starts_at"), "starts_at")
    expires = _moment(discount.get("expires_at"), "expires_at")
    if starts and expires and starts >= expires:
        raise Invalid("starts_at must be before expires_at")
    for name in ("usage_limit", "per_customer_usage_limit", "subscription_cycles"):
        value = discount.get(name)
        if value is not None and (not isinstance(value, int) or value < 1):
            raise Invalid(f"{name} must be at least 1")
    per_customer = discount.get("per_customer_usage_limit")
    if per_customer and discount.get("usage_limit"):
        if per_customer > discount["usage_limit"]:
            raise Invalid("per_customer_usage_limit must be <= usage_limit")
    restricted = discount.get("restricted_to") or []
    if not isinstance(restricted, list) or any(
        store.get("product", str(p)) is None for p in restricted
    ):
        raise Invalid("restricted_to names an unknown product")
    for other in store.all_of("discount"):
        if (
            other["code"] == discount["code"]
            and other["discount_id"] != discount["discount_id"]
        ):
            raise Invalid(f"A discount with code {discount['code']} already exists")
    return discount


def _shape(data: dict[str, Any]) -> dict[str, Any]:
    """The SDK's ``Discount`` (currency options as the response shape)."""
    return {
        "discount_id": data["discount_id"],
        "business_id": store.BUSINESS_ID,
        "amount": data["amount"],
        "type": data["type"],
        "code": data["code"],
        "name": data.get("name"),
        "created_at": data["created_at"],
        "customer_eligibility": data.get("customer_eligibility") or "any",
        "metadata": data.get("metadata") or {},
        "preserve_on_plan_change": bool(data.get("preserve_on_plan_change")),
        "restricted_to": list(data.get("restricted_to") or []),
        "times_used": data.get("times_used", 0),
        "usage_limit": data.get("usage_limit"),
        "per_customer_usage_limit": data.get("per_customer_usage_limit"),
        "starts_at": _iso(data.get("starts_at")),
        "expires_at": _iso(data.get("expires_at")),
        "subscription_cycles": data.get("subscription_cycles"),
        "currency_options": [
            {
                "currency": o["currency"],
                "is_default": bool(o.get("is_default")),
                "minimum_subtotal": int(o.get("minimum_subtotal") or 0),
                "max_amount_possible": o.get("max_amount_possible"),
            }
            for o in data.get("currency_options") or []
        ],
    }


@endpoint("GET", "POST")
def discounts(request, body):
    if request.method == "GET":
        return _list(request)
    if "amount" not in body or "type" not in body:
        return _error(422, "INVALID_REQUEST", "amount and type are required")
    discount = {k: body[k] for k in CREATE_FIELDS if k in body}
    discount.update(
        discount_id=store.new_id("dsc"),
        created_at=store.now_iso(),
        times_used=0,
    )
    discount.setdefault("code", store.new_id("")[1:17].upper())
    try:
        discount = _checked(discount)
    except Invalid as err:
        return _error(422, "INVALID_REQUEST", str(err))
    store.put("discount", discount["discount_id"], discount)
    return JsonResponse(_shape(discount))


def _list(request) -> JsonResponse:
    query = request.GET
    now = timezone.now()
    rows = []
    for discount in store.all_of("discount"):
        if discount.get("deleted"):
            continue
        if query.get("code") and query["code"].upper() not in discount["code"]:
            continue
        if query.get("discount_type") and discount["type"] != query["discount_type"]:
            continue
        restricted = discount.get("restricted_to") or []
        if query.get("product_id") and restricted:
            if query["product_id"] not in restricted:
                continue
        if query.get("active") in ("true", "false"):
            if (query["active"] == "true") != (not redeem_refusal(discount, now)):
                continue
        rows.append(_shape(discount))
    return _page(request, rows)


@endpoint("GET", "PATCH", "DELETE")
def discount_detail(request, body, discount_id: str):
    discount = store.get("discount", discount_id)
    if discount is None or discount.get("deleted"):
        return _error(404, "NOT_FOUND", f"No discount {discount_id}")
    if request.method == "DELETE":
        discount["deleted"] = True
        store.put("discount", discount_id, discount)
        return HttpResponse(status=204)
    if request.method == "PATCH":
        changed = dict(discount)
        changed.update({k: v for k, v in body.items() if k in CREATE_FIELDS})
        if changed.get("code") is None:
            changed["code"] = discount["code"]
        try:
            changed = _checked(changed)
        except Invalid as err:
            return _error(422, "INVALID_REQUEST", str(err))
        store.put("discount", discount_id, changed)
        discount = changed
    return JsonResponse(_shape(discount))


@endpoint("GET")
def discount_by_code(request, body, code: str):
    found = by_code(code)
    if found is None:
        return _error(404, "NOT_FOUND", f"No discount with code {code}")
    return JsonResponse(_shape(found))


def by_code(code: str) -> dict[str, Any] | None:
    for discount in store.all_of("discount"):
        if discount["code"] == str(code).upper() and not discount.get("deleted"):
            return discount
    return None


def redeem_refusal(discount: dict[str, Any], now: datetime | None = None) -> str:
    """Why the code cannot be redeemed now (Dodo's words), or ""."""
    now = now or timezone.now()
    if discount.get("deleted"):
        return "Discount code not found"
    starts = _moment(discount.get("starts_at"), "starts_at")
    expires = _moment(discount.get("expires_at"), "expires_at")
    if starts and starts > now:
        return "Discount code is not active yet"
    if expires and expires <= now:
        return "Discount code has expired"
    limit = discount.get("usage_limit")
    if limit is not None and discount.get("times_used", 0) >= limit:
        return "Discount code usage limit reached"
    return ""


def session_discounts(body: dict[str, Any], items: list[dict[str, Any]]):
    """The codes a ``checkout_sessions.create`` asks for, checked against its cart.

    Returns the discount ids, or an error response as Dodo gives one.
    """
    single, many = body.get("discount_code"), body.get("discount_codes")
    if single is not None and many is not None:
        return _error(
            422, "INVALID_REQUEST", "discount_code and discount_codes are exclusive"
        )
    codes = [single] if single is not None else list(many or [])
    if len(codes) > 20:
        return _error(422, "INVALID_REQUEST", "At most 20 discount codes")
    cart = {i["product"]["product_id"] for i in items}
    ids = []
    for code in codes:
        discount = by_code(str(code))
        if discount is None:
            return _error(422, "INVALID_DISCOUNT", f"Discount code {code} not found")
        refusal = redeem_refusal(discount)
        restricted = set(discount.get("restricted_to") or [])
        if not refusal and restricted and not restricted & cart:
            refusal = "Discount code does not apply to the products in the cart"
        if refusal:
            return _error(422, "INVALID_DISCOUNT", f"{refusal}: {code}")
        ids.append(discount["discount_id"])
    return ids


def _off(discount: dict[str, Any], amount: int, currency: str) -> int:
    if discount["type"] == "percentage":
        return amount * discount["amount"] // 10_000
    options = discount.get("currency_options") or []
    row = next((o for o in options if o["currency"] == currency), None)
    row = row or next((o for o in options if o.get("is_default")), None)
    flat = row.get("max_amount_possible") if row else None
    return min(flat if flat is not None else discount["amount"], amount)


def payment_apply(payment: dict[str, Any], discount_ids: list[str]) -> None:
    """Apply a session's codes to its payment in order, as Dodo stacks them: both
    totals go down, ``discounts``/``discount_id`` name them, each counts a use."""
    applied = []
    cart = {i["product_id"] for i in payment["product_cart"] or []}
    for position, discount_id in enumerate(discount_ids):
        discount = store.get("discount", discount_id)
        if discount is None or redeem_refusal(discount):
            continue
        restricted = set(discount.get("restricted_to") or [])
        if restricted and not restricted & cart:
            continue
        off = _off(discount, payment["total_amount"], payment["currency"])
        payment["total_amount"] -= off
        payment["settlement_amount"] -= off
        if payment["status"] == "succeeded":
            discount["times_used"] = discount.get("times_used", 0) + 1
            store.put("discount", discount_id, discount)
        shaped = _shape(discount)
        applied.append(
            {
                "discount_id": discount_id,
                "business_id": store.BUSINESS_ID,
                "amount": off if discount["type"] == "flat" else discount["amount"],
                "type": discount["type"],
                "code": discount["code"],
                "name": discount.get("name"),
                "created_at": discount["created_at"],
                "metadata": shaped["metadata"],
                "position": position,
                "preserve_on_plan_change": shaped["preserve_on_plan_change"],
                "restricted_to": shaped["restricted_to"],
                "times_used": discount.get("times_used", 0),
                "usage_limit": discount.get("usage_limit"),
                "expires_at": shaped["expires_at"],
                "cycles_remaining": None,
                "subscription_cycles": None,
            }
        )
    if applied:
        payment["discounts"] = applied
        payment["discount_id"] = applied[0]["discount_id"]


def session_total_after_codes(session: dict[str, Any]) -> int:
    """What the hosted page asks the buyer to pay once the session's codes apply."""
    from .objects import session_currency, session_total

    total, currency = session_total(session), session_currency(session)
    for discount_id in session.get("discount_ids") or []:
        discount = store.get("discount", discount_id)
        if discount is not None and not redeem_refusal(discount):
            total -= _off(discount, total, currency)
    return total
