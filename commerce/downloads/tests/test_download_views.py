import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from accounts.tests.factories import SellerFactory, StaffFactory, UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.downloads.models import DownloadEvent, DownloadToken
from commerce.tests.factories import PurchasedProductFactory

from .helpers import publish_new_file, revoke, streamed, suspend

pytestmark = pytest.mark.django_db

S3_PRIVATE = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": "unused",
        "access_key": "x",
        "secret_key": "y",
        "region_name": "us-east-1",
        "default_acl": "private",
        "querystring_auth": True,
    },
}


@pytest.fixture
def purchase():
    return PurchasedProductFactory()


def download(client, user, product_id):
    client.force_login(user)
    return client.post(f"/downloads/{product_id}/", HTTP_USER_AGENT="pytest-agent")


def test_owner_downloads_the_file_once(client, purchase):
    product = purchase.product
    response = download(client, purchase.user, product.pk)
    assert response.status_code == 302
    token = DownloadToken.objects.get()
    assert response["Location"] == f"/downloads/local/{token.token}/"
    assert token.user == purchase.user and token.product_id == product.pk
    assert len(token.token) >= 40
    ttl = token.expires_at - token.created_at
    assert ttl == timedelta(seconds=600)

    served = client.get(response["Location"], HTTP_USER_AGENT="pytest-agent")
    assert served.status_code == 200
    assert served.streaming
    assert "attachment" in served["Content-Disposition"]
    assert product.file.name.rsplit("/", 1)[-1] in served["Content-Disposition"]
    product.file.open("rb")
    assert streamed(served) == product.file.read()
    product.file.close()
    assert served["Cache-Control"].startswith("max-age=0")

    token.refresh_from_db()
    assert token.used_at is not None


def test_reused_link_shows_link_used_page_with_fresh_link_button(client, purchase):
    response = download(client, purchase.user, purchase.product.pk)
    link = response["Location"]
    assert client.get(link).status_code == 200
    again = client.get(link)
    assert again.status_code == 410
    assert "already used" in again.content.decode()
    assert f'action="/downloads/{purchase.product.pk}/"' in again.content.decode()
    assert DownloadEvent.objects.filter(kind="redeemed").count() == 1


def test_head_requests_neither_mint_nor_spend_a_link(client, purchase):
    client.force_login(purchase.user)
    assert client.head(f"/downloads/{purchase.product.pk}/").status_code == 405
    assert not DownloadToken.objects.exists()
    link = download(client, purchase.user, purchase.product.pk)["Location"]
    assert client.head(link).status_code == 405
    assert DownloadToken.objects.get().used_at is None
    assert client.get(link).status_code == 200


def test_a_get_of_the_mint_url_mints_nothing(client, purchase):
    """A cross-site <img> or link can't spend the buyer's hourly allowance."""
    client.force_login(purchase.user)
    response = client.get(f"/downloads/{purchase.product.pk}/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert not DownloadToken.objects.exists()


def test_a_cross_site_post_without_the_csrf_token_is_refused(purchase):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(purchase.user)
    forged = csrf_client.post(f"/downloads/{purchase.product.pk}/")
    assert forged.status_code == 403
    assert not DownloadToken.objects.exists()

    # The library's button carries the token and mints.
    library = csrf_client.get("/account/products/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', library)[1]
    minted = csrf_client.post(
        f"/downloads/{purchase.product.pk}/", {"csrfmiddlewaretoken": token}
    )
    assert minted.status_code == 302
    assert DownloadToken.objects.count() == 1


def test_expired_link_is_refused(client, purchase):
    response = download(client, purchase.user, purchase.product.pk)
    DownloadToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    refused = client.get(response["Location"])
    assert refused.status_code == 410
    assert "expired" in refused.content.decode()
    assert DownloadToken.objects.get().used_at is None
    assert not DownloadEvent.objects.filter(kind="redeemed").exists()


def test_anonymous_is_sent_to_login_and_nothing_is_minted(client, purchase):
    response = client.post(f"/downloads/{purchase.product.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    assert not DownloadToken.objects.exists()


@pytest.mark.parametrize(
    "make_user",
    [UserFactory, StaffFactory, SellerFactory],
    ids=["stranger", "staff", "other-seller"],
)
def test_users_without_a_purchase_are_refused(client, make_user, purchase):
    response = download(client, make_user(), purchase.product.pk)
    assert response.status_code == 403
    assert "not yours" in response.content.decode()
    assert not DownloadToken.objects.exists()
    assert not DownloadEvent.objects.exists()


def test_the_seller_of_the_product_is_refused_here(client, purchase):
    response = download(client, purchase.product.seller, purchase.product.pk)
    assert response.status_code == 403
    assert not DownloadToken.objects.exists()


def test_owner_of_another_product_is_refused(client, purchase):
    other = ProductPageFactory()
    response = download(client, purchase.user, other.pk)
    assert response.status_code == 403
    assert not DownloadToken.objects.exists()


@pytest.mark.parametrize("take_away", [revoke, suspend], ids=["refunded", "disputed"])
def test_revoked_or_suspended_purchase_mints_nothing(client, purchase, take_away):
    take_away(purchase)
    response = download(client, purchase.user, purchase.product.pk)
    assert response.status_code == 403
    assert not DownloadToken.objects.exists()


@pytest.mark.parametrize("take_away", [revoke, suspend], ids=["refunded", "disputed"])
def test_revocation_stops_an_unredeemed_link_at_once(client, purchase, take_away):
    link = download(client, purchase.user, purchase.product.pk)["Location"]
    take_away(purchase)
    refused = client.get(link)
    assert refused.status_code == 403
    assert "no longer available" in refused.content.decode()
    # Refused, not spent: the atomic UPDATE was rolled back with the refusal.
    assert DownloadToken.objects.get().used_at is None
    assert not DownloadEvent.objects.filter(kind="redeemed").exists()


def test_a_link_works_only_for_the_user_it_was_minted_for(client, purchase):
    link = download(client, purchase.user, purchase.product.pk)["Location"]
    client.force_login(UserFactory())
    assert client.get(link).status_code == 404
    assert DownloadToken.objects.get().used_at is None


def test_unknown_token_is_404(client, purchase):
    client.force_login(purchase.user)
    assert client.get("/downloads/local/not-a-token/").status_code == 404


def test_latest_file_is_served_after_the_seller_publishes_a_new_one(client, purchase):
    product = purchase.product
    first = client.get(download(client, purchase.user, product.pk)["Location"])
    assert streamed(first)
    publish_new_file(
        product, name="v2.zip", content=b"version two bytes", version="2.0"
    )

    served = client.get(download(client, purchase.user, product.pk)["Location"])
    assert streamed(served) == b"version two bytes"
    latest = DownloadEvent.objects.filter(kind="redeemed").first()
    assert latest.file_version == "2.0"
    assert latest.file_name == product.file.name


def test_a_link_minted_before_a_new_file_serves_the_new_file(client, purchase):
    product = purchase.product
    link = download(client, purchase.user, product.pk)["Location"]
    publish_new_file(product, name="v3.zip", content=b"v3", version="3.0")
    assert streamed(client.get(link)) == b"v3"


def test_draft_file_is_not_served(client, purchase):
    product = purchase.product
    published = product.file.name
    product.file_version = "draft"
    product.save_revision()  # a draft: the live row keeps the published file
    served = client.get(download(client, purchase.user, product.pk)["Location"])
    assert served.status_code == 200
    assert DownloadEvent.objects.get(kind="redeemed").file_name == published
    assert DownloadEvent.objects.get(kind="redeemed").file_version == "1.0.0"


def test_product_without_a_file_says_so(client):
    product = ProductPageFactory(with_file=False)
    purchase = PurchasedProductFactory(order__product=product)
    response = download(client, purchase.user, product.pk)
    assert response.status_code == 404
    assert "No file yet" in response.content.decode()
    assert not DownloadToken.objects.exists()


def test_audit_rows_record_issue_and_redemption(client, purchase):
    link = download(client, purchase.user, purchase.product.pk)["Location"]
    client.get(link, HTTP_USER_AGENT="pytest-agent", REMOTE_ADDR="203.0.113.7")
    issued, redeemed = (
        DownloadEvent.objects.get(kind="issued"),
        DownloadEvent.objects.get(kind="redeemed"),
    )
    for event in (issued, redeemed):
        assert event.user == purchase.user
        assert event.product_id == purchase.product.pk
        assert event.file_version == "1.0.0"
        assert event.file_name == purchase.product.file.name
        assert event.user_agent == "pytest-agent"
        assert event.token == DownloadToken.objects.get()
    assert issued.ip_address == "127.0.0.1"
    assert redeemed.ip_address == "203.0.113.7"
    assert redeemed.created_at >= issued.created_at


@override_settings(DOWNLOAD_MINT_RATE_LIMIT=3, DOWNLOAD_MINT_RATE_WINDOW_SECONDS=3600)
def test_minting_is_rate_limited_per_user(client, purchase):
    for _ in range(3):
        assert download(client, purchase.user, purchase.product.pk).status_code == 302
    limited = download(client, purchase.user, purchase.product.pk)
    assert limited.status_code == 429
    assert "Too many download links" in limited.content.decode()
    assert DownloadToken.objects.count() == 3

    # Another buyer is not affected; an hour later the first one may mint again.
    other = PurchasedProductFactory(order__product=purchase.product)
    assert download(client, other.user, purchase.product.pk).status_code == 302
    DownloadEvent.objects.filter(user=purchase.user).update(
        created_at=timezone.now() - timedelta(hours=1, seconds=1)
    )
    assert download(client, purchase.user, purchase.product.pk).status_code == 302


def test_local_view_is_404_under_production_storage(client, purchase, settings):
    link = download(client, purchase.user, purchase.product.pk)["Location"]
    with override_settings(STORAGES={**settings.STORAGES, "private": S3_PRIVATE}):
        assert client.get(link).status_code == 404
    assert DownloadToken.objects.get().used_at is None


def test_presigned_route_is_404_with_local_storage(client, purchase):
    link = download(client, purchase.user, purchase.product.pk)["Location"]
    token = link.split("/")[-2]
    assert client.get(f"/downloads/t/{token}/").status_code == 404
    assert DownloadToken.objects.get().used_at is None
