"""``{% order_status order.status %}``: the coloured label (commerce.status_labels)."""

from django import template
from django.utils.html import format_html

from commerce.status_labels import order_outcome_verb, order_status_label

register = template.Library()


@register.simple_tag
def order_status(status: str):
    label = order_status_label(status)
    return format_html(
        '<span class="{}" data-status="{}">{}</span>',
        label.css_class,
        label.key,
        label.text,
    )


@register.filter
def order_outcome(status: str) -> str:
    return order_outcome_verb(status)
