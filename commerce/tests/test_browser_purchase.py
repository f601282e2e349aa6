"""A real purchase in Chromium: checkout → sandbox hosted page → Pay → account."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.models import Order, OrderStatus, PurchasedProduct


@pytest.mark.django_db(transaction=True)
def test_buy_a_product_through_the_sandbox_page(
    page, live_server, settings, browser_sign_in
):
    # Over a real socket this time: the SDK and the sandbox's webhook both call
    # the live server, as in ``make run``.
    settings.DODO_SANDBOX_IN_PROCESS = False
    settings.SITE_URL = live_server.url
    product = ProductPageFactory(title="Vector Icon Pack", price=2900)
    buyer = UserFactory(full_name="Bea Buyer")
    browser_sign_in(page.context, buyer, live_server.url)

    page.goto(f"/checkout/{product.pk}/")
    expect(page.get_by_text("$29.00")).to_be_visible()
    page.select_option("select[name=country]", "NL")
    page.fill("input[name=city]", "Utrecht")
    page.get_by_role("button", name="Continue to payment").click()

    page.wait_for_url("**/dodo-sandbox/checkout/**")
    expect(page.get_by_text("Vector Icon Pack")).to_be_visible()
    page.get_by_role("button", name="Pay", exact=True).click()

    # The buyer lands on the product in their library: its Download, the receipt.
    page.wait_for_url(f"**/account/products/?bought={product.pk}#product-{product.pk}")
    expect(
        page.get_by_text("“Vector Icon Pack” is yours: download it below")
    ).to_be_visible()
    expect(
        page.get_by_text(f"Your receipt is on its way to {buyer.email}")
    ).to_be_visible()
    item = page.locator(f"#product-{product.pk}")
    assert "library-item--new" in item.get_attribute("class")
    expect(item.get_by_role("button", name="Download", exact=True)).to_be_visible()
    expect(item.get_by_text("Just bought.")).to_be_visible()
    (receipt,) = [m for m in mail.outbox if m.to == [buyer.email]]
    assert receipt.subject.startswith("Your receipt for “Vector Icon Pack”")
    order = Order.objects.get(user=buyer)
    assert order.status == OrderStatus.PAID
    assert order.billing_country == "NL"
    assert PurchasedProduct.objects.active().filter(user=buyer, product=product)

    # The product page now offers the download instead of "Buy now"...
    page.goto(product.get_url())
    assert page.get_by_role("link", name="Buy now").count() == 0
    download = page.get_by_role("button", name="Download", exact=True)
    form = download.locator("xpath=ancestor::form")
    assert form.get_attribute("action") == f"/downloads/{product.pk}/"
    assert form.get_attribute("method") == "post"
    # ...and it delivers the product's file through a single-use link.
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename == product.file.name.rsplit("/", 1)[-1]
