"""Releases through the one single-use, audited download path."""

import pytest
from django.utils import timezone

from catalog.models import ProductPage
from catalog.tests.factories import publish_release
from commerce.downloads.models import DownloadEvent, DownloadToken
from commerce.tests.factories import PurchasedProductFactory

from .helpers import revoke, streamed

pytestmark = pytest.mark.django_db


@pytest.fixture
def purchase():
    return PurchasedProductFactory()


def mint(client, user, product_id, release=None):
    client.force_login(user)
    data = {"release": str(release)} if release is not None else {}
    return client.post(f"/downloads/{product_id}/", data)


def test_publishing_a_release_switches_the_file_and_its_link_is_single_use(
    client, purchase
):
    product = purchase.product
    before = streamed(client.get(mint(client, purchase.user, product.pk)["Location"]))
    publish_release(product, version="2.0.0", content=b"release two")

    link = mint(client, purchase.user, product.pk)["Location"]
    served = client.get(link)
    assert served.status_code == 200
    assert streamed(served) == b"release two" != before
    again = client.get(link)
    assert again.status_code == 410  # spent: single use
    redeemed = DownloadEvent.objects.filter(kind="redeemed").first()
    assert redeemed.file_version == "2.0.0"
    assert redeemed.file_name == ProductPage.objects.get(pk=product.pk).file.name


def test_earlier_release_is_refused_unless_the_seller_offers_it(client, purchase):
    product = purchase.product
    old = publish_release(
        product,
        version="1.5",
        content=b"old bytes",
        released_on=timezone.localdate() - timezone.timedelta(days=5),
    )
    publish_release(product, version="2.0", content=b"new bytes")

    refused = mint(client, purchase.user, product.pk, release=old.pk)
    assert refused.status_code == 404
    assert "not offered" in refused.content.decode()
    assert not DownloadToken.objects.exists()

    page = ProductPage.objects.get(pk=product.pk).get_latest_revision_as_object()
    page.earlier_releases_downloadable = True
    page.save_revision().publish()
    link = mint(client, purchase.user, product.pk, release=old.pk)["Location"]
    assert streamed(client.get(link)) == b"old bytes"
    assert client.get(link).status_code == 410
    assert DownloadToken.objects.get().release_id == old.pk
    assert DownloadEvent.objects.get(kind="redeemed").file_version == "1.5"


def test_the_current_release_can_be_asked_for_by_id(client, purchase):
    product = purchase.product
    current = publish_release(product, version="2.0", content=b"current")
    link = mint(client, purchase.user, product.pk, release=current.pk)["Location"]
    assert streamed(client.get(link)) == b"current"


def test_a_release_of_another_product_or_garbage_is_not_served(client, purchase):
    other = PurchasedProductFactory()
    foreign = publish_release(other.product, version="9.9")
    page = ProductPage.objects.get(pk=purchase.product.pk)
    page.earlier_releases_downloadable = True
    page.save_revision().publish()
    response = mint(client, purchase.user, purchase.product.pk, release=foreign.pk)
    assert response.status_code == 404
    for garbage in ("abc", "9" * 40, "-1"):
        response = mint(client, purchase.user, purchase.product.pk, garbage)
        assert response.status_code == 404
    assert not DownloadToken.objects.exists()


def test_a_refunded_buyer_gets_no_release(client, purchase):
    release = publish_release(purchase.product, version="2.0")
    revoke(purchase)
    response = mint(client, purchase.user, purchase.product.pk, release=release.pk)
    assert response.status_code == 403


def test_library_lists_releases_with_earlier_downloads_when_offered(client, purchase):
    product = purchase.product
    old = publish_release(
        product,
        version="1.5",
        changes="Older notes",
        released_on=timezone.localdate() - timezone.timedelta(days=5),
    )
    publish_release(product, version="2.0", changes="Newer notes")
    client.force_login(purchase.user)
    html = client.get("/account/products/").content.decode()
    assert "Release history (2)" in html
    assert "Older notes" in html and "Newer notes" in html
    assert f'name="release" value="{old.pk}"' not in html

    page = ProductPage.objects.get(pk=product.pk).get_latest_revision_as_object()
    page.earlier_releases_downloadable = True
    page.save_revision().publish()
    html = client.get("/account/products/").content.decode()
    assert f'name="release" value="{old.pk}"' in html
