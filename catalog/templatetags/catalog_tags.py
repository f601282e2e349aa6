import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "INR": "₹"}


@register.filter
def money(amount_minor: int | None, currency: str = "USD") -> str:
    """Minor units to a display price: 1999, "USD" -> "$19.99"."""
    if amount_minor is None:
        return ""
    major = f"{amount_minor / 100:,.2f}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{major}" if symbol else f"{major} {currency}"


@register.filter
def money_decimal(amount_minor: int | None) -> str:
    """Minor units as a plain decimal string for structured data: 1999 -> "19.99"."""
    return "" if amount_minor is None else f"{amount_minor / 100:.2f}"


@register.filter
def json_ld(data: dict) -> str:
    """A ``<script type="application/ld+json">`` tag, escaped like ``json_script``."""
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload),  # noqa: S308
    )
