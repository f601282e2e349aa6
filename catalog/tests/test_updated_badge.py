from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from catalog.models import ProductPage
from catalog.tests.factories import ProductPageFactory, publish_release

pytestmark = pytest.mark.django_db


def reload(product) -> ProductPage:
    return ProductPage.objects.get(pk=product.pk)


def test_a_product_without_releases_has_no_badge():
    product = ProductPageFactory()
    product.summary = "Edited copy"
    product.save_revision().publish()
    assert reload(product).content_updated_at is None


def test_a_draft_release_does_not_set_it():
    product = ProductPageFactory()
    publish_release(product, version="1.1.0", publish=False)
    assert reload(product).content_updated_at is None


def test_publishing_a_release_dated_today_sets_it():
    product = ProductPageFactory()
    publish_release(product, version="1.1.0", changes="New chapter")
    updated = reload(product)
    assert updated.content_updated_at.date() == timezone.localdate()
    assert updated.is_recently_updated


@override_settings(UPDATED_BADGE_DAYS=3)
def test_the_badge_follows_the_latest_release_date_not_the_publish():
    product = ProductPageFactory()
    old = timezone.localdate() - timedelta(days=10)
    publish_release(product, version="0.9.0", released_on=old)
    updated = reload(product)
    assert updated.content_updated_at.date() == old
    assert not updated.is_recently_updated
    # Republishing something else later does not refresh an old release's badge.
    page = updated.get_latest_revision_as_object()
    page.summary = "Typo fixed"
    page.save_revision().publish()
    assert not reload(product).is_recently_updated


def test_backfilling_an_older_release_keeps_the_newest_date():
    product = ProductPageFactory()
    publish_release(product, version="2.0.0")
    stamped = reload(product).content_updated_at
    publish_release(
        product,
        version="1.0.0",
        released_on=timezone.localdate() - timedelta(days=30),
    )
    assert reload(product).content_updated_at == stamped
    assert reload(product).file_version == "2.0.0"


@override_settings(UPDATED_BADGE_DAYS=3)
def test_badge_window_boundary():
    product = ProductPageFactory()
    now = timezone.now()
    product.content_updated_at = now - timedelta(days=3) + timedelta(seconds=5)
    assert product.is_recently_updated
    product.content_updated_at = now - timedelta(days=3) - timedelta(seconds=5)
    assert not product.is_recently_updated
    product.content_updated_at = None
    assert not product.is_recently_updated


# The queryset updates stand in for time passing (no page event): rendering is
# what is tested, so the page cache (bounded by PAGE_CACHE_SECONDS) is off.
@override_settings(UPDATED_BADGE_DAYS=3, PAGE_CACHE_SECONDS=0)
def test_badge_shows_on_detail_and_listing_only_inside_the_window(client):
    product = ProductPageFactory(title="Fresh")
    ProductPage.objects.filter(pk=product.pk).update(
        content_updated_at=timezone.now() - timedelta(days=2)
    )
    assert ">Updated<" in client.get(product.url).content.decode()
    assert ">Updated<" in client.get("/products/").content.decode()
    ProductPage.objects.filter(pk=product.pk).update(
        content_updated_at=timezone.now() - timedelta(days=4)
    )
    assert ">Updated<" not in client.get(product.url).content.decode()
    assert ">Updated<" not in client.get("/products/").content.decode()
