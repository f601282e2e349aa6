"""Coloured status labels in templates (the rule: commerce.status_labels).

``{% order_status order.status %}``, ``{% support_status request.status text %}``.
"""

from django import template

from commerce.status_labels import (
    label_html,
    order_outcome_verb,
    order_status_label,
    support_status_label,
)

register = template.Library()


@register.simple_tag
def order_status(status: str):
    return label_html(order_status_label(status))


@register.simple_tag
def support_status(status: str, text: str):
    return label_html(support_status_label(status, text))


@register.filter
def order_outcome(status: str) -> str:
    return order_outcome_verb(status)
