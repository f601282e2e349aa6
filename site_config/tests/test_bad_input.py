"""Junk in paths, queries, filters and uploads is a 4xx or a form error, never a 500."""

import io

import pytest
from PIL import Image
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from accounts.tests.factories import SellerFactory, StaffFactory
from catalog.tests.factories import ProductPageFactory
from commerce.tests.factories import PaidOrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    product = ProductPageFactory(title="Theme Kit")
    PaidOrderFactory(product=product)
    return product


@pytest.mark.parametrize(
    "url",
    [
        "/s/%00/",
        "/s/a%00b/",
        "/products/?q=%00",
        "/products/?q=kit%00",
        "/products/?category=%00",
        "/products/?category=a&category=%00",
        "/products/?%00=1",
        "/downloads/local/%00/",
        "/downloads/t/%00/",
        "/account/login/?next=%00",
    ],
)
def test_nul_bytes_in_public_urls_are_a_bad_request(client, shop, url):
    response = client.get(url)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "product=abc",
        "product=%00",
        "product=1.5",
        "status__exact=%00",
        "created_at__gte=not-a-date",
        "q=%00",
    ],
)
@pytest.mark.parametrize(
    "listing", ["/admin/commerce/order/", "/admin/commerce/purchasedproduct/"]
)
def test_junk_filters_on_record_listings_are_a_bad_request(
    client, shop, listing, query
):
    client.force_login(StaffFactory())
    response = client.get(f"{listing}?{query}")
    assert response.status_code in (200, 400)
    assert client.get(f"{listing}?{query}").status_code < 500


def test_a_non_numeric_product_filter_is_refused_not_a_500(client, shop):
    client.force_login(StaffFactory())
    assert client.get("/admin/commerce/order/?product=abc").status_code == 400
    ok = client.get(f"/admin/commerce/order/?product={shop.pk}")
    assert ok.status_code == 200


def _gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 200, 10)).save(buffer, format="GIF")
    return buffer.getvalue()


def test_a_truncated_image_upload_is_a_form_error(client):
    client.force_login(SellerFactory())
    truncated = io.BytesIO(_gif_bytes()[:40])
    truncated.name = "broken.gif"
    response = client.post(
        "/admin/images/add/", {"title": "Broken", "file": truncated, "collection": 1}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("file")
    assert not get_image_model().objects.filter(title="Broken").exists()


def test_a_truncated_image_in_the_multiple_uploader_is_an_error(client):
    client.force_login(SellerFactory())
    truncated = io.BytesIO(_gif_bytes()[:40])
    truncated.name = "broken.gif"
    response = client.post("/admin/images/multiple/add/", {"files[]": truncated})
    assert response.status_code < 500
    assert response.json()["success"] is False
    assert not get_image_model().objects.exists()


def test_raw_html_in_a_product_description_is_saved_not_a_500(client):
    seller = SellerFactory()
    product = ProductPageFactory(seller=seller, title="Kit")
    client.force_login(seller)
    data = nested_form_data(
        {
            "title": "Kit",
            "slug": product.slug,
            "summary": "s",
            "description": "<p>Raw <b>HTML</b> <script>alert(1)</script></p>",
            "price": "10.00",
            "currency": "USD",
            "tax_category": "digital_products",
            "releases": inline_formset([]),
            "gallery_images": inline_formset([]),
        }
    )
    response = client.post(f"/admin/pages/{product.pk}/edit/", data)
    assert response.status_code == 302
    product.refresh_from_db()
    saved = product.get_latest_revision_as_object().description
    assert "<b>HTML</b>" in saved
    assert "<script" not in saved
