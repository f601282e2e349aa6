"""``{% load money %}``: ``{{ order.amount|money:order.currency }}`` -> ``$17.00``.

Both the filter and the ``{% money_in amount currency locale %}`` tag call
``commerce.money.format_money``, the one formatter.
"""

from django import template

from commerce.money import MoneyError, format_money, major_string

register = template.Library()


@register.filter(name="money")
def money_filter(amount_minor, currency: str = "") -> str:
    """Minor units to text in the active locale; an unusable value renders empty."""
    try:
        return format_money(amount_minor, currency)
    except (MoneyError, TypeError, ValueError):
        return ""


@register.simple_tag(name="money_in")
def money_in(amount_minor, currency: str, locale: str | None = None) -> str:
    """The amount formatted for an explicit locale (e-mails to a buyer, say)."""
    try:
        return format_money(amount_minor, currency, locale=locale)
    except (MoneyError, TypeError, ValueError):
        return ""


@register.filter(name="money_major")
def money_major(amount_minor, currency: str) -> str:
    """The plain decimal in major units, for machine-read markup: ``19.99``."""
    try:
        return major_string(int(amount_minor), currency)
    except (MoneyError, TypeError, ValueError):
        return ""
