"""Read-side queries about orders and access. Ownership is only ever answered here."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Order, PurchasedProduct


def purchase_active_exists(*, user, product_id: int) -> bool:
    """Does ``user`` own the product right now (an active PurchasedProduct)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        PurchasedProduct.objects.active()
        .filter(user=user, product_id=product_id)
        .exists()
    )


def owned_product_ids(*, user, product_ids: Iterable[int]) -> set[int]:
    """The subset of ``product_ids`` the user owns, in one query (for listings)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        PurchasedProduct.objects.active()
        .filter(user=user, product_id__in=list(product_ids))
        .values_list("product_id", flat=True)
    )


def purchases_active_for_user(*, user) -> QuerySet[PurchasedProduct]:
    """The user's library: active grants with their product and order loaded."""
    return (
        PurchasedProduct.objects.active()
        .filter(user=user)
        .select_related("product", "product__cover_image", "order")
        .order_by("-granted_at", "-pk")
    )


def orders_for_user(*, user) -> QuerySet[Order]:
    """Every checkout attempt of the user, newest first, with its product."""
    return Order.objects.filter(user=user).select_related("product")
