"""Read-side queries for the buyer's library, order history and download audit."""

from __future__ import annotations

from datetime import datetime

from django.db.models import BooleanField, Case, Prefetch, QuerySet, Value, When
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
    """Orders that reached a payment, refunded and disputed ones included."""
    return (
        orders_for_user(user=user)
        .exclude(status__in=UNBILLED_ORDER_STATUSES)
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
