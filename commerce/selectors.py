"""Read-side queries about orders and access. Ownership is only ever answered here."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.db import connections, router
from django.db.models import QuerySet

from access import policy

from .models import Order, PurchasedProduct

# The two ownership reads every signed-in page makes (the library's Download
# buttons, a product page's Download or Buy now) run on every cache hit too, where
# building the query costs more CPU than PostgreSQL answering it. Each is the
# ORM's own SQL for ``active()``, compiled once per database and run with the
# request's values: one rule, no rebuilding per request.
_USER, _PRODUCT = -4_000_001, -4_000_002  # stand-ins for the values, then swapped


@cache
def _compiled(name: str, alias: str) -> tuple[str, tuple[int, ...]]:
    """(SQL, where each parameter goes: 0 user id, 1 product id)."""
    active = PurchasedProduct.objects.active()
    if name == "owns":
        queryset = (
            active.filter(user_id=_USER, product_id=_PRODUCT)
            .order_by()
            .values_list("pk")[:1]
        )
    else:
        queryset = active.filter(user_id=_USER).order_by("pk").values_list("pk")
    sql, params = queryset.query.get_compiler(using=alias).as_sql()
    places = {_USER: 0, _PRODUCT: 1}
    return sql, tuple(places[value] for value in params)


def _run(name: str, user_id: int, product_id: int = 0) -> list[tuple]:
    alias = router.db_for_read(PurchasedProduct)
    sql, places = _compiled(name, alias)
    values = (user_id, product_id)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [values[place] for place in places])
        return cursor.fetchall()


def purchase_active_exists(*, user, product_id: int) -> bool:
    """Does ``user`` own the product right now (an active PurchasedProduct)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(_run("owns", user.pk, product_id))


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
    return [row[0] for row in _run("active_ids", user.pk)]


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
