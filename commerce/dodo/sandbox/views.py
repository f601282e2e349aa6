"""The sandbox's hosted checkout page: Pay or Decline, then back to the shop."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import objects, store
from .events import event_enqueue


@require_http_methods(["GET", "POST"])
def checkout(request, session_id: str):
    # Reached by its unguessable id, like Dodo's hosted page; what it creates
    # belongs to the token that created the session.
    owner = store.owner_by_id("checkout_session", session_id)
    if owner is None:
        raise Http404("No such checkout session")
    with store.bound(owner):
        return _checkout(request, store.get("checkout_session", session_id))


def _checkout(request, session: dict):
    if request.method == "GET":
        total = objects.session_total(session)
        return render(
            request,
            "dodo_sandbox/checkout.html",
            {"session": session, "total": total, "done": session["payment_status"]
             == "succeeded"},
        )  # fmt: skip
    if session["payment_status"] == "succeeded":
        # A used session only sends the buyer back, as Dodo's single-use URL does.
        return _back(session)
    status = "succeeded" if request.POST.get("action") == "pay" else "failed"
    with transaction.atomic():
        payment = objects.payment(session, status)
        store.put("payment", payment["payment_id"], payment)
        session.update(payment_id=payment["payment_id"], payment_status=status)
        store.put("checkout_session", session["id"], session)
        event_enqueue(event_type=f"payment.{status}", data=payment)
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
