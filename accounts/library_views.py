"""The buyer's library and billing history in the ``/account/`` panel.

The generic views hold the logic and serve anyone signed in (customer or seller
buying as a customer); the customer subclasses only choose template and menu entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.views.generic import ListView

from catalog.models import updated_badge_since
from commerce.downloads.selectors import billing_orders_for_user, library_for_user
from commerce.models import Order
from commerce.money import format_money
from commerce.refund_requests.selectors import refund_request_open_annotation
from commerce.refund_requests.services import (
    refund_request_refusal,
    refund_window_ends,
)
from commerce.selectors import active_purchase_ids
from commerce.status_labels import StatusLabel, order_status_label
from support.selectors import support_latest_annotations

from .panel import CachedPanelListMixin


@dataclass(frozen=True)
class BillingRow:
    """One line of the order history as the buyer reads it."""

    order_id: int
    date: datetime
    product_title: str
    amount: str
    currency: str
    status: str
    status_key: str
    status_label: StatusLabel
    refunded: str
    payment_id: str
    # The list price when the buyer paid another amount or currency, and why.
    note: str = ""
    # Dodo issues an invoice for every recorded payment (served by our own URL).
    has_invoice: bool = False
    # Declined or cancelled attempts for this product folded under this order.
    declined_attempts: int = 0
    declined_last_at: datetime | None = None

    @classmethod
    def from_order(cls, order: Order) -> BillingRow:
        charged = order.total_amount if order.total_amount is not None else order.amount
        # What the buyer actually paid: their currency when they chose their own.
        paid_currency = order.paid_currency or order.currency
        notes = []
        if order.discount_codes:
            notes.append(f"discount {order.discount_codes}")
        if paid_currency != order.currency or order.discount_codes:
            price = format_money(order.amount, order.currency)
            notes.insert(0, f"list price {price}")
        return cls(
            order_id=order.pk,
            date=order.paid_at or order.created_at,
            product_title=order.product.title,
            amount=format_money(charged, paid_currency),
            currency=paid_currency,
            note="; ".join(notes),
            status=order_status_label(order.status).text,
            status_key=order.status,
            status_label=order_status_label(order.status),
            refunded=(
                format_money(order.refunded_amount, order.currency)
                if order.refunded_amount
                else ""
            ),
            payment_id=order.dodo_payment_id,
            has_invoice=bool(order.paid_at and order.dodo_payment_id),
            declined_attempts=getattr(order, "declined_attempts", 0) or 0,
            declined_last_at=getattr(order, "declined_last_at", None),
        )


class GenericMyProductListView(CachedPanelListMixin, ListView):
    """Every active purchase with its cover, version, updated badge and download."""

    context_object_name = "purchases"
    paginate_by = 20
    active_page = "products"
    fragment_name = "library"
    fragment_template = "accounts/panel/_products.html"

    def fragment_guard(self) -> tuple:
        # Which products get a Download button is read from the database on every
        # request: it never waits for an invalidation to reach the cache.
        return tuple(active_purchase_ids(user=self.request.user))

    def fragment_expires_at(self, context):
        """The first moment a badge or a "Request a refund" button goes away."""
        moments = []
        # How long a product keeps its badge, from the badge's one rule.
        badge_age = timezone.now() - updated_badge_since()
        for purchase in context["purchases"]:
            if purchase.refund_can_request and purchase.refund_window_ends:
                moments.append(purchase.refund_window_ends)
            updated_at = purchase.product.content_updated_at
            if purchase.product_recently_updated and updated_at:
                moments.append(updated_at + badge_age)
        return min(moments, default=None)

    def get_queryset(self):
        # The latest support request and an open refund request ride along as
        # annotations: no extra query per row.
        return library_for_user(user=self.request.user).annotate(
            **support_latest_annotations(user=self.request.user),
            **refund_request_open_annotation(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        for purchase in context["purchases"]:
            # Product and order are loaded with the row: deciding needs no query.
            purchase.refund_window_ends = refund_window_ends(purchase)
            purchase.refund_can_request = not purchase.refund_request_open and not (
                refund_request_refusal(purchase, now=now)
            )
        return context


class GenericOrderHistoryView(CachedPanelListMixin, ListView):
    """The user's orders as a paginated billing list."""

    context_object_name = "orders"
    paginate_by = 20
    active_page = "orders"
    fragment_name = "orders"
    fragment_template = "accounts/panel/_orders.html"

    def get_queryset(self):
        return billing_orders_for_user(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["billing_rows"] = [
            BillingRow.from_order(order) for order in context["object_list"]
        ]
        return context


class CustomerMyProductListView(GenericMyProductListView):
    template_name = "accounts/panel/products.html"


class CustomerOrderHistoryView(GenericOrderHistoryView):
    template_name = "accounts/panel/orders.html"
