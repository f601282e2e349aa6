import io

import pytest

from accounts import demo as accounts_demo
from accounts.models import User
from catalog.tests.factories import ProductPageFactory
from commerce.tests.factories import PaidOrderFactory, PurchasedProductFactory
from support import demo
from support.models import SellerSupportSettings, SupportRequest


@pytest.mark.django_db
def test_seed_is_idempotent(settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    out = io.StringIO()
    accounts_demo.seed(out)
    seller = User.objects.get(email=accounts_demo.SELLER.email)
    customer = User.objects.get(email=accounts_demo.CUSTOMER.email)
    product = ProductPageFactory(seller=seller)
    PurchasedProductFactory(order=PaidOrderFactory(user=customer, product=product))
    demo.seed(out)
    demo.seed(out)
    assert SupportRequest.objects.filter(customer=customer).count() == 1
    row = SellerSupportSettings.objects.get(seller=seller)
    assert "IBAN" in row.payment_instructions
