"""Admin screens (wagtail-modeladmin) for orders, grants, webhook events and sync.

Records are read-only here; the only writes are staff actions that go through the
services: refund a paid order, reprocess a webhook event.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import InspectView

from access import policy
from access.wagtail_policies import records_helper
from catalog.models import ProductPage

from . import selectors, services
from .admin_filters import DeclaredFiltersIndexView
from .customers import CustomerAdmin
from .dodo import client as dodo
from .dodo import refunds, webhooks
from .exports import (
    OrderExportColumns,
    PurchaseExportColumns,
    exporting,
    status_label_html,
)
from .models import (
    DodoCustomer,
    DodoProductSync,
    Order,
    PurchasedProduct,
    WebhookEvent,
)
from .money import MoneyError, format_money, to_minor
from .refund_requests.admin_views import RefundRequestAdmin
from .services.refunds import REFUNDABLE, refundable_left


class OrderButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, **kwargs):
        buttons = super().get_buttons_for_obj(obj, **kwargs)
        if policy.may_enter(self.request.user, "refunds") and obj.status in REFUNDABLE:
            buttons.append(
                {
                    "url": reverse("commerce_order_refund", args=[obj.pk]),
                    "label": "Refund",
                    "classname": "button button-small button-secondary",
                    "title": f"Refund order #{obj.pk} through Dodo",
                }
            )
        return buttons


class WebhookEventButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, **kwargs):
        buttons = super().get_buttons_for_obj(obj, **kwargs)
        buttons.append(
            {
                "url": reverse("commerce_webhook_event_reprocess", args=[obj.pk]),
                "label": "Reprocess",
                "classname": "button button-small button-secondary",
                "title": "Run this event through the services again",
            }
        )
        return buttons


class ProductFilter(SimpleListFilter):
    """Products the viewer may see (a seller: their own), without Django's admin."""

    title = "product"
    parameter_name = "product"

    def lookups(self, request, model_admin):
        products = policy.pages_visible_to(
            request.user, ProductPage.objects.order_by("title")
        )
        return [(str(pk), title) for pk, title in products.values_list("pk", "title")]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            raise IncorrectLookupParameters(f"product={value!r} is not an id")
        return queryset.filter(product_id=int(value))


class OrderInspectView(InspectView):
    """Amounts as money (``commerce.money``), each in the currency it is counted in."""

    MONEY_FIELDS = {
        "amount": lambda o: o.currency,
        "total_amount": lambda o: o.paid_currency or o.currency,
        "tax_amount": lambda o: o.paid_currency or o.currency,
        "settlement_amount": lambda o: o.settlement_currency,
        "refunded_amount": lambda o: o.currency,
    }

    def get_fields_dict(self):
        """The model's fields, then where the buyer came from (``attribution``)."""
        fields = super().get_fields_dict()
        touches = {touch.kind: touch for touch in self.instance.touches.all()}
        for kind, label in (("first", "First touch"), ("last", "Last touch")):
            touch = touches.get(kind)
            fields.append(
                {
                    "label": f"Source ({label.lower()})",
                    "value": touch.label if touch else "Direct or unknown",
                }
            )
        return fields

    def get_field_display_value(self, field_name, field=None):
        currency_of = self.MONEY_FIELDS.get(field_name)
        value = getattr(self.instance, field_name, None)
        if currency_of is not None and value is not None and currency_of(self.instance):
            return format_money(value, currency_of(self.instance))
        return super().get_field_display_value(field_name, field)


class OrderAdmin(OrderExportColumns, ModelAdmin):
    model = Order
    index_view_class = DeclaredFiltersIndexView
    menu_label = "Orders"
    menu_icon = "list-ul"
    list_display = (
        "__str__", "user", "product", "price", "buyer_paid", "status_label",
        "attention", "created_at",
    )  # fmt: skip
    ordering = ("-created_at", "-pk")
    list_filter = ("status", "created_at", ProductFilter)
    search_fields = ("user__email", "dodo_payment_id", "dodo_checkout_session_id")
    inspect_view_enabled = True
    inspect_view_class = OrderInspectView
    permission_helper_class = records_helper("orders")
    button_helper_class = OrderButtonHelper

    def get_queryset(self, request):
        orders = selectors.orders_for_admin(user=request.user)
        if exporting(request):
            orders = orders.prefetch_related("touches")
        return orders

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        return status_label_html(obj.status)

    @admin.display(description="Price", ordering="amount")
    def price(self, obj) -> str:
        """The product's price at checkout, in the order's currency."""
        return format_money(obj.amount, obj.currency)

    @admin.display(description="Buyer paid")
    def buyer_paid(self, obj) -> str:
        """What the buyer paid, in their currency, with the settlement and discount."""
        if obj.total_amount is None:
            return "—"
        text = format_money(obj.total_amount, obj.paid_currency or obj.currency)
        if obj.settlement_amount is not None and (
            obj.settlement_currency != (obj.paid_currency or obj.currency)
            or obj.settlement_amount != obj.total_amount
        ):
            settled = format_money(obj.settlement_amount, obj.settlement_currency)
            text += f" (settled {settled})"
        if obj.discount_codes:
            text += f", discount {obj.discount_codes}"
        return text

    @admin.display(description="Needs attention")
    def attention(self, obj) -> str:
        """Why staff should look: a flagged payment, a refund pending or failed."""
        return "\n".join(t for t in (obj.review_reason, obj.refund_note) if t) or "—"


class PurchasedProductAdmin(PurchaseExportColumns, ModelAdmin):
    model = PurchasedProduct
    index_view_class = DeclaredFiltersIndexView
    menu_label = "Purchases"
    menu_icon = "tick-inverse"
    list_display = ("user", "product", "order", "access_label", "granted_at",
                    "suspended_at", "revoked_at")  # fmt: skip
    ordering = ("-granted_at", "-pk")
    list_filter = ("granted_at", ProductFilter)
    # Searching by e-mail shows a user's purchases.
    search_fields = ("user__email", "product__title")
    inspect_view_enabled = True
    permission_helper_class = records_helper("purchases")

    def get_queryset(self, request):
        return selectors.purchases_for_admin(user=request.user)


class WebhookEventAdmin(ModelAdmin):
    model = WebhookEvent
    index_view_class = DeclaredFiltersIndexView
    menu_label = "Webhook events"
    menu_icon = "resubmit"
    list_display = ("webhook_id", "event_type", "outcome", "order", "received_at",
                    "processed_at", "attempts")  # fmt: skip
    list_filter = ("outcome", "event_type", "received_at")
    search_fields = ("webhook_id", "dodo_payment_id")
    inspect_view_enabled = True
    inspect_view_fields = (
        "webhook_id", "event_type", "outcome", "error", "order", "dodo_payment_id",
        "attempts", "received_at", "processed_at", "body",
    )  # fmt: skip
    permission_helper_class = records_helper("webhook_events")
    button_helper_class = WebhookEventButtonHelper


class DodoCustomerAdmin(ModelAdmin):
    model = DodoCustomer
    index_view_class = DeclaredFiltersIndexView
    menu_label = "Dodo customers"
    menu_icon = "user"
    list_display = ("user", "dodo_customer_id", "status", "last_error", "synced_at")
    list_filter = ("status",)
    search_fields = ("user__email", "dodo_customer_id")
    inspect_view_enabled = True
    permission_helper_class = records_helper("dodo_customers")


class DodoProductSyncAdmin(ModelAdmin):
    model = DodoProductSync
    index_view_class = DeclaredFiltersIndexView
    menu_label = "Dodo products"
    menu_icon = "doc-full"
    list_display = ("product", "status", "last_error", "synced_at")
    list_filter = ("status",)
    search_fields = ("product__title",)
    inspect_view_enabled = True
    permission_helper_class = records_helper("dodo_products")


class CommerceGroup(ModelAdminGroup):
    menu_label = "Commerce"
    menu_icon = "tag"
    menu_order = 300
    items = (
        OrderAdmin,
        RefundRequestAdmin,
        PurchasedProductAdmin,
        CustomerAdmin,
        WebhookEventAdmin,
        DodoCustomerAdmin,
        DodoProductSyncAdmin,
    )


def _require_area(request, area: str) -> None:
    if not policy.may_enter(request.user, area):
        raise PermissionDenied


class RefundForm(forms.Form):
    """How much to refund, in the order's currency (blank: everything left)."""

    amount = forms.DecimalField(
        required=False,
        min_value=Decimal(0),
        help_text="Leave blank to refund everything that is left.",
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["amount"].label = f"Amount ({currency})"

    def clean_amount(self) -> int | None:
        value = self.cleaned_data.get("amount")
        if value is None:
            return None
        try:
            minor = to_minor(value, self.currency)
        except MoneyError as err:
            raise forms.ValidationError(str(err)) from err
        if minor < 1:
            raise forms.ValidationError("Enter an amount above zero.")
        return minor

    def amount_minor_units(self) -> int | None:
        return self.cleaned_data.get("amount")


def order_refund(request, order_id: int):
    """Staff action: a full or partial refund through Dodo, at most what is left."""
    _require_area(request, "refunds")
    order = get_object_or_404(
        Order.objects.select_related("product", "user"), pk=order_id
    )
    back = OrderAdmin().url_helper.get_action_url("inspect", order.pk)
    form = RefundForm(
        request.POST if request.method == "POST" else None, currency=order.currency
    )
    if request.method == "POST" and form.is_valid():
        try:
            order = refunds.refund_request(
                order_id=order.pk, amount=form.amount_minor_units()
            )
        except services.RefundRefused as err:
            messages.error(request, str(err))
        except dodo.DodoUnreachable:
            messages.error(
                request,
                "Dodo did not answer in time, so the refund may or may not have been "
                "made. Check the payment in Dodo's dashboard (or wait for Dodo's "
                "webhook to update this order) before trying again.",
            )
        except dodo.DodoError as err:
            messages.error(
                request,
                f"Dodo refused the refund: {dodo.reason(err)}. Nothing changed.",
            )
        else:
            messages.success(
                request,
                f"Refund of order #{order.pk}: {order.get_status_display()}. "
                f"{order.refund_note}".strip(),
            )
        return redirect(back)
    left = refundable_left(order)
    return render(
        request,
        "commerce/admin/refund.html",
        {
            "title": f"Refund order #{order.pk}?",
            "text": f"{order.user} paid for “{order.product}”. "
            f"{format_money(left, order.currency)} is left to refund. A refund of "
            "everything left ends the buyer's access when Dodo confirms it; a "
            "partial refund keeps it.",
            "note": order.refund_note,
            "form": form,
            "action": "Refund",
            "back": back,
        },
    )


def webhook_event_reprocess(request, event_id: int):
    _require_area(request, "webhook_events")
    event = get_object_or_404(WebhookEvent, pk=event_id)
    back = WebhookEventAdmin().url_helper.get_action_url("inspect", event.pk)
    if request.method == "POST":
        result = webhooks.webhook_event_reprocess(event_id=event.pk)
        level = messages.success if result.status_code < 300 else messages.error
        level(request, f"Reprocessed: {result.message}")
        return redirect(back)
    return render(
        request,
        "commerce/admin/confirm.html",
        {
            "title": f"Reprocess {event}?",
            "text": "The event runs through the same services again; what already "
            "happened is not repeated.",
            "action": "Reprocess",
            "back": back,
        },
    )


def admin_urls():
    return [
        path("commerce/orders/<int:order_id>/refund/", order_refund,
             name="commerce_order_refund"),
        path("commerce/webhook-events/<int:event_id>/reprocess/",
             webhook_event_reprocess, name="commerce_webhook_event_reprocess"),
    ]  # fmt: skip
