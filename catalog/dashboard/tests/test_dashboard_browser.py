"""The seller's admin home renders the revenue chart in a real browser."""

import pytest
from playwright.sync_api import expect

from .fixtures import build_shop


@pytest.mark.django_db(transaction=True)
def test_seller_dashboard_renders_chart(page):
    shop = build_shop()

    page.goto("/admin/login/")
    page.fill("input[name=username]", shop.seller.email)
    page.fill("input[name=password]", "correct-horse-9")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")

    chart = page.locator("svg.revenue-chart[data-currency=USD]")
    chart.wait_for(state="visible")
    box = chart.bounding_box()
    assert box["width"] > 200 and box["height"] > 50
    assert chart.locator("rect").count() == 13
    # The current month's bar is drawn at full height (it is the best month).
    current = chart.locator(".revenue-chart__month--current rect")
    assert float(current.get_attribute("height")) > 100
    expect(page.locator("svg.revenue-chart[data-currency=EUR]")).to_be_visible()
    assert page.locator("[data-stat=customers]").inner_text() == "2"
    assert "Other Course" not in page.content()
