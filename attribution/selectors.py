"""Sales by source: the dashboard's and the landing pages' attribution figures.

Every query starts from ``access.policy.records_visible_to``: a seller counts only
orders of their own products and lists only their own short links; staff count
everything (optionally narrowed to one seller). Sales are paid orders (``paid_at``
set); revenue is net of refunds, per currency, as on the rest of the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, FilteredRelation, Q, QuerySet, Sum

from access import policy
from commerce.models import Order
from commerce.money import format_money

from .models import TouchKind, source_label


@dataclass
class SourceRow:
    label: str
    source: str
    medium: str
    campaign: str
    sales: int = 0
    revenue: dict[str, int] = field(default_factory=dict)  # currency -> net minor

    @property
    def revenue_display(self) -> list[str]:
        return [format_money(v, c) for c, v in sorted(self.revenue.items())]


@dataclass
class LinkRow:
    link_id: int
    slug: str
    destination: str
    hits: int
    sales: int = 0
    revenue: dict[str, int] = field(default_factory=dict)

    @property
    def conversion(self) -> float | None:
        """Sales per hit, as a percentage (None before the first hit)."""
        return 100.0 * self.sales / self.hits if self.hits else None

    @property
    def revenue_display(self) -> list[str]:
        return [format_money(v, c) for c, v in sorted(self.revenue.items())]


def paid_orders_visible_to(user, *, seller_id: int | None = None) -> QuerySet[Order]:
    orders = policy.records_visible_to(
        user, Order.objects.filter(paid_at__isnull=False)
    )
    if seller_id is not None:
        orders = orders.filter(product__seller_id=seller_id)
    return orders


def _credited(orders: QuerySet[Order], kind: str) -> QuerySet[Order]:
    if kind not in TouchKind.values:
        kind = TouchKind.LAST
    return orders.annotate(
        credit=FilteredRelation("touches", condition=Q(touches__kind=kind))
    )


def sales_by_source(
    *, user, seller_id: int | None = None, kind: str = TouchKind.LAST
) -> list[SourceRow]:
    """Paid orders and net revenue per (source, medium, campaign), biggest first;
    orders that came with no touch are one "Direct or unknown" row."""
    rows = (
        _credited(paid_orders_visible_to(user, seller_id=seller_id), kind)
        .values(
            "currency",
            source=F("credit__utm_source"),
            medium=F("credit__utm_medium"),
            campaign=F("credit__utm_campaign"),
            slug=F("credit__short_link_slug"),
        )
        .annotate(
            sales=Count("pk"), gross=Sum("amount"), refunded=Sum("refunded_amount")
        )
        .order_by()
    )
    found: dict[tuple, SourceRow] = {}
    for row in rows:
        source, medium, campaign = (
            row["source"] or "",
            row["medium"] or "",
            row["campaign"] or "",
        )
        # Tags say where the visit came from; a short link without tags is its own.
        slug = "" if (source or medium or campaign) else (row["slug"] or "")
        key = (source, medium, campaign, slug)
        entry = found.get(key)
        if entry is None:
            entry = found[key] = SourceRow(
                label=source_label(source, medium, campaign, slug),
                source=source,
                medium=medium,
                campaign=campaign,
            )
        entry.sales += row["sales"]
        net = (row["gross"] or 0) - (row["refunded"] or 0)
        entry.revenue[row["currency"]] = entry.revenue.get(row["currency"], 0) + net
    return sorted(found.values(), key=lambda r: (-r.sales, r.label))


def sales_per_short_link(
    *, user, seller_id: int | None = None, kind: str = TouchKind.LAST, limit: int = 20
) -> list[LinkRow]:
    """The visible short links with their hits, the sales they brought (of the
    visible orders) and the conversion; links with sales first, then by hits."""
    from shortlinks.models import ShortLink

    links = policy.records_visible_to(user, ShortLink.objects.all())
    if seller_id is not None:
        links = links.filter(owner_id=seller_id)
    rows = {
        link["pk"]: LinkRow(
            link_id=link["pk"],
            slug=link["slug"],
            destination=link["destination"],
            hits=link["hit_count"],
        )
        for link in links.values("pk", "slug", "destination", "hit_count")
    }
    if not rows:
        return []
    sales = (
        _credited(paid_orders_visible_to(user, seller_id=seller_id), kind)
        .filter(credit__short_link_id__in=list(rows))
        .values("currency", link_id=F("credit__short_link_id"))
        .annotate(
            sales=Count("pk"), gross=Sum("amount"), refunded=Sum("refunded_amount")
        )
        .order_by()
    )
    for row in sales:
        entry = rows[row["link_id"]]
        entry.sales += row["sales"]
        net = (row["gross"] or 0) - (row["refunded"] or 0)
        entry.revenue[row["currency"]] = entry.revenue.get(row["currency"], 0) + net
    ordered = sorted(rows.values(), key=lambda r: (-r.sales, -r.hits, r.slug))
    return ordered[:limit]


@dataclass(frozen=True)
class PageSales:
    last_touch_sales: int
    first_touch_sales: int
    revenue: list[str]  # last-touch net revenue, formatted per currency


def landing_page_sales(*, page_id: int) -> PageSales:
    """Paid orders credited to a landing page (every seller's products: the page
    is the shop's campaign; only counts and totals, no buyer)."""
    orders = Order.objects.filter(paid_at__isnull=False)
    last = (
        orders.filter(touches__kind=TouchKind.LAST, touches__landing_page_id=page_id)
        .values("currency")
        .annotate(
            sales=Count("pk"), gross=Sum("amount"), refunded=Sum("refunded_amount")
        )
        .order_by("currency")
    )
    first_count = orders.filter(
        touches__kind=TouchKind.FIRST, touches__landing_page_id=page_id
    ).count()
    return PageSales(
        last_touch_sales=sum(row["sales"] for row in last),
        first_touch_sales=first_count,
        revenue=[
            format_money((row["gross"] or 0) - (row["refunded"] or 0), row["currency"])
            for row in last
        ],
    )
