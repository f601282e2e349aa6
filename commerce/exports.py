"""What the admin records screens list and export (CSV and XLSX).

The screens are wagtail-modeladmin ``ModelAdmin``s: their index view exports
``list_export`` as ``?export=csv`` / ``?export=xlsx`` from the very queryset it
lists, so an export carries the screen's scope (``access.policy`` through each
screen's ``get_queryset``), its filters and its search. This module holds the
columns that screens share with their exports, and the export's safety:

* **Formula injection**: a buyer's name such as ``=HYPERLINK(...)`` must reach a
  spreadsheet as text. Wagtail already stores XLSX formulas as strings; CSV cells
  starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a
  leading apostrophe (the OWASP advice), which spreadsheets show as text.
* **Money** is exported as a number in major units next to its currency code
  (``19.00``, ``USD``), which a spreadsheet can sum; the listing shows it
  formatted (``commerce.money``).
"""

from __future__ import annotations

from django.contrib import admin

from .money import to_major
from .status_labels import access_label, label_html, order_status_label

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """``value``, inert for a spreadsheet if it is text that looks like a formula."""
    if isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


class SafeSpreadsheetExportMixin:
    """For an index view with Wagtail's ``SpreadsheetExportMixin``."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return spreadsheet_safe(value)
        return value


def status_label_html(status: str):
    return label_html(order_status_label(status))


def _major(amount, currency: str):
    if amount is None or not currency:
        return ""
    return to_major(amount, currency)


def _touch_label(order, kind: str) -> str:
    # ``touches`` is prefetched by the export's queryset: no query per row.
    for touch in order.touches.all():
        if touch.kind == kind:
            return touch.label
    return "Direct or unknown"


class BuyerProductColumns:
    """The buyer and product columns every record export shares (the row has
    ``user`` and ``product``)."""

    @admin.display(description="Buyer e-mail")
    def buyer_email(self, obj) -> str:
        return obj.user.email

    @admin.display(description="Buyer name")
    def buyer_name(self, obj) -> str:
        return obj.user.full_name

    @admin.display(description="Product")
    def product_title(self, obj) -> str:
        return obj.product.title


class OrderExportColumns(BuyerProductColumns):
    """Columns of the Orders export (methods of the Orders ``ModelAdmin``)."""

    list_export = (
        "order_number", "created_at", "paid_at", "export_status", "buyer_email",
        "buyer_name", "product_title", "currency", "export_price", "export_paid",
        "export_paid_currency", "discount_codes", "export_refunded",
        "billing_country", "source_last", "source_first", "dodo_payment_id",
    )  # fmt: skip
    export_filename = "orders"

    @admin.display(description="Order")
    def order_number(self, obj) -> int:
        return obj.pk

    @admin.display(description="Status")
    def export_status(self, obj) -> str:
        return order_status_label(obj.status).text

    @admin.display(description="Price")
    def export_price(self, obj):
        return _major(obj.amount, obj.currency)

    @admin.display(description="Paid")
    def export_paid(self, obj):
        return _major(obj.total_amount, obj.paid_currency or obj.currency)

    @admin.display(description="Paid currency")
    def export_paid_currency(self, obj) -> str:
        if obj.total_amount is None:
            return ""
        return obj.paid_currency or obj.currency

    @admin.display(description="Refunded")
    def export_refunded(self, obj):
        return _major(obj.refunded_amount, obj.currency)

    @admin.display(description="Source (last touch)")
    def source_last(self, obj) -> str:
        return _touch_label(obj, "last")

    @admin.display(description="Source (first touch)")
    def source_first(self, obj) -> str:
        return _touch_label(obj, "first")


class PurchaseExportColumns(BuyerProductColumns):
    """Columns of the Purchases export (methods of the Purchases ``ModelAdmin``)."""

    list_export = (
        "buyer_email", "buyer_name", "product_title", "order_id", "export_access",
        "granted_at", "suspended_at", "revoked_at",
    )  # fmt: skip
    export_filename = "purchases"

    @admin.display(description="Access")
    def access_label(self, obj):
        return label_html(access_label(obj), attribute="access")

    @admin.display(description="Access")
    def export_access(self, obj) -> str:
        return access_label(obj).text

    @admin.display(description="Order")
    def order_id(self, obj):
        return obj.order_id


class DownloadExportColumns(BuyerProductColumns):
    """Columns of the download-events export."""

    list_export = (
        "created_at", "export_kind", "buyer_email", "product_title", "file_name",
        "file_version", "ip_address", "user_agent",
    )  # fmt: skip
    export_filename = "downloads"

    @admin.display(description="Kind")
    def export_kind(self, obj) -> str:
        return obj.get_kind_display()


def exporting(request) -> bool:
    return request.GET.get("export") in ("csv", "xlsx")
