import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def product_cards(context, products, live_only=False):
    """``{% product_cards products as cards %}``: the products' cards' HTML, in order
    (``catalog.cards``: kept in the cache, rendered only when not found there).

    ``live_only``: leave out products that are not live (a landing page's chosen
    products may have been unpublished since, or deleted: the chooser gives None).
    """
    from catalog.cards import product_cards as cards_for

    if live_only:
        products = [
            product.specific
            for product in products
            if product is not None and product.live
        ]
    return cards_for(
        products, request=context.get("request"), owned_ids=context.get("owned_ids")
    )


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data: dict) -> str:
    """A ``<script type="application/ld+json">`` tag, escaped like ``json_script``."""
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload),  # noqa: S308
    )
