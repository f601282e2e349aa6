import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.models import Order, OrderStatus, PurchasedProduct


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    user = factory.SubFactory(UserFactory)
    product = factory.SubFactory(ProductPageFactory)
    amount = factory.LazyAttribute(lambda o: o.product.effective_price)
    currency = factory.LazyAttribute(lambda o: o.product.currency)
    status = OrderStatus.PENDING
    billing_country = "US"


class PaidOrderFactory(OrderFactory):
    status = OrderStatus.PAID
    is_paid = True
    paid_at = factory.LazyFunction(timezone.now)
    dodo_payment_id = factory.Sequence(lambda n: f"pay_test_{n:06d}")
    total_amount = factory.LazyAttribute(lambda o: o.amount)
    tax_amount = 0


class PurchasedProductFactory(factory.django.DjangoModelFactory):
    """An active grant with the paid order it rests on."""

    class Meta:
        model = PurchasedProduct

    order = factory.SubFactory(PaidOrderFactory)
    user = factory.LazyAttribute(lambda o: o.order.user)
    product = factory.LazyAttribute(lambda o: o.order.product)
