"""Reads for refund requests: the admin's scoped list, the library's flags."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from access import policy

from .models import RefundRequest, RefundRequestStatus


def refund_requests_for_admin(*, user) -> QuerySet[RefundRequest]:
    """Staff see every request; a seller those about their products."""
    requests = RefundRequest.objects.select_related(
        "user", "order", "order__product", "decided_by"
    )
    return policy.records_visible_to(user, requests)


def open_request_for_purchase(*, purchase_id: int) -> RefundRequest | None:
    return RefundRequest.objects.filter(
        purchase_id=purchase_id, status=RefundRequestStatus.OPEN
    ).first()


def refund_request_open_annotation() -> dict:
    """``refund_request_open`` on library rows, in the library's one query."""
    return {
        "refund_request_open": Exists(
            RefundRequest.objects.filter(
                purchase=OuterRef("pk"), status=RefundRequestStatus.OPEN
            )
        )
    }
