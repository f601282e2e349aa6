from django import template

register = template.Library()


@register.filter
def money(minor_units, currency: str = "") -> str:
    """``2500|money:"USD"`` → ``USD 25.00`` (amounts are kept in minor units)."""
    if minor_units in (None, ""):
        return ""
    whole, cents = divmod(int(minor_units), 100)
    return f"{currency} {whole:,}.{cents:02d}".strip()
