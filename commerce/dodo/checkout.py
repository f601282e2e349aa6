"""Starting a purchase: the order first, then Dodo's hosted checkout session."""

from __future__ import annotations

from collections.abc import Callable

from catalog.models import ProductPage
from commerce.dodo import client as dodo
from commerce.models import Order, OrderStatus
from commerce.selectors import purchase_held
from commerce.services.orders import (
    order_attach_session,
    order_create,
    order_mark_failed,
)

from .sync import customer_ensure, product_is_current, product_sync


class ProductAlreadyOwned(Exception):
    """The buyer has an active grant for this product already."""


class CheckoutUnavailable(Exception):
    """Dodo could not open a checkout session; the order is marked failed.

    ``refused`` is set when Dodo answered and said no (a 4xx, e.g. a country it
    does not serve); ``message`` is then Dodo's own reason, fit for the buyer.
    """

    def __init__(self, order: Order, message: str, *, refused: bool = False):
        super().__init__(message)
        self.order = order
        self.message = message
        self.refused = refused


class PriceNotConfirmed(CheckoutUnavailable):
    """Dodo's price may differ from the page's and re-syncing it failed."""


def checkout_start(
    *,
    user,
    product,
    billing: dict[str, str],
    return_url: Callable[[Order], str],
    discount_code: str = "",
) -> tuple[Order, str]:
    """Create the order, then the Dodo session; returns the order and checkout URL.

    ``return_url`` builds the absolute return address from the new order;
    ``discount_code`` is a code already checked (``commerce.discounts``): Dodo
    applies it and reports it on the payment, which is what the order records.
    """
    if purchase_held(user=user, product_id=product.pk) is not None:
        raise ProductAlreadyOwned(product.title)
    order = order_create(user=user, product=product, billing=billing)
    # Never charge a price Dodo may not hold: sync first (the request's deadline).
    # A Dodo product that may hold other values than the page is "price not confirmed"
    # while the sync fails; one never created is the provider being unreachable.
    stale_twin = bool(product.dodo_product_id) and not product_is_current(product)
    try:
        if stale_twin or not product.dodo_product_id:
            dodo_product_id = product_sync(product_id=product.pk)
            if not product_is_current(ProductPage.objects.get(pk=product.pk)):
                raise dodo.DodoError("Dodo did not confirm the current price")
        else:
            dodo_product_id = product.dodo_product_id
        stale_twin = False
        customer_id = customer_ensure(user=user)
        session_id, checkout_url = dodo.checkout_session_create(
            dodo_product_id=dodo_product_id,
            dodo_customer_id=customer_id,
            billing={k: v for k, v in billing.items() if v},
            return_url=return_url(order),
            order_id=order.pk,
            discount_code=discount_code,
        )
    except dodo.DodoError as err:
        refused = dodo.is_refusal(err)
        reason = dodo.reason(err)
        order_mark_failed(
            order_id=order.pk,
            status=OrderStatus.FAILED,
            reason=(
                f"Dodo refused the checkout: {reason}"
                if refused
                else f"Could not start checkout: {reason}"
            ),
        )
        order.refresh_from_db()
        if stale_twin:
            raise PriceNotConfirmed(order, reason, refused=refused) from err
        raise CheckoutUnavailable(order, reason, refused=refused) from err
    if not checkout_url:
        order_mark_failed(
            order_id=order.pk,
            status=OrderStatus.FAILED,
            reason="Dodo returned no checkout URL.",
        )
        raise CheckoutUnavailable(order, "Dodo returned no checkout URL.")
    order = order_attach_session(order_id=order.pk, session_id=session_id)
    return order, checkout_url
