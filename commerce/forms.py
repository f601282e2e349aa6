from __future__ import annotations

from functools import cache

from babel import Locale
from django import forms

from commerce.dodo.countries import billing_country_codes


@cache
def country_choices() -> list[tuple[str, str]]:
    """The countries Dodo accepts, named by CLDR (Babel), sorted by name.

    CLDR's English names are the ones people use ("United Kingdom", "South Korea"),
    unlike tzdata's table ("Britain (UK)", "Korea (South)").
    """
    names = Locale("en").territories
    rows = [(code, names.get(code, code)) for code in billing_country_codes()]
    return sorted(rows, key=lambda row: row[1])


class BillingAddressForm(forms.Form):
    country = forms.ChoiceField(choices=())
    street = forms.CharField(max_length=255, required=False)
    city = forms.CharField(max_length=120, required=False)
    state = forms.CharField(label="State / region", max_length=120, required=False)
    zipcode = forms.CharField(label="ZIP / postal code", max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "Choose a country"), *country_choices()]

    @classmethod
    def initial_from_order(cls, order) -> dict[str, str]:
        if order is None:
            return {}
        return {
            "country": order.billing_country,
            "street": order.billing_street,
            "city": order.billing_city,
            "state": order.billing_state,
            "zipcode": order.billing_zipcode,
        }
