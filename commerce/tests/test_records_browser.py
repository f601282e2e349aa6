"""The seller's Orders screen in Chromium at 1280 px: the filter panel beside the
table (never over a column), e-mails on one line, status labels coloured."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import SellerFactory, UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.models import OrderStatus
from commerce.money import format_money
from commerce.tests.factories import OrderFactory, PaidOrderFactory


@pytest.mark.django_db(transaction=True)
def test_orders_screen_layout(page, live_server, browser_sign_in):
    seller = SellerFactory()
    product = ProductPageFactory(seller=seller, title="Icon Pack")
    buyer = UserFactory(email="a.rather.long.address.of.a.buyer@example-mail.com")
    paid_order = PaidOrderFactory(user=buyer, product=product)
    OrderFactory(user=buyer, product=product, status=OrderStatus.FAILED)

    page.set_viewport_size({"width": 1280, "height": 900})
    browser_sign_in(page.context, seller, live_server.url)
    page.goto("/admin/commerce/order/")
    table = page.locator(".result-list table.listing")
    table.wait_for(state="visible")
    filters = page.locator(".changelist-filter")
    result_box = page.locator(".result-list").bounding_box()
    filter_box = filters.bounding_box()
    # Side by side: the filter starts where the result column ends.
    assert filter_box["x"] >= result_box["x"] + result_box["width"] - 1
    # The table stays within its column (it scrolls there when too wide).
    assert table.bounding_box()["x"] >= result_box["x"] - 1

    email = page.locator("td.field-user").first
    assert "example-mail.com" in email.inner_text()
    # The address is laid out on one line (one box per rendered line of text).
    lines = email.evaluate(
        """el => { const r = document.createRange(); r.selectNodeContents(el);
            const tops = [...r.getClientRects()].map(b => Math.round(b.top));
            return new Set(tops).size; }"""
    )
    assert lines == 1

    paid = page.locator("[data-status=paid]").first
    declined = page.locator("[data-status=failed]").first
    assert paid.inner_text() == "Paid" and declined.inner_text() == "Declined"
    paid_colour = paid.evaluate("el => getComputedStyle(el).backgroundColor")
    declined_colour = declined.evaluate("el => getComputedStyle(el).backgroundColor")
    assert paid_colour != declined_colour
    assert page.locator("img[src*='icon-yes'], img[src*='icon-no']").count() == 0
    # Amounts read as money ("$17.00"), never in cents ("1700 USD").
    prices = page.locator("td.field-price").all_inner_texts()
    expected = format_money(paid_order.amount, paid_order.currency)
    assert prices and set(prices) == {expected}, prices
    assert expected.startswith("$") and "USD" not in expected
    # Both exports are offered: XLSX, and CSV under the button's menu.
    expect(page.get_by_role("link", name="Download XLSX")).to_be_visible()
    page.locator(
        ".w-dropdown-button button, [data-w-dropdown-target=toggle]"
    ).first.click()
    csv_link = page.get_by_role("link", name="Download CSV")
    csv_link.wait_for(state="visible")
    assert "export=csv" in csv_link.get_attribute("href")
