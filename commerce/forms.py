from __future__ import annotations

from functools import cache
from pathlib import Path

from django import forms


@cache
def country_choices() -> list[tuple[str, str]]:
    """ISO 3166-1 alpha-2 codes and names, from the IANA table tzdata ships."""
    import tzdata

    table = Path(tzdata.__file__).parent / "zoneinfo" / "iso3166.tab"
    rows = []
    for line in table.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t", 1)
            rows.append((code, name))
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
