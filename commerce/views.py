"""Checkout, the return page and the Dodo webhook: thin views over the services."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Site

from attribution.services import order_touches_record
from attribution.touches import touches_read
from catalog.models import ProductPage
from site_config.base_url import absolute_url
from site_config.cache import cache_add
from site_config.throttles import throttle

from . import selectors
from .discounts import services as discount_services
from .dodo import checkout as dodo_checkout
from .dodo import client as dodo
from .dodo import reconcile, webhooks
from .forms import BillingAddressForm
from .models import OrderStatus

logger = logging.getLogger(__name__)

# After this long on the "confirming" page we ask Dodo ourselves.
RECHECK_AFTER = timedelta(seconds=10)
RECHECK_EVERY_SECONDS = 10


@require_http_methods(["GET", "POST"])
@login_required
@throttle("checkout_start")
def checkout(request, product_id: int):
    product = get_object_or_404(ProductPage.objects.live(), pk=product_id)
    held = selectors.purchase_held(user=request.user, product_id=product.pk)
    if held is not None:
        if held.suspended_at:
            messages.warning(
                request,
                f"Your access to “{product.title}” is on hold while a payment "
                "dispute is open; it can't be bought again meanwhile.",
            )
        else:
            messages.info(request, f"You already own “{product.title}”.")
        return redirect(product.url or "/")
    if request.method == "POST":
        return _checkout_post(request, product)
    last = selectors.order_last_for_user(user=request.user)
    form = BillingAddressForm(initial=BillingAddressForm.initial_from_order(last))
    return _checkout_page(request, product, form)


def _checkout_page(request, product, form, **discount):
    context = {
        "product": product,
        "form": form,
        "discount_code": discount.get("code", ""),
        "discount_error": discount.get("error", ""),
        "quote": discount.get("quote"),
    }
    return render(request, "commerce/checkout.html", context)


def _checkout_post(request, product):
    """``action=apply`` checks the code and shows the new total; paying with a
    code the buyer has not seen applied shows it first, then asks again."""
    code = (request.POST.get("discount_code") or "").strip().upper()[:32]
    quote, error = None, ""
    if code:
        try:
            quote = discount_services.discount_quote(code_text=code, product=product)
        except discount_services.DiscountRefused as refused:
            error = str(refused)
    # Enter in any field presses the first button, "Apply code": with no code
    # typed that means "continue", as before there was a code field.
    if request.POST.get("action") == "apply" and code:
        # Only the code is being checked: the address keeps what was typed,
        # without complaining about fields not filled in yet.
        form = BillingAddressForm(initial=request.POST.dict())
        return _checkout_page(
            request, product, form, code=code, quote=quote, error=error
        )
    form = BillingAddressForm(request.POST)
    seen = (request.POST.get("applied_code") or "").strip().upper()
    if error or (code and code != seen) or not form.is_valid():
        return _checkout_page(
            request, product, form, code=code, quote=quote, error=error
        )
    return _start_checkout(request, product, form.cleaned_data, discount_code=code)


def _start_checkout(request, product, billing, *, discount_code: str = ""):
    def return_url(order) -> str:
        path = reverse("commerce:checkout_return", args=[order.pk])
        return absolute_url(path)

    try:
        order, checkout_url = dodo_checkout.checkout_start(
            user=request.user,
            product=product,
            billing=billing,
            return_url=return_url,
            discount_code=discount_code,
        )
    except dodo_checkout.ProductAlreadyOwned:
        messages.info(request, f"You already own “{product.title}”.")
        return redirect(product.url or "/")
    except dodo_checkout.PriceNotConfirmed:
        messages.error(
            request,
            "The price of this product is being updated with the payment provider, "
            "so the checkout could not start. You have not been charged; please try "
            "again in a minute.",
        )
        return redirect("commerce:checkout", product_id=product.pk)
    except dodo_checkout.CheckoutUnavailable as err:
        if err.refused:
            messages.error(
                request,
                f"The payment provider declined to start the checkout: "
                f"{err.message.rstrip('.')}. You have not been charged.",
            )
        else:
            messages.error(
                request,
                "The payment provider is not reachable right now, so the checkout "
                "could not start. You have not been charged; please try again in "
                "a moment.",
            )
        return redirect("commerce:checkout", product_id=product.pk)
    # Where the buyer came from (a short link, a tagged campaign), for the seller.
    order_touches_record(
        order=order,
        touches=touches_read(request),
        site=Site.find_for_request(request),
    )
    # 303: the browser follows with a GET to Dodo's hosted page.
    return HttpResponseRedirect(checkout_url, status=303)


def _recheck_with_dodo(order) -> bool:
    """Ask Dodo about a payment the webhook has not confirmed yet (rate-limited).

    Returns False when Dodo could not be asked (unreachable, too slow, an error).
    """
    if timezone.now() - order.created_at < RECHECK_AFTER:
        return True
    # The cache rations the re-checks; when it is unreachable (None) Dodo is asked
    # anyway: each call is bounded by the request deadline (commerce.dodo.client).
    if cache_add(f"commerce:recheck:{order.pk}", 1, RECHECK_EVERY_SECONDS) is False:
        return True
    try:
        reconcile.order_reconcile(order_id=order.pk)
    except dodo.DodoError as err:
        logger.warning("Re-check of order %s with Dodo failed: %r", order.pk, err)
        return False
    finally:
        order.refresh_from_db()
    return True


def _paid_redirect(request, order):
    """To the product in the buyer's library, with its download and the receipt."""
    messages.success(
        request,
        f"Thank you! “{order.product.title}” is yours: download it below. "
        f"Your receipt is on its way to {request.user.email}.",
    )
    library = reverse("accounts:products")
    return redirect(f"{library}?bought={order.product_id}#product-{order.product_id}")


@login_required
def checkout_return(request, order_id: int):
    """Where Dodo sends the buyer back. The query string is ignored: only our rows."""
    order = selectors.order_for_buyer(user=request.user, order_id=order_id)
    if order is None:
        raise Http404("No such order")
    provider_reachable = True
    if order.status == OrderStatus.PENDING:
        provider_reachable = _recheck_with_dodo(order)
    if order.is_paid and order.status == OrderStatus.PAID:
        if request.htmx:
            return HttpResponse(headers={"HX-Redirect": request.path})
        return _paid_redirect(request, order)
    template = (
        "commerce/checkout_return_partial.html"
        if request.htmx
        else "commerce/checkout_return.html"
    )
    return render(
        request,
        template,
        {"order": order, "provider_unreachable": not provider_reachable},
    )


@csrf_exempt
@require_POST
def dodo_webhook(request):
    result = webhooks.webhook_receive(body=request.body, headers=request.headers)
    return HttpResponse(
        result.message, status=result.status_code, content_type="text/plain"
    )


@login_required
def order_invoice(request, order_id: int):
    """Dodo's PDF invoice for the buyer's own paid order, fetched through the SDK.

    Anyone else's order (or an unpaid one) is a 404. Dodo down or slow gives a
    page that says so (503), within the request deadline of ``commerce.dodo.client``.
    """
    order = selectors.order_for_buyer(user=request.user, order_id=order_id)
    if order is None or order.paid_at is None or not order.dodo_payment_id:
        raise Http404("No such invoice")
    reason = ""
    try:
        pdf = dodo.invoice_pdf(payment_id=order.dodo_payment_id)
    except dodo.DodoUnreachable:
        reason = "unreachable"
    except dodo.DodoError as err:
        status = getattr(err, "status_code", None)
        reason = "not_ready" if status == 404 else "error"
    else:
        if not pdf.startswith(b"%PDF-"):
            logger.warning("Dodo's invoice for order %s is not a PDF", order.pk)
            reason = "error"
    if reason:
        return render(
            request,
            "commerce/invoice_unavailable.html",
            {"order": order, "reason": reason},
            status=503,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="invoice-{order.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
