"""The buyer's side: ask for a refund of a purchase from the library."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commerce.models import PurchasedProduct

from .selectors import open_request_for_purchase
from .services import (
    RefundRequestRefused,
    refund_request_open,
    refund_request_refusal,
    refund_window_ends,
)


class RefundRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why do you want a refund?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The seller reads this before deciding.",
    )


@require_http_methods(["GET", "POST"])
@login_required
def refund_request_create(request, purchase_id: int):
    """Outside the window, or with a request already open, this is a 403 even
    for a hand-made POST: the library shows no button then."""
    purchase = (
        PurchasedProduct.objects.select_related("product", "order")
        .filter(pk=purchase_id, user=request.user)
        .first()
    )
    if purchase is None:
        raise Http404("No such purchase")
    refusal = refund_request_refusal(purchase)
    if not refusal and open_request_for_purchase(purchase_id=purchase.pk):
        refusal = "A refund request for this purchase is already open."
    if refusal:
        raise PermissionDenied(refusal)
    form = RefundRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            refund_request_open(
                user=request.user,
                purchase_id=purchase.pk,
                reason=form.cleaned_data["reason"],
            )
        except RefundRequestRefused as err:
            raise PermissionDenied(str(err)) from err
        messages.success(
            request,
            f"Your refund request for “{purchase.product.title}” was sent to the "
            "seller. You will get an e-mail when they decide.",
        )
        return redirect(f"{reverse('accounts:products')}#product-{purchase.product_id}")
    return render(
        request,
        "commerce/refund_request.html",
        {
            "purchase": purchase,
            "product": purchase.product,
            "form": form,
            "window_ends": refund_window_ends(purchase),
        },
        status=400 if form.is_bound else 200,
    )
