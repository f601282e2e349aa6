from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from catalog.models import ProductPage
from catalog.tests.factories import ProductPageFactory

pytestmark = pytest.mark.django_db


def reload(product) -> ProductPage:
    return ProductPage.objects.get(pk=product.pk)


def test_first_publish_does_not_set_it():
    product = ProductPageFactory()
    assert reload(product).content_updated_at is None


def test_saving_a_draft_does_not_set_it():
    product = ProductPageFactory()
    product.changelog = "Work in progress"
    product.save_revision()
    assert reload(product).content_updated_at is None


def test_republishing_with_changes_sets_it():
    product = ProductPageFactory()
    before = timezone.now()
    product.file_version = "1.1.0"
    product.changelog = "New chapter"
    product.save_revision().publish()
    updated = reload(product)
    assert updated.content_updated_at >= before
    assert updated.is_recently_updated


def test_republishing_without_changes_does_not_set_it():
    product = ProductPageFactory()
    product.save_revision().publish()
    assert reload(product).content_updated_at is None


def test_draft_first_published_later_is_a_first_publish():
    product = ProductPageFactory(live=False)
    product.summary = "Changed before going live"
    product.save_revision().publish()
    assert reload(product).content_updated_at is None


def test_a_later_revision_does_not_clear_it():
    product = ProductPageFactory()
    product.changelog = "v2"
    product.save_revision().publish()
    stamped = reload(product).content_updated_at
    # An editor opens the latest revision (saved before the stamp) and republishes.
    latest = reload(product).get_latest_revision_as_object()
    latest.save_revision().publish()
    assert reload(product).content_updated_at == stamped


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
