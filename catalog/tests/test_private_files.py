import pytest
from django.core.files.storage import storages
from django.test import override_settings

from catalog.tests.factories import ProductPageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
def test_product_file_is_not_served_at_any_public_url(client, settings, debug):
    product = ProductPageFactory(title="Secret Archive")
    name = product.file.name
    assert storages["private"].exists(name)
    assert not str(storages["private"].path(name)).startswith(str(settings.MEDIA_ROOT))
    guesses = [
        f"/media/{name}",
        f"/media/private/{name}",
        f"/private/{name}",
        f"/{name}",
        f"/products/{name}",
        f"/documents/{name}",
        f"/static/{name}",
        f"{product.url}{name.rsplit('/', 1)[-1]}",
    ]
    with override_settings(DEBUG=debug):
        for url in guesses:
            response = client.get(url)
            assert response.status_code == 404, url
            assert b"PK\x03\x04" not in b"".join(
                getattr(response, "streaming_content", [response.content])
            )


def test_product_pages_never_print_the_file_path(client):
    product = ProductPageFactory(title="Hidden Path")
    html = client.get(product.url).content.decode()
    assert product.file.name not in html
    assert product.file.name not in client.get("/products/").content.decode()


def test_dev_media_route_does_not_reach_private_files(rf, settings):
    """In DEBUG, ``/media/`` is Django's static serve view over MEDIA_ROOT only."""
    from django.core.exceptions import SuspiciousFileOperation
    from django.http import Http404
    from django.views.static import serve

    product = ProductPageFactory(title="Dev Served")
    for path in (product.file.name, f"../test-private/{product.file.name}"):
        with pytest.raises((Http404, SuspiciousFileOperation)):
            serve(rf.get(f"/media/{path}"), path, document_root=settings.MEDIA_ROOT)
