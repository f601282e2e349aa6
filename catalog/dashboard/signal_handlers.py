"""Clear a seller's cached dashboard when an order or grant of theirs changes."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from catalog.models import ProductPage
from commerce.models import Order, PurchasedProduct

from .cache import dashboard_cache_invalidate

# Saves that touch none of these leave the figures as they were.
ORDER_FIELDS = {"status", "is_paid", "paid_at", "amount", "refunded_amount"}
GRANT_FIELDS = {"revoked_at", "suspended_at"}


def _seller_of(instance: Order | PurchasedProduct) -> int | None:
    # The webhook and services have usually loaded the product already: use it.
    if type(instance).product.is_cached(instance):
        return instance.product.seller_id
    return (
        ProductPage.objects.filter(pk=instance.product_id)
        .values_list("seller_id", flat=True)
        .first()
    )


@receiver(post_save, sender=Order, dispatch_uid="dashboard_order_saved")
def order_saved(sender, instance: Order, created: bool, update_fields=None, **kw):
    if created and not instance.is_paid and instance.paid_at is None:
        return  # a checkout attempt: no figure counts it until it is paid
    if update_fields is not None and not ORDER_FIELDS & set(update_fields):
        return
    dashboard_cache_invalidate(_seller_of(instance))


@receiver(post_save, sender=PurchasedProduct, dispatch_uid="dashboard_grant_saved")
def grant_saved(sender, instance, created: bool, update_fields=None, **kw):
    if update_fields is not None and not GRANT_FIELDS & set(update_fields):
        return
    dashboard_cache_invalidate(_seller_of(instance))
