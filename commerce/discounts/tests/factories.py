import factory

from accounts.tests.factories import SellerFactory
from commerce.discounts.models import DiscountCode, DiscountKind


class DiscountCodeFactory(factory.django.DjangoModelFactory):
    """A 25 % code of a seller; pass ``products=[...]`` (the seller's own)."""

    class Meta:
        model = DiscountCode
        skip_postgeneration_save = True

    seller = factory.SubFactory(SellerFactory)
    code = factory.Sequence(lambda n: f"SAVE{n:04d}")
    kind = DiscountKind.PERCENTAGE
    percent_off = 25

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        if create and extracted:
            self.products.set(extracted)
