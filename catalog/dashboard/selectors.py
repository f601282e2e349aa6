"""Read-side queries behind the seller dashboard; every figure is aggregated in SQL.

``seller_id=None`` means every seller (staff's default view). Each function runs a
fixed number of queries whatever the number of orders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from commerce.models import Order, PurchasedProduct

MONTHS_BACK = 12


@dataclass(frozen=True)
class MonthRevenue:
    month: dt.date  # first day of the month
    currency: str
    gross: int  # minor units
    refunded: int

    @property
    def net(self) -> int:
        return self.gross - self.refunded


def month_starts(*, today: dt.date | None = None) -> list[dt.date]:
    """The first days of the last 12 months and this one, oldest first."""
    today = today or timezone.now().date()
    year, month = today.year, today.month
    starts = []
    for _ in range(MONTHS_BACK + 1):
        starts.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(starts))


def _received():
    """What the seller was credited for an order: the settlement Dodo reported
    (a discount lowers it), else the price at checkout (older orders)."""
    return Coalesce("settlement_amount", "amount")


def _paid_orders(seller_id: int | None) -> QuerySet[Order]:
    # An order that was ever paid has ``paid_at``; a later refund keeps it and
    # raises ``refunded_amount``, so paid minus refunded is the net revenue.
    orders = Order.objects.filter(paid_at__isnull=False)
    if seller_id is not None:
        orders = orders.filter(product__seller_id=seller_id)
    return orders


def revenue_by_month(
    *, seller_id: int | None, today: dt.date | None = None
) -> list[MonthRevenue]:
    """Net revenue per (month of payment, currency) for this month and the last 12."""
    first = month_starts(today=today)[0]
    since = dt.datetime.combine(first, dt.time.min, tzinfo=dt.UTC)
    rows = (
        _paid_orders(seller_id)
        .filter(paid_at__gte=since)
        .annotate(month=TruncMonth("paid_at", tzinfo=dt.UTC))
        .values("month", "currency")
        .annotate(gross=Sum(_received()), refunded=Sum("refunded_amount"))
        .order_by("month", "currency")
    )
    return [
        MonthRevenue(
            month=_as_date(row["month"]),
            currency=row["currency"],
            gross=row["gross"] or 0,
            refunded=row["refunded"] or 0,
        )
        for row in rows
    ]


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def customers_total(*, seller_id: int | None) -> int:
    """Distinct buyers holding an active purchase of the seller's products."""
    grants = PurchasedProduct.objects.active()
    if seller_id is not None:
        grants = grants.filter(product__seller_id=seller_id)
    return grants.values("user_id").distinct().count()


def latest_buyers(*, seller_id: int | None, limit: int = 8) -> list[dict]:
    """The newest paid orders: buyer name, product title, date of payment."""
    return list(
        _paid_orders(seller_id)
        .order_by("-paid_at", "-pk")
        .values(
            "pk",
            "paid_at",
            "currency",
            "refunded_amount",
            "discount_codes",
            received=_received(),
            product_title=F("product__title"),
            buyer_name=F("user__full_name"),
            buyer_email=F("user__email"),
        )[:limit]
    )


def sales_per_product(*, seller_id: int | None) -> list[dict]:
    """Paid orders and net revenue per product and currency, best sellers first."""
    rows = (
        _paid_orders(seller_id)
        .values("product_id", "currency", product_title=F("product__title"))
        .annotate(
            orders=Count("pk"),
            gross=Sum(_received()),
            refunded=Sum("refunded_amount"),
        )
        .order_by("-orders", "product_title", "currency")
    )
    return [
        {
            "product_id": row["product_id"],
            "product_title": row["product_title"],
            "currency": row["currency"],
            "orders": row["orders"],
            "net": (row["gross"] or 0) - (row["refunded"] or 0),
        }
        for row in rows
    ]


def dashboard_sellers() -> list[dict]:
    """Every seller, for staff's seller filter."""
    return list(
        get_user_model()
        .objects.filter(is_seller=True)
        .order_by("full_name", "email")
        .values("pk", "full_name", "email")
    )
