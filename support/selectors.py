"""Reads for paid support; querysets come with their relations loaded."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from access import policy

from .models import SellerSupportSettings, SupportRequest


def support_requests_for_customer(*, user) -> QuerySet[SupportRequest]:
    """The user's own requests (as a customer), newest first."""
    if not getattr(user, "is_authenticated", False):
        return SupportRequest.objects.none()
    return SupportRequest.objects.filter(customer=user).select_related(
        "product", "product__seller"
    )


def support_requests_for_seller(*, user) -> QuerySet[SupportRequest]:
    """Requests the user handles: on their own products; staff see every request."""
    qs = SupportRequest.objects.select_related("customer", "product", "product__seller")
    return policy.records_visible_to(user, qs)


def support_requests_open_for_seller(*, user) -> QuerySet[SupportRequest]:
    return support_requests_for_seller(user=user).active()


def support_request_active_for(*, customer, product_id: int) -> SupportRequest | None:
    """The customer's open request on the product, if any."""
    return (
        SupportRequest.objects.active()
        .filter(customer=customer, product_id=product_id)
        .first()
    )


def support_request_with_thread(*, queryset: QuerySet[SupportRequest], pk: int):
    """One request from ``queryset`` with its messages and transitions prefetched."""
    return queryset.prefetch_related(
        Prefetch("messages__author"), Prefetch("transitions__actor")
    ).get(pk=pk)


def support_latest_by_product(
    *, user, product_ids: Iterable[int]
) -> dict[int, SupportRequest]:
    """The user's latest request per product, in one query (for the library)."""
    latest: dict[int, SupportRequest] = {}
    if not getattr(user, "is_authenticated", False):
        return latest
    rows = SupportRequest.objects.filter(
        customer=user, product_id__in=list(product_ids)
    ).order_by("product_id", "-created_at", "-pk")
    for row in rows:
        latest.setdefault(row.product_id, row)
    return latest


def support_latest_annotations(*, user, product_ref: str = "product") -> dict:
    """Annotations naming the user's latest request per row's product (id, status).

    For list views: the latest request rides along in the rows' own query, so the
    page's query count does not change at all.
    """
    latest = SupportRequest.objects.filter(
        customer=user, product=OuterRef(product_ref)
    ).order_by("-created_at", "-pk")
    return {
        "latest_support_request_id": Subquery(latest.values("pk")[:1]),
        "latest_support_request_status": Subquery(latest.values("status")[:1]),
    }


def seller_payment_instructions(*, seller_id: int) -> str:
    return (
        SellerSupportSettings.objects.filter(seller_id=seller_id)
        .values_list("payment_instructions", flat=True)
        .first()
        or ""
    )
