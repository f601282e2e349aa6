"""The download audit in the Wagtail admin: staff see all, sellers their own."""

import pytest

from accounts.tests.factories import SellerFactory, StaffFactory, UserFactory
from commerce.downloads.models import DownloadEvent
from commerce.downloads.services import download_token_mint
from commerce.tests.factories import PurchasedProductFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/commerce/downloadevent/"


def refused(response) -> bool:
    """A refusal: Wagtail's redirect to the dashboard, or the seller-scope 404."""
    if response.status_code == 404:
        return True
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.fixture
def events():
    mine = PurchasedProductFactory()
    theirs = PurchasedProductFactory()
    download_token_mint(
        user=mine.user, product_id=mine.product.pk, ip_address="198.51.100.1"
    )
    download_token_mint(
        user=theirs.user, product_id=theirs.product.pk, ip_address="198.51.100.2"
    )
    return mine, theirs


def test_staff_sees_every_download(client, events):
    client.force_login(StaffFactory())
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    for purchase in events:
        assert purchase.product.title in html
        assert purchase.user.email in html


def test_seller_sees_only_their_products_downloads(client, events):
    mine, theirs = events
    client.force_login(mine.product.seller)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert mine.product.title in html
    assert theirs.product.title not in html

    own_event = DownloadEvent.objects.get(product=mine.product)
    other_event = DownloadEvent.objects.get(product=theirs.product)
    assert client.get(f"{INDEX}inspect/{own_event.pk}/").status_code == 200
    assert refused(client.get(f"{INDEX}inspect/{other_event.pk}/"))


def test_the_admin_menu_offers_downloads_to_sellers(client, events):
    client.force_login(events[0].product.seller)
    assert INDEX in client.get("/admin/").content.decode()


def test_a_seller_without_sales_sees_nothing(client, events):
    client.force_login(SellerFactory())
    response = client.get(INDEX)
    assert response.status_code == 200
    assert not response.context["object_list"]


def test_customers_cannot_reach_the_audit(client, events):
    client.force_login(UserFactory())
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_audit_rows_cannot_be_edited_or_deleted(client, events):
    client.force_login(StaffFactory())
    event = DownloadEvent.objects.first()
    assert refused(client.get(f"{INDEX}create/"))
    assert refused(client.get(f"{INDEX}edit/{event.pk}/"))
    assert refused(client.get(f"{INDEX}delete/{event.pk}/"))
    assert DownloadEvent.objects.filter(pk=event.pk).exists()


def test_seller_cannot_filter_by_undeclared_lookups(client, events):
    mine, _theirs = events
    client.force_login(mine.product.seller)
    for probe in (
        {"user__password__startswith": "no-such-hash"},
        {"product__seller__is_superuser": "1"},
    ):
        response = client.get(INDEX, probe)
        assert response.status_code == 200
        assert mine.user.email in response.content.decode()
    response = client.get(INDEX, {"kind__exact": "redeemed"})
    assert mine.user.email not in response.content.decode()
