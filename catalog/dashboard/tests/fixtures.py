"""Hand-computed dashboard fixtures: two sellers, two currencies, refunds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from accounts.tests.factories import SellerFactory, UserFactory
from catalog.dashboard.selectors import month_starts
from catalog.tests.factories import ProductPageFactory
from commerce.models import OrderStatus
from commerce.tests.factories import (
    OrderFactory,
    PaidOrderFactory,
    PurchasedProductFactory,
)


def in_month(month: dt.date, day: int = 1) -> dt.datetime:
    """Noon UTC on ``day`` of ``month`` (never later than now)."""
    moment = dt.datetime(month.year, month.month, day, 12, tzinfo=dt.UTC)
    return min(moment, timezone.now())


@dataclass
class Shop:
    seller: object
    other_seller: object
    product_usd: object
    product_eur: object
    other_product: object


def build_shop() -> Shop:
    """Seller A: USD 2500 and EUR 1000 products; seller B: USD 9900.

    Expected for A (net = paid - refunded, by month of payment):
      USD this month 2500 (2500 + 2500 fully refunded), last month 1500
      (2500 - 1000 partial refund); EUR this month 1000, last month 0 (1000 fully
      refunded, grant revoked), twelve months ago 1000;
      a 13-month-old order and a pending order do not count.
      Customers with an active grant: 2 (buyer 1 twice, buyer 2; buyer 3 revoked).
    """
    months = month_starts()
    this_month, last_month, oldest = months[-1], months[-2], months[0]
    before_window = (oldest - dt.timedelta(days=1)).replace(day=1)

    seller = SellerFactory(full_name="Ada Seller")
    other_seller = SellerFactory(full_name="Bob Seller")
    product_usd = ProductPageFactory(seller=seller, title="Icon Pack", price=2500)
    product_eur = ProductPageFactory(
        seller=seller, title="Euro Ebook", price=1000, currency="EUR"
    )
    other_product = ProductPageFactory(
        seller=other_seller, title="Other Course", price=9900
    )
    buyer1 = UserFactory(full_name="First Buyer")
    buyer2 = UserFactory(full_name="Second Buyer")
    buyer3 = UserFactory(full_name="Third Buyer")

    order = PaidOrderFactory(
        user=buyer1, product=product_usd, paid_at=in_month(this_month)
    )
    PurchasedProductFactory(order=order)
    PaidOrderFactory(
        user=buyer3,
        product=product_usd,
        paid_at=in_month(this_month),
        status=OrderStatus.REFUNDED,
        refunded_amount=2500,
    )
    revoked = PaidOrderFactory(
        user=buyer3,
        product=product_eur,
        paid_at=in_month(last_month),
        status=OrderStatus.REFUNDED,
        refunded_amount=1000,
    )
    PurchasedProductFactory(order=revoked, revoked_at=timezone.now())
    order = PaidOrderFactory(
        user=buyer2,
        product=product_usd,
        paid_at=in_month(last_month, 15),
        status=OrderStatus.PARTIALLY_REFUNDED,
        refunded_amount=1000,
    )
    PurchasedProductFactory(order=order)
    order = PaidOrderFactory(
        user=buyer1, product=product_eur, paid_at=in_month(this_month)
    )
    PurchasedProductFactory(order=order)
    PaidOrderFactory(user=buyer2, product=product_eur, paid_at=in_month(oldest, 2))
    PaidOrderFactory(
        user=buyer2, product=product_usd, paid_at=in_month(before_window, 3)
    )
    OrderFactory(user=buyer2, product=product_usd)  # pending: not revenue

    order = PaidOrderFactory(product=other_product, paid_at=in_month(this_month))
    PurchasedProductFactory(order=order)
    return Shop(seller, other_seller, product_usd, product_eur, other_product)
