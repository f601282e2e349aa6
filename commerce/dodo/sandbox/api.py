"""The part of Dodo's REST API we call, answering with the JSON the SDK parses."""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from commerce.dodo import client as dodo
from site_config.base_url import absolute_url

from . import objects, outcomes, store
from .invoice import invoice_pdf


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


def endpoint(*methods: str) -> Callable:
    """Bearer auth, method check and a parsed JSON body, as Dodo's API has.

    Only the project's own sandbox token is accepted, and the view sees only the
    objects created with that token (``store.bound``).
    """

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme != "Bearer" or not token:
                return _error(401, "UNAUTHORIZED", "Missing bearer token.")
            if not hmac.compare_digest(token.encode(), dodo.sandbox_token().encode()):
                return _error(401, "UNAUTHORIZED", "Invalid API key.")
            if request.method not in methods:
                return _error(405, "METHOD_NOT_ALLOWED", request.method)
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                return _error(400, "INVALID_JSON", "Body is not JSON.")
            if not isinstance(body, dict):
                return _error(422, "INVALID_REQUEST", "Body is not a JSON object.")
            with store.bound(store.owner_of_token(token)), transaction.atomic():
                return view(request, body, *args, **kwargs)

        return wrapper

    return decorate


@endpoint("POST")
def products(request, body):
    for field in ("name", "price", "tax_category"):
        if field not in body:
            return _error(422, "INVALID_REQUEST", f"{field} is required")
    product_id = store.new_id("pdt")
    return JsonResponse(
        store.put(
            "product", product_id, objects.product(body, product_id, store.now_iso())
        )
    )


@endpoint("GET", "PATCH", "DELETE")
def product_detail(request, body, product_id: str):
    product = store.get("product", product_id)
    if product is None:
        return _error(404, "NOT_FOUND", f"No product {product_id}")
    if request.method == "PATCH":
        product.update({k: v for k, v in body.items() if k in product})
        product["updated_at"] = store.now_iso()
        store.put("product", product_id, product)
        return HttpResponse(status=200)
    if request.method == "DELETE":
        product["archived"] = True
        store.put("product", product_id, product)
        return HttpResponse(status=200)
    return JsonResponse(product)


@endpoint("POST")
def product_unarchive(request, body, product_id: str):
    product = store.get("product", product_id)
    if product is None:
        return _error(404, "NOT_FOUND", f"No product {product_id}")
    product["archived"] = False
    store.put("product", product_id, product)
    return HttpResponse(status=200)


@endpoint("POST")
def customers(request, body):
    if not body.get("email") or not body.get("name"):
        return _error(422, "INVALID_REQUEST", "email and name are required")
    customer_id = store.new_id("cus")
    return JsonResponse(
        store.put("customer", customer_id, objects.customer(customer_id, body))
    )


@endpoint("GET", "PATCH")
def customer_detail(request, body, customer_id: str):
    customer = store.get("customer", customer_id)
    if customer is None:
        return _error(404, "NOT_FOUND", f"No customer {customer_id}")
    if request.method == "PATCH":
        customer.update({k: v for k, v in body.items() if k in ("email", "name")})
        store.put("customer", customer_id, customer)
    return JsonResponse(customer)


@endpoint("POST")
def checkouts(request, body):
    cart = body.get("product_cart") or []
    if not cart:
        return _error(422, "INVALID_REQUEST", "product_cart is required")
    items = []
    for item in cart:
        product = store.get("product", str(item.get("product_id")))
        if product is None or product.get("archived"):
            return _error(404, "NOT_FOUND", f"No product {item.get('product_id')}")
        items.append({"product": product, "quantity": int(item.get("quantity", 1))})
    customer_ref = body.get("customer") or {}
    customer = store.get("customer", str(customer_ref.get("customer_id", "")))
    if customer is None:
        customer = {"customer_id": store.new_id("cus"), **customer_ref}
    from .discounts import session_discounts

    discount_ids = session_discounts(body, items)
    if isinstance(discount_ids, JsonResponse):
        return discount_ids
    session_id = store.new_id("cks")
    session = {
        "id": session_id,
        "created_at": store.now_iso(),
        "customer_email": customer.get("email"),
        "customer_name": customer.get("name"),
        "customer_id": customer.get("customer_id"),
        "payment_id": None,
        "payment_status": None,
        "items": items,
        "billing_address": body.get("billing_address") or {},
        "return_url": body.get("return_url") or "",
        "metadata": body.get("metadata") or {},
        "discount_ids": discount_ids,
    }
    store.put("checkout_session", session_id, session)
    url = absolute_url(reverse("commerce:dodo_sandbox:checkout", args=[session_id]))
    return JsonResponse({"session_id": session_id, "checkout_url": url})


PUBLIC_SESSION_FIELDS = (
    "id", "created_at", "customer_email", "customer_name", "payment_id",
    "payment_status",
)  # fmt: skip


@endpoint("GET")
def checkout_detail(request, body, session_id: str):
    session = store.get("checkout_session", session_id)
    if session is None:
        return _error(404, "NOT_FOUND", f"No checkout session {session_id}")
    return JsonResponse({k: session.get(k) for k in PUBLIC_SESSION_FIELDS})


@endpoint("GET")
def payment_detail(request, body, payment_id: str):
    payment = store.get("payment", payment_id)
    if payment is None:
        return _error(404, "NOT_FOUND", f"No payment {payment_id}")
    return JsonResponse(payment)


@endpoint("GET")
def payment_invoice(request, body, payment_id: str):
    """``GET /invoices/payments/{id}``: the invoice PDF of a succeeded payment."""
    payment = store.get("payment", payment_id)
    if payment is None:
        return _error(404, "NOT_FOUND", f"No payment {payment_id}")
    if payment.get("status") != "succeeded":
        return _error(404, "NOT_FOUND", f"No invoice for payment {payment_id} yet")
    return HttpResponse(invoice_pdf(payment), content_type="application/pdf")


def _page(request: HttpRequest, rows: list[dict[str, Any]]) -> JsonResponse:
    """One page of a list, as Dodo pages: ``page_number`` from 0, ``{"items": ...}``."""
    try:
        size = min(max(int(request.GET.get("page_size", 10)), 1), 100)
        number = max(int(request.GET.get("page_number", 0)), 0)
    except ValueError:
        return _error(422, "INVALID_REQUEST", "page_size and page_number are integers")
    rows = sorted(rows, key=lambda r: (r["created_at"], str(r)), reverse=True)
    return JsonResponse({"items": rows[number * size : (number + 1) * size]})


def _when(value: str) -> datetime | None:
    """An ISO 8601 instant from a query string (the SDK sends ``isoformat()``)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _customer_id(row: dict[str, Any]) -> str | None:
    """A payment names its customer in ``customer``; a license key at the top."""
    customer = row.get("customer")
    return customer["customer_id"] if customer else row.get("customer_id")


def _listed(
    request: HttpRequest, kind: str, equal: tuple[str, ...], extra=None, shape=None
):
    """Dodo's list filters: ``created_at_gte``/``_lte`` (inclusive), exact-match
    fields, ``customer_id``, and ``extra(row)`` for the rest; then one page of
    ``shape(row)``."""
    query = request.GET
    bounds = {}
    for name in ("created_at_gte", "created_at_lte"):
        if query.get(name):
            bounds[name] = _when(query[name])
            if bounds[name] is None:
                return _error(422, "INVALID_REQUEST", f"{name} is not an ISO 8601 time")
    exact = {name: query[name] for name in equal if query.get(name)}
    customer_id = query.get("customer_id")

    def wanted(row: dict[str, Any]) -> bool:
        created = _when(row["created_at"])
        return (
            all(row.get(name) == value for name, value in exact.items())
            and ("created_at_gte" not in bounds or created >= bounds["created_at_gte"])
            and ("created_at_lte" not in bounds or created <= bounds["created_at_lte"])
            and (not customer_id or _customer_id(row) == customer_id)
            and (extra is None or extra(row))
        )

    rows = [row for row in store.all_of(kind) if wanted(row)]
    return _page(request, [shape(row) for row in rows] if shape else rows)


@endpoint("GET")
def payments(request, body):
    """``GET /payments`` with every filter of the SDK's ``PaymentListParams``."""
    product_id = request.GET.get("product_id")
    return _listed(
        request,
        "payment",
        ("status", "currency", "brand_id", "subscription_id"),
        extra=lambda p: (
            not product_id
            or any(i["product_id"] == product_id for i in p["product_cart"] or [])
        ),
        shape=_payment_list_item,
    )


# ``payments.list`` items (SDK ``PaymentListResponse``) are a summary of a payment.
PAYMENT_LIST_FIELDS = (
    "payment_id", "brand_id", "created_at", "currency", "customer",
    "digital_products_delivered", "includes_usage", "is_multi_subscription",
    "metadata", "payment_provider", "retry_attempt", "service_periods",
    "subscription_ids", "total_amount", "card_last_four", "card_network",
    "checkout_session_id", "invoice_id", "invoice_url", "payment_method",
    "payment_method_type", "refund_status", "status", "subscription_id",
)  # fmt: skip


def _payment_list_item(payment: dict[str, Any]) -> dict[str, Any]:
    disputes = payment["disputes"]
    return {
        **{k: payment.get(k) for k in PAYMENT_LIST_FIELDS},
        "has_license_key": False,
        "dispute_status": disputes[-1]["dispute_status"] if disputes else None,
    }


def _refund_amount(body: dict[str, Any], payment: dict[str, Any]) -> int | JsonResponse:
    """The amount asked for: the whole rest, or the sum of ``items`` (Dodo's shape).

    As Dodo's, amounts are in the settlement (merchant's) currency.
    """
    left = payment["settlement_amount"] - objects.refunded_amount(payment)
    items = body.get("items")
    if not items:
        amount = left
    else:
        cart = {i["product_id"]: i["quantity"] for i in payment["product_cart"] or []}
        amount = 0
        for item in items:
            if item.get("item_id") not in cart:
                return _error(422, "INVALID_REQUEST", "item_id is not in the payment")
            value = item.get("amount")
            if value is None:
                value = left if len(cart) == 1 else 0
            if not isinstance(value, int) or value <= 0:
                return _error(422, "INVALID_REQUEST", "amount must be positive")
            amount += value
    if left <= 0:
        return _error(422, "ALREADY_REFUNDED", "The payment is already refunded")
    if amount > left:
        return _error(
            422, "INVALID_REQUEST", f"Refund amount exceeds the refundable {left}"
        )
    return amount


@endpoint("GET", "POST")
def refunds(request, body):
    if request.method == "GET":
        # A refund belongs to no subscription here: that filter finds none.
        return _listed(request, "refund", ("status", "subscription_id"))
    payment = store.get("payment", str(body.get("payment_id", "")))
    if payment is None:
        return _error(404, "NOT_FOUND", "No such payment")
    if payment["status"] != "succeeded":
        return _error(422, "INVALID_REQUEST", "Only a succeeded payment is refundable")
    amount = _refund_amount(body, payment)
    if isinstance(amount, JsonResponse):
        return amount
    refund = outcomes.refund_create(
        payment, amount=amount, reason=body.get("reason"), metadata=body.get("metadata")
    )
    return JsonResponse(refund)


@endpoint("GET")
def refund_detail(request, body, refund_id: str):
    refund = store.get("refund", refund_id)
    if refund is None:
        return _error(404, "NOT_FOUND", f"No refund {refund_id}")
    return JsonResponse(refund)
