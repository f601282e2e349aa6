"""Release history: edited inline in the admin, current file switched on publish."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from accounts.tests.factories import SellerFactory
from catalog.models import ProductPage, ProductRelease
from catalog.tests.factories import ProductPageFactory, publish_release

pytestmark = pytest.mark.django_db


def edit_form(product, releases, **extra):
    data = {
        "title": product.title,
        "slug": product.slug,
        "summary": "s",
        "description": rich_text("<p>d</p>"),
        "price": "1000",
        "currency": "USD",
        "tax_category": "digital_products",
        "gallery_images": inline_formset([]),
        "releases": inline_formset(releases),
        **extra,
    }
    return nested_form_data(data)


def release_form(version, content=b"PK", **extra):
    return {
        "version": version,
        "released_on": timezone.localdate().isoformat(),
        "changes": f"What is new in {version}",
        "file": SimpleUploadedFile(f"kit-{version}.zip", content),
        "notify_buyers": "on",
        **extra,
    }


def test_seller_publishes_a_release_in_the_admin_and_it_becomes_current(client):
    seller = SellerFactory()
    product = ProductPageFactory(seller=seller)
    client.force_login(seller)
    response = client.post(
        f"/admin/pages/{product.pk}/edit/",
        edit_form(product, [release_form("2.0.0", b"v2")], **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    product = ProductPage.objects.get(pk=product.pk)
    release = ProductRelease.objects.get(product=product)
    assert (release.version, release.changes) == ("2.0.0", "What is new in 2.0.0")
    assert product.file.name == release.file.name
    assert product.file_version == "2.0.0"
    assert product.changelog == "What is new in 2.0.0"
    with product.file.open("rb") as fh:
        assert fh.read() == b"v2"


def test_saving_a_draft_release_keeps_the_live_file(client):
    seller = SellerFactory()
    product = ProductPageFactory(seller=seller)
    live_file = product.file.name
    client.force_login(seller)
    client.post(
        f"/admin/pages/{product.pk}/edit/",
        edit_form(product, [release_form("2.0.0")]),
    )
    product = ProductPage.objects.get(pk=product.pk)
    assert product.file.name == live_file
    assert product.file_version == "1.0.0"
    assert not ProductRelease.objects.exists()


def test_two_releases_with_one_version_are_refused(client):
    seller = SellerFactory()
    product = ProductPageFactory(seller=seller)
    client.force_login(seller)
    response = client.post(
        f"/admin/pages/{product.pk}/edit/",
        edit_form(
            product,
            [release_form("2.0.0"), release_form("2.0.0")],
            **{"action-publish": "1"},
        ),
    )
    assert response.status_code == 200  # the form again, with the error
    assert not ProductRelease.objects.exists()


def test_the_newest_release_is_current_whatever_order_they_were_added():
    product = ProductPageFactory()
    publish_release(product, version="3.0", content=b"three")
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    publish_release(product, version="2.9", content=b"older", released_on=yesterday)
    product.refresh_from_db()
    assert product.file_version == "3.0"
    assert [r.version for r in product.release_history()] == ["3.0", "2.9"]


def test_removing_the_current_release_makes_the_previous_one_current():
    product = ProductPageFactory()
    publish_release(product, version="1.1", content=b"one-one")
    publish_release(product, version="1.2", content=b"one-two")
    page = ProductPage.objects.get(pk=product.pk).get_latest_revision_as_object()
    page.releases.remove(*[r for r in page.releases.all() if r.version == "1.2"])
    page.save_revision().publish()
    product.refresh_from_db()
    assert product.file_version == "1.1"
    with product.file.open("rb") as fh:
        assert fh.read() == b"one-one"


@override_settings(PAGE_CACHE_SECONDS=0)
def test_product_page_shows_the_release_history(client):
    product = ProductPageFactory(title="Field Guide")
    publish_release(
        product,
        version="1.1",
        changes="Fixed the index",
        released_on=timezone.localdate() - timezone.timedelta(days=20),
    )
    publish_release(product, version="2.0", changes="Two new chapters")
    html = client.get(product.url).content.decode()
    assert "Release history" in html
    assert html.index("Two new chapters") < html.index("Fixed the index")
    assert 'data-release-version="2.0"' in html
    # Download buttons belong to the library, for owners only.
    assert 'name="release"' not in html
