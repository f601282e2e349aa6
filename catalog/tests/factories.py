"""Test data for products: pages are added under the one ProductIndexPage."""

import factory
from django.core.files.base import ContentFile

from accounts.tests.factories import SellerFactory
from catalog.models import ProductCategory, ProductIndexPage, ProductPage
from catalog.site_tree import ensure_product_index


def product_index() -> ProductIndexPage:
    return ensure_product_index()


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory

    name = factory.Sequence(lambda n: f"Category {n}")


class ProductPageFactory(factory.Factory):
    """Builds a ProductPage and adds it to the tree (published unless live=False)."""

    class Meta:
        model = ProductPage

    title = factory.Sequence(lambda n: f"Product {n}")
    seller = factory.SubFactory(SellerFactory)
    summary = factory.Faker("sentence")
    description = "<p>A useful digital product.</p>"
    price = 2500
    currency = "USD"
    file_version = "1.0.0"
    live = True

    @classmethod
    def _create(cls, model_class, *args, categories=(), with_file=True, **kwargs):
        live = kwargs.pop("live", True)
        page = model_class(*args, **kwargs)
        if with_file:
            page.file.save(
                f"{kwargs.get('title', 'product')}.zip".replace(" ", "-").lower(),
                ContentFile(b"PK\x03\x04 demo archive for " + page.title.encode()),
                save=False,
            )
        page.live = live
        product_index().add_child(instance=page)
        if categories:
            page.categories.set(categories)
            page.save()
        if live:
            page.save_revision().publish()
        else:
            page.save_revision()
        page.refresh_from_db()
        return page

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("live", None)
        return model_class(*args, **kwargs)
