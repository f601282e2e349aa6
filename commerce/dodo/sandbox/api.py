"""The part of Dodo's REST API we call, answering with the JSON the SDK parses."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from . import store
from .events import event_enqueue


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


def endpoint(*methods: str) -> Callable:
    """Bearer auth, method check and a parsed JSON body, as Dodo's API has."""

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.headers.get("Authorization", "").startswith("Bearer "):
                return _error(401, "UNAUTHORIZED", "Missing bearer token.")
            if request.method not in methods:
                return _error(405, "METHOD_NOT_ALLOWED", request.method)
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                return _error(400, "INVALID_JSON", "Body is not JSON.")
            return view(request, body, *args, **kwargs)

        return wrapper

    return decorate


def _product(data: dict[str, Any], product_id: str, now: str) -> dict[str, Any]:
    return {
        "product_id": product_id,
        "business_id": store.BUSINESS_ID,
        "brand_id": store.BRAND_ID,
        "name": data.get("name"),
        "description": data.get("description"),
        "price": data.get("price"),
        "tax_category": data.get("tax_category"),
        "is_recurring": False,
        "license_key_enabled": False,
        "metadata": data.get("metadata") or {},
        "entitlements": [],
        "credit_entitlements": [],
        "archived": False,
        "created_at": now,
        "updated_at": now,
    }


@endpoint("POST")
def products(request, body):
    for field in ("name", "price", "tax_category"):
        if field not in body:
            return _error(422, "INVALID_REQUEST", f"{field} is required")
    product_id = store.new_id("pdt")
    return JsonResponse(
        store.put("product", product_id, _product(body, product_id, store.now_iso()))
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


def _customer(customer_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "business_id": store.BUSINESS_ID,
        "email": body.get("email"),
        "name": body.get("name"),
        "metadata": body.get("metadata") or {},
        "phone_number": body.get("phone_number"),
        "created_at": store.now_iso(),
    }


@endpoint("POST")
def customers(request, body):
    if not body.get("email") or not body.get("name"):
        return _error(422, "INVALID_REQUEST", "email and name are required")
    customer_id = store.new_id("cus")
    return JsonResponse(
        store.put("customer", customer_id, _customer(customer_id, body))
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
    }
    store.put("checkout_session", session_id, session)
    url = settings.SITE_URL.rstrip("/") + reverse(
        "commerce:dodo_sandbox:checkout", args=[session_id]
    )
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


@endpoint("POST")
def refunds(request, body):
    payment = store.get("payment", str(body.get("payment_id", "")))
    if payment is None:
        return _error(404, "NOT_FOUND", "No such payment")
    if payment["status"] != "succeeded":
        return _error(422, "INVALID_REQUEST", "Only a succeeded payment is refundable")
    if payment["refunds"]:
        return _error(422, "ALREADY_REFUNDED", "The payment is already refunded")
    refund_id = store.new_id("rfd")
    refund = {
        "refund_id": refund_id,
        "payment_id": payment["payment_id"],
        "business_id": store.BUSINESS_ID,
        "brand_id": store.BRAND_ID,
        "amount": payment["total_amount"],
        "currency": payment["currency"],
        "status": "succeeded",
        "is_partial": False,
        "reason": body.get("reason"),
        "metadata": body.get("metadata") or {},
        "customer": payment["customer"],
        "created_at": store.now_iso(),
    }
    payment["refunds"].append(
        {k: refund[k] for k in ("refund_id", "amount", "currency", "status",
                                "is_partial", "created_at", "payment_id")}
    )  # fmt: skip
    store.put("payment", payment["payment_id"], payment)
    store.put("refund", refund_id, refund)
    event_enqueue(
        event_type="refund.succeeded", data={**refund, "payload_type": "Refund"}
    )
    return JsonResponse(refund)
