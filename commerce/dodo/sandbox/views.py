"""The sandbox's hosted checkout page: Pay or Decline, then back to the shop."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import store
from .events import event_enqueue


def _session_or_404(session_id: str) -> dict:
    session = store.get("checkout_session", session_id)
    if session is None:
        raise Http404("No such checkout session")
    return session


def _payment(session: dict, status: str) -> dict:
    total = sum(
        i["product"]["price"]["price"] * i["quantity"] for i in session["items"]
    )
    currency = session["items"][0]["product"]["price"]["currency"]
    now = store.now_iso()
    succeeded = status == "succeeded"
    return {
        "payment_id": store.new_id("pay"),
        "business_id": store.BUSINESS_ID,
        "brand_id": store.BRAND_ID,
        "status": status,
        "total_amount": total,
        "currency": currency,
        "tax": 0 if succeeded else None,
        "settlement_amount": total,
        "settlement_currency": currency,
        "settlement_tax": 0 if succeeded else None,
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
        "payment_method": "card" if succeeded else None,
        "payment_provider": "dodo",
        "error_code": None if succeeded else "CARD_DECLINED",
        "error_message": None if succeeded else "The card was declined (sandbox).",
        "refunds": [],
        "disputes": [],
        "service_periods": [],
        "subscription_ids": [],
        "digital_products_delivered": False,
        "created_at": now,
        "updated_at": now,
    }


@require_http_methods(["GET", "POST"])
def checkout(request, session_id: str):
    session = _session_or_404(session_id)
    if request.method == "GET":
        total = sum(
            i["product"]["price"]["price"] * i["quantity"] for i in session["items"]
        )
        return render(
            request,
            "commerce/sandbox/checkout.html",
            {"session": session, "total": total, "done": session["payment_status"]
             == "succeeded"},
        )  # fmt: skip
    if session["payment_status"] == "succeeded":
        # A used session only sends the buyer back, as Dodo's single-use URL does.
        return _back(session)
    status = "succeeded" if request.POST.get("action") == "pay" else "failed"
    with transaction.atomic():
        payment = _payment(session, status)
        store.put("payment", payment["payment_id"], payment)
        session.update(payment_id=payment["payment_id"], payment_status=status)
        store.put("checkout_session", session["id"], session)
        event_enqueue(
            event_type=f"payment.{status}", data={**payment, "payload_type": "Payment"}
        )
    return _back(session)


def _back(session: dict) -> HttpResponseRedirect:
    query = urlencode(
        {
            "payment_id": session["payment_id"],
            "status": session["payment_status"],
            "email": session["customer_email"] or "",
        }
    )
    separator = "&" if "?" in session["return_url"] else "?"
    return HttpResponseRedirect(
        f"{session['return_url']}{separator}{query}", status=303
    )
