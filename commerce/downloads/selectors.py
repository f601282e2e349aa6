"""Read-side queries for the buyer's library, order history and download audit."""

from __future__ import annotations

from datetime import datetime

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from wagtail.images import get_image_model

from access import policy
from catalog.models import updated_badge_since
from commerce.models import Order, OrderStatus, PurchasedProduct
from commerce.selectors import orders_for_user, purchases_active_for_user

from .models import DownloadEvent, DownloadEventKind

# The library's cover size; its renditions are prefetched with the page of rows.
LIBRARY_COVER_FILTER = "fill-160x120"

# Checkout attempts that never charged anyone are not billing history.
UNBILLED_ORDER_STATUSES = (OrderStatus.PENDING, OrderStatus.CANCELLED)
# Attempts that charged nothing; folded under the charged order that followed.
DECLINED_ORDER_STATUSES = (OrderStatus.FAILED, OrderStatus.CANCELLED)
UNCHARGED_ORDER_STATUSES = (*UNBILLED_ORDER_STATUSES, OrderStatus.FAILED)


def library_for_user(*, user) -> QuerySet[PurchasedProduct]:
    """Active purchases, each annotated with ``product_recently_updated``, with
    their product's release history prefetched (newest first)."""
    cutoff = updated_badge_since()
    covers = get_image_model().objects.prefetch_renditions(LIBRARY_COVER_FILTER)
    return (
        purchases_active_for_user(user=user)
        .annotate(
            product_recently_updated=Case(
                When(product__content_updated_at__gt=cutoff, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .prefetch_related(
            Prefetch("product__cover_image", queryset=covers),
            "product__releases",
            "license_keys",
        )
    )


def billing_orders_for_user(*, user) -> QuerySet[Order]:
    """Orders that reached a payment, refunded and disputed ones included.

    A declined attempt followed by a charged order for the same product is not a
    row of its own: the charged order carries ``declined_attempts`` (how many
    declined or cancelled attempts preceded it) and ``declined_last_at``. A
    declined attempt with no later charge stays a row, so the buyer sees it.
    """
    same_product = {"user": OuterRef("user"), "product": OuterRef("product")}
    charged_later = (
        Order.objects.filter(**same_product, created_at__gte=OuterRef("created_at"))
        .exclude(pk=OuterRef("pk"))
        .exclude(status__in=UNCHARGED_ORDER_STATUSES)
    )
    declined_before = (
        Order.objects.filter(
            **same_product,
            status__in=DECLINED_ORDER_STATUSES,
            created_at__lte=OuterRef("created_at"),
        )
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values("product")
    )
    return (
        orders_for_user(user=user)
        .exclude(status__in=UNBILLED_ORDER_STATUSES)
        .exclude(Q(status=OrderStatus.FAILED) & Exists(charged_later))
        .annotate(
            declined_attempts=Case(
                When(
                    status__in=UNCHARGED_ORDER_STATUSES,
                    then=Value(0),
                ),
                default=Coalesce(
                    Subquery(declined_before.annotate(n=Count("pk")).values("n")[:1]),
                    Value(0),
                ),
                output_field=IntegerField(),
            ),
            declined_last_at=Subquery(
                declined_before.annotate(last=Max("created_at")).values("last")[:1]
            ),
        )
        .order_by("-created_at", "-pk")
    )


def download_mints_count_since(*, user, since: datetime) -> int:
    """How many links the user was issued since ``since`` (the rate-limit count)."""
    return DownloadEvent.objects.filter(
        user=user, kind=DownloadEventKind.ISSUED, created_at__gte=since
    ).count()


def download_events_visible_to(*, user) -> QuerySet[DownloadEvent]:
    """Audit rows for the admin: staff see all, a seller those of their products."""
    events = DownloadEvent.objects.select_related("user", "product")
    return policy.records_visible_to(user, events)
