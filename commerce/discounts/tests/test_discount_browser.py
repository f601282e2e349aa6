"""In Chromium: a discount code at checkout, the new total, and the discounted
purchase through the sandbox's hosted page (over a real socket)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.models import Order, OrderStatus

from .factories import DiscountCodeFactory


@pytest.mark.django_db(transaction=True)
def test_a_buyer_applies_a_code_and_pays_the_discounted_total(
    page, live_server, settings, browser_sign_in
):
    settings.DODO_SANDBOX_IN_PROCESS = False
    settings.SITE_URL = live_server.url
    product = ProductPageFactory(title="Type Specimen", price=4000)
    DiscountCodeFactory(seller=product.seller, code="SPRING25", products=[product])
    DiscountCodeFactory(
        seller=product.seller,
        code="OLDCODE",
        products=[product],
        expires_at=timezone.now() - timedelta(days=1),
    )
    buyer = UserFactory()
    browser_sign_in(page.context, buyer, live_server.url)

    page.goto(f"/checkout/{product.pk}/")
    assert page.get_by_test_id("checkout-total").inner_text() == "$40.00"
    page.select_option("select[name=country]", "US")
    page.fill("input[name=discount_code]", "oldcode")
    page.get_by_role("button", name="Apply code").click()
    assert (
        page.get_by_test_id("discount-error").inner_text()
        == "The code OLDCODE has expired."
    )
    assert page.get_by_test_id("checkout-total").inner_text() == "$40.00"

    page.fill("input[name=discount_code]", "spring25")
    page.get_by_role("button", name="Apply code").click()
    # Waits for the answer: the page before it showed $40.00 there.
    expect(page.get_by_test_id("checkout-total")).to_have_text("$30.00")
    assert "SPRING25" in page.get_by_test_id("discount-line").inner_text()
    # The address typed before applying the code is still there.
    assert page.locator("select[name=country]").input_value() == "US"
    page.get_by_role("button", name="Continue to payment").click()

    page.wait_for_url("**/dodo-sandbox/checkout/**")
    expect(page.get_by_role("heading", name="Pay $30.00")).to_be_visible()
    page.get_by_role("button", name="Pay", exact=True).click()
    page.wait_for_url(f"**/account/products/?bought={product.pk}*")

    order = Order.objects.get(user=buyer)
    assert order.status == OrderStatus.PAID
    assert (order.total_amount, order.discount_codes) == (3000, "SPRING25")
    page.goto("/account/orders/")
    row = page.get_by_text("Type Specimen").locator("xpath=ancestor::tr")
    assert "$30.00" in row.inner_text() and "SPRING25" in row.inner_text()
