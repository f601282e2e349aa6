"""Read-side queries about orders and access. Ownership is only ever answered here."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from access import policy

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


def purchase_held(*, user, product_id: int) -> PurchasedProduct | None:
    """The user's unrevoked grant for the product, active or suspended by a dispute.

    Checkout refuses on it: paying again during a dispute would buy nothing.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        PurchasedProduct.objects.filter(
            user=user, product_id=product_id, revoked_at__isnull=True
        )
        .only("pk", "suspended_at")
        .first()
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


def active_purchase_ids(*, user) -> list[int]:
    """The ids of the user's active grants, in one light query."""
    return list(
        PurchasedProduct.objects.active()
        .filter(user=user)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def orders_for_user(*, user) -> QuerySet[Order]:
    """Every checkout attempt of the user, newest first, with its product."""
    return Order.objects.filter(user=user).select_related("product")


def order_last_for_user(*, user) -> Order | None:
    """The buyer's most recent order, to prefill the billing address."""
    return (
        Order.objects.filter(user=user)
        .exclude(billing_country="")
        .order_by("-created_at", "-pk")
        .first()
    )


def order_for_buyer(*, user, order_id: int) -> Order | None:
    return (
        Order.objects.select_related("product").filter(pk=order_id, user=user).first()
    )


def orders_for_admin(*, user) -> QuerySet[Order]:
    """Orders an admin user may see: staff all, a seller those of their products."""
    queryset = Order.objects.select_related("user", "product")
    return policy.records_visible_to(user, queryset)


def purchases_for_admin(*, user) -> QuerySet[PurchasedProduct]:
    queryset = PurchasedProduct.objects.select_related("user", "product", "order")
    return policy.records_visible_to(user, queryset)


def product_has_purchases(*, page_ids: Iterable[int]) -> bool:
    """Does any of these pages (or a product below them) have a purchase?"""
    return PurchasedProduct.objects.filter(product_id__in=list(page_ids)).exists()


def purchases_for_user(*, user) -> QuerySet[PurchasedProduct]:
    """Every grant the user ever had (active, suspended, revoked), for staff screens."""
    return (
        PurchasedProduct.objects.filter(user=user)
        .select_related("product", "order")
        .order_by("-granted_at", "-pk")
    )
