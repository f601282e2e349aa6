"""Support call-to-action for pages other apps own (the product page)."""

from django import template

from commerce.selectors import purchase_active_exists

from ..models import ACTIVE_STATUSES, SupportStatus
from ..selectors import support_latest_by_product

register = template.Library()


def cta_context(*, product_id: int, latest_id, latest_status) -> dict:
    return {
        "show": True,
        "product_id": product_id,
        "latest_id": latest_id,
        "latest_label": SupportStatus(latest_status).label if latest_status else "",
        "latest_active": latest_status in ACTIVE_STATUSES,
    }


@register.inclusion_tag("support/includes/cta.html")
def library_support_cta(purchase):
    """For a library row annotated by ``support_latest_annotations``: no queries."""
    return cta_context(
        product_id=purchase.product_id,
        latest_id=getattr(purchase, "latest_support_request_id", None),
        latest_status=getattr(purchase, "latest_support_request_status", None),
    )


@register.inclusion_tag("support/includes/cta.html", takes_context=True)
def product_support_cta(context, product):
    """The owner's support button or latest request status; nothing for others."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not purchase_active_exists(user=user, product_id=product.pk):
        return {"show": False}
    latest = support_latest_by_product(user=user, product_ids=[product.pk]).get(
        product.pk
    )
    return cta_context(
        product_id=product.pk,
        latest_id=latest.pk if latest else None,
        latest_status=latest.status if latest else None,
    )
