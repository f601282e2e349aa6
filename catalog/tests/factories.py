"""Test data for products: pages are added under the one ProductIndexPage."""

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.tests.factories import SellerFactory
from catalog.models import (
    ProductCategory,
    ProductIndexPage,
    ProductPage,
    ProductRelease,
)
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


def publish_release(
    product: ProductPage,
    *,
    version: str,
    content: bytes = b"PK release",
    name: str = "",
    changes: str = "",
    released_on=None,
    notify_buyers: bool = True,
    publish: bool = True,
) -> ProductRelease:
    """What the seller does in the admin: add a release inline, then publish.

    Returns the release row (live after a publish; unsaved in a draft).
    """
    # A fresh load, as each admin request makes (not the caller's in-memory page).
    page = ProductPage.objects.get(pk=product.pk).get_latest_revision_as_object()
    release = ProductRelease(
        version=version,
        released_on=released_on or timezone.localdate(),
        changes=changes,
        notify_buyers=notify_buyers,
    )
    release.file.save(
        name or f"{page.slug}-{version}.zip", ContentFile(content), save=False
    )
    page.releases.add(release)
    revision = page.save_revision()
    if publish:
        revision.publish()
        product.refresh_from_db()
        return ProductRelease.objects.get(product=product, version=version)
    return release
