import factory

from accounts.tests.factories import SellerFactory
from shortlinks.models import ShortLink


class ShortLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShortLink

    owner = factory.SubFactory(SellerFactory)
    slug = factory.Sequence(lambda n: f"link-{n}")
    destination = "/products/"
