"""The product form: sellers type prices in major units; pages keep minor units."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from accounts.tests.factories import SellerFactory
from catalog.models import ProductPage
from catalog.tests.factories import ProductPageFactory

pytestmark = pytest.mark.django_db


def _form(product, **overrides):
    data = {
        "title": product.title,
        "slug": product.slug,
        "summary": "s",
        "description": rich_text("<p>d</p>"),
        "price": "25.00",
        "currency": product.currency,
        "tax_category": "digital_products",
        "file_version": "1.0",
        "releases": inline_formset([]),
        "gallery_images": inline_formset([]),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.fixture
def seller_product(client):
    seller = SellerFactory()
    product = ProductPageFactory(seller=seller, price=2500, selling_price=1999)
    client.force_login(seller)
    return product


def test_edit_form_shows_major_units(client, seller_product):
    html = client.get(f"/admin/pages/{seller_product.pk}/edit/").content.decode()
    assert 'name="price" value="25.00"' in html
    assert 'name="selling_price" value="19.99"' in html
    assert "e.g. 19.99" in html


def test_major_units_are_saved_as_exact_minor_units(client, seller_product):
    response = client.post(
        f"/admin/pages/{seller_product.pk}/edit/",
        _form(seller_product, price="0.29", selling_price=""),
    )
    assert response.status_code == 302
    product = ProductPage.objects.get(pk=seller_product.pk)
    assert (product.price, product.selling_price) == (29, None)

    client.post(
        f"/admin/pages/{seller_product.pk}/edit/",
        _form(seller_product, price="1234.56", selling_price="1000.1"),
    )
    product.refresh_from_db()
    assert (product.price, product.selling_price) == (123456, 100010)


@pytest.mark.parametrize(
    ("price", "error"),
    [
        ("19.999", "USD has 2 decimals at most."),
        ("0", "Enter a price above zero."),
        ("abc", "Enter a number."),
    ],
)
def test_prices_that_would_be_rounded_are_refused(client, seller_product, price, error):
    response = client.post(
        f"/admin/pages/{seller_product.pk}/edit/", _form(seller_product, price=price)
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    seller_product.refresh_from_db()
    assert seller_product.price == 2500


def test_a_currency_without_decimals_takes_whole_amounts(client, seller_product):
    url = f"/admin/pages/{seller_product.pk}/edit/"
    seller_product.currency = "JPY"
    response = client.post(url, _form(seller_product, price="1500.5"))
    assert "JPY has no decimals: enter a whole amount." in response.content.decode()
    response = client.post(url, _form(seller_product, price="1500", selling_price=""))
    assert response.status_code == 302
    product = ProductPage.objects.get(pk=seller_product.pk)
    assert (product.price, product.currency) == (1500, "JPY")
    html = client.get(url).content.decode()
    assert 'name="price" value="1500"' in html
