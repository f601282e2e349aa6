"""The admin form of a discount code: a seller's own products, amounts as money."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from access import policy, roles
from catalog.models import ProductPage
from commerce.money import MoneyError, to_major, to_minor

from .models import DiscountKind


class DiscountCodeForm(WagtailAdminModelForm):
    """A seller always discounts their own products (``access.policy``); staff
    pick the seller, and the products must be that seller's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if roles.is_scoped_seller(user):
            self.fields.pop("seller", None)
            self.instance.seller = user
        products = self.fields.get("products")
        if products is not None:
            products.queryset = policy.products_owned_by(
                user, ProductPage.objects.order_by("title")
            )
            products.widget = forms.CheckboxSelectMultiple()
            products.widget.choices = products.choices
        amount = self.fields.get("amount_off")
        if amount is not None:
            self.fields["amount_off"] = forms.DecimalField(
                label=amount.label,
                required=False,
                min_value=Decimal(0),
                max_digits=14,
                help_text=amount.help_text,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            minor = self.initial.get("amount_off")
            if isinstance(minor, int):
                self.initial["amount_off"] = to_major(
                    minor, self.instance.currency or "USD"
                )

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip().upper()

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == DiscountKind.PERCENTAGE:
            if not cleaned.get("percent_off"):
                self.add_error("percent_off", "Enter the percentage taken off.")
            cleaned["amount_off"] = None
        elif kind == DiscountKind.FLAT:
            cleaned["percent_off"] = None
            value = cleaned.get("amount_off")
            if value is None:
                self.add_error("amount_off", "Enter the amount taken off.")
            else:
                try:
                    minor = to_minor(value, cleaned.get("currency") or "USD")
                except MoneyError as err:
                    self.add_error("amount_off", str(err))
                else:
                    if minor < 1:
                        self.add_error("amount_off", "Enter an amount above zero.")
                    cleaned["amount_off"] = minor
        starts, expires = cleaned.get("starts_at"), cleaned.get("expires_at")
        if starts and expires and starts >= expires:
            self.add_error("expires_at", "The code must expire after it starts.")
        seller = (
            cleaned.get("seller") or self.instance.seller_id and (self.instance.seller)
        )
        chosen = cleaned.get("products") or []
        if seller and any(p.seller_id != seller.pk for p in chosen):
            self.add_error("products", "Choose only products of the code's seller.")
        if kind == DiscountKind.FLAT and any(
            p.currency != cleaned.get("currency") for p in chosen
        ):
            self.add_error(
                "products", "A fixed amount applies to products in its currency only."
            )
        return cleaned
