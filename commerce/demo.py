"""Demo purchases: the demo customer owns two products, bought through the services."""

from __future__ import annotations

from django.db import transaction

from accounts.demo import CUSTOMER, SELLER
from accounts.models import User
from catalog.models import ProductPage

from . import services
from .models import PurchasedProduct
from .services.payments import PaymentFacts

DEMO_PURCHASES = 2
DEMO_BILLING = {"country": "US", "city": "Springfield", "zipcode": "49007"}


def seed(out) -> None:
    customer = User.objects.filter(email=CUSTOMER.email).first()
    products = list(
        ProductPage.objects.live()
        .filter(seller__email=SELLER.email)
        .order_by("path")[:DEMO_PURCHASES]
    )
    if customer is None or not products:
        out.write("Demo purchases skipped: no demo customer or no live demo products.")
        return
    for product in products:
        if PurchasedProduct.objects.filter(user=customer, product=product).exists():
            continue
        _buy(customer, product)
    titles = ", ".join(f"“{p.title}”" for p in products)
    out.write(f"Demo customer {customer.email} owns {titles}.")


@transaction.atomic
def _buy(customer, product) -> None:
    """The webhook's path without Dodo: order → paid → grant, all through services."""
    order = services.order_create(user=customer, product=product, billing=DEMO_BILLING)
    session_id = f"cks_demo_{order.pk}"
    services.order_attach_session(order_id=order.pk, session_id=session_id)
    services.order_mark_paid(
        order_id=order.pk,
        payment=PaymentFacts(
            payment_id=f"pay_demo_{order.pk}",
            status="succeeded",
            currency=order.currency,
            total_amount=order.amount,
            tax=0,
            checkout_session_id=session_id,
            product_ids=None,
            settlement_amount=order.amount,
            settlement_currency=order.currency,
        ),
    )
