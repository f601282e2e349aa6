"""Support call-to-action for pages other apps own (the product page)."""

from django import template

from commerce.selectors import purchase_active_exists

from ..selectors import support_latest_by_product

register = template.Library()


@register.inclusion_tag("support/includes/cta.html", takes_context=True)
def product_support_cta(context, product):
    """The owner's support button or latest request status; nothing for others."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not purchase_active_exists(user=user, product_id=product.pk):
        return {"show": False}
    latest = support_latest_by_product(user=user, product_ids=[product.pk])
    return {"show": True, "product": product, "latest": latest.get(product.pk)}
