"""The production path against a real local S3 server (moto's server mode)."""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import override_settings
from moto.server import ThreadedMotoServer

from commerce.downloads.models import DownloadToken
from commerce.tests.factories import PurchasedProductFactory

pytestmark = pytest.mark.django_db

BUCKET = "storefront-private-test"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_private_storage(s3_endpoint, settings):
    """The production ``private`` alias, pointed at the local S3 server."""
    private = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **CREDENTIALS,
            "bucket_name": BUCKET,
            "endpoint_url": s3_endpoint,
            "region_name": "us-east-1",
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 600,
            "signature_version": "s3v4",
            "file_overwrite": True,
        },
    }
    with override_settings(STORAGES={**settings.STORAGES, "private": private}):
        yield storages["private"]


def http_get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read(), dict(err.headers)


def test_presigned_redirect_serves_the_private_object(client, s3_private_storage):
    purchase = PurchasedProductFactory()
    product = purchase.product
    payload = b"PK\x03\x04 the real archive in the bucket"
    stored_name = s3_private_storage.save(product.file.name, ContentFile(payload))
    assert stored_name == product.file.name

    # The object is private: an anonymous GET is refused.
    public_url = s3_private_storage.url(stored_name).split("?", 1)[0]
    status, _, _ = http_get(public_url)
    assert status == 403

    client.force_login(purchase.user)
    minted = client.post(f"/downloads/{product.pk}/")
    assert minted.status_code == 302
    token = DownloadToken.objects.get()
    assert minted["Location"] == f"/downloads/t/{token.token}/"

    redirected = client.get(minted["Location"])
    assert redirected.status_code == 302
    presigned = redirected["Location"]
    query = parse_qs(urlsplit(presigned).query)
    assert query["X-Amz-Expires"] == ["600"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    filename = stored_name.rsplit("/", 1)[-1]
    disposition = query["response-content-disposition"][0]
    assert disposition.startswith("attachment;")
    assert filename in disposition

    status, body, headers = http_get(presigned)
    assert status == 200
    assert body == payload
    assert filename in headers.get("Content-Disposition", "")

    # Single use holds on this path too.
    assert client.get(minted["Location"]).status_code == 410


def test_local_route_is_404_with_s3_storage(client, s3_private_storage):
    purchase = PurchasedProductFactory()
    client.force_login(purchase.user)
    token = client.post(f"/downloads/{purchase.product.pk}/")["Location"].split("/")[-2]
    assert client.get(f"/downloads/local/{token}/").status_code == 404
    assert DownloadToken.objects.get().used_at is None
