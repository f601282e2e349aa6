"""Reads for discount codes: the admin's scoped list and a code's use count."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from access import policy

from .models import DiscountCode


def discount_codes_for_user(*, user) -> QuerySet[DiscountCode]:
    """Staff see every code; a seller only their own (``access.policy``)."""
    codes = DiscountCode.objects.select_related("seller").annotate(
        paid_uses=Count("orders", filter=Q(orders__paid_at__isnull=False))
    )
    return policy.records_visible_to(user, codes)


def discount_code_times_used(*, code: DiscountCode) -> int:
    """Paid orders that used the code (a refund does not give a use back)."""
    return code.orders.filter(paid_at__isnull=False).count()


def discount_code_by_code(*, code: str) -> DiscountCode | None:
    text = (code or "").strip().upper()
    if not text:
        return None
    return DiscountCode.objects.select_related("seller").filter(code=text).first()


def discount_codes_by_dodo_ids(*, dodo_ids) -> dict[str, DiscountCode]:
    ids = [i for i in dodo_ids if i]
    if not ids:
        return {}
    return {
        code.dodo_discount_id: code
        for code in DiscountCode.objects.filter(
            dodo_discount_id__in=ids
        ).prefetch_related("products")
    }
