"""The sandbox's pages: Dodo's hosted checkout, and a control page per payment.

The checkout page offers what a buyer can do on Dodo's page (pay, pay with a
discount code, pay in another currency, a payment that stays processing, decline,
cancel). The control page does what happens later at Dodo: a processing payment
ends, refunds succeed, wait or fail, a dispute goes through its stages. Both reach
objects by their unguessable id, and act for the token that created them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commerce.dodo import client as dodo

from . import outcomes, store
from .discounts import session_total_after_codes


def _bound_or_404(kind: str, object_id: str):
    owner = store.owner_by_id(kind, object_id)
    if owner is None:
        raise Http404(f"No such {kind}")
    return store.bound(owner)


@require_http_methods(["GET", "POST"])
def checkout(request, session_id: str):
    # What it creates belongs to the token that created the session.
    with _bound_or_404("checkout_session", session_id):
        return _checkout(request, store.get("checkout_session", session_id))


def _checkout(request, session: dict):
    if request.method == "GET":
        return render(
            request,
            "dodo_sandbox/checkout.html",
            {
                "session": session,
                "total": session_total_after_codes(session),
                "done": session["payment_status"] in ("succeeded", "processing"),
                "discount_code": outcomes.DISCOUNT_CODE,
            },
        )
    if session["payment_status"] in ("succeeded", "processing"):
        # A used session only sends the buyer back, as Dodo's single-use URL does.
        return _back(session)
    outcome = request.POST.get("action", "")
    if outcome not in outcomes.CHECKOUT_OUTCOMES:
        outcome = "decline"
    with transaction.atomic():
        outcomes.checkout_pay(session, outcome)
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


def index(request):
    """The project token's payments, newest first, each with its control page."""
    with store.bound(store.owner_of_token(dodo.sandbox_token())):
        payments = sorted(
            store.all_of("payment"), key=lambda p: p["created_at"], reverse=True
        )
    return render(request, "dodo_sandbox/index.html", {"payments": payments[:100]})


@require_http_methods(["GET", "POST"])
def payment(request, payment_id: str):
    with _bound_or_404("payment", payment_id):
        if request.method == "POST":
            try:
                with transaction.atomic():
                    _control(request.POST, payment_id)
            except outcomes.SandboxError as err:
                messages.error(request, str(err))
            return HttpResponseRedirect(
                reverse("commerce:dodo_sandbox:payment", args=[payment_id]),
                status=303,
            )
        found = store.get("payment", payment_id)
        return render(
            request,
            "dodo_sandbox/payment.html",
            {
                "payment": found,
                "refund_plan": outcomes.refund_plan(payment_id),
                "refund_plans": list(outcomes.REFUND_PLANS),
                "open_dispute": _open_dispute(found),
                "dispute_moves": [
                    s for s in outcomes.DISPUTE_STATUSES if s != "opened"
                ],
            },
        )


def _open_dispute(payment: dict) -> dict | None:
    for dispute in reversed(payment["disputes"]):
        status = dispute["dispute_status"].removeprefix("dispute_")
        if status not in outcomes.DISPUTE_FINAL:
            return dispute
    return None


def _control(form, payment_id: str) -> None:
    action, _, value = form.get("action", "").partition(":")
    if action == "payment":
        outcomes.payment_settle(payment_id, value)
    elif action == "refund_plan":
        outcomes.refund_plan_set(payment_id, value)
    elif action == "refund":
        refund = store.get("refund", form.get("refund_id", ""))
        if refund is None or refund["payment_id"] != payment_id:
            raise outcomes.SandboxError("No such refund of this payment")
        outcomes.refund_settle(refund["refund_id"], value)
    elif action == "dispute":
        outcomes.dispute_move(payment_id, value)
    else:
        raise outcomes.SandboxError(f"Unknown action {action}")
