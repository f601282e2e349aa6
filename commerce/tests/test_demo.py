from io import StringIO

import pytest

from accounts import demo as accounts_demo
from accounts.demo import CUSTOMER, SELLER
from accounts.models import User
from catalog.tests.factories import ProductPageFactory
from commerce import demo
from commerce.models import Order, PurchasedProduct

pytestmark = pytest.mark.django_db


def test_seed_is_a_clean_no_op_without_demo_products():
    accounts_demo.seed(StringIO())
    out = StringIO()
    demo.seed(out)
    assert "skipped" in out.getvalue()
    assert not Order.objects.exists()


def test_seed_gives_the_demo_customer_two_products_idempotently():
    accounts_demo.seed(StringIO())
    seller = User.objects.get(email=SELLER.email)
    products = [ProductPageFactory(seller=seller) for _ in range(3)]
    demo.seed(StringIO())
    demo.seed(StringIO())
    customer = User.objects.get(email=CUSTOMER.email)
    grants = PurchasedProduct.objects.active().filter(user=customer)
    assert grants.count() == 2
    assert {g.product_id for g in grants} <= {p.pk for p in products}
    assert Order.objects.filter(user=customer, status="paid", is_paid=True).count() == 2
