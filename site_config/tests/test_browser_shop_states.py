"""In Chromium: error pages, maintenance, order history colours and the decline page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Site

from accounts.tests.factories import StaffFactory, UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.models import Order
from commerce.tests.factories import OrderFactory, PaidOrderFactory
from maintenance.models import MaintenanceSettings

pytestmark = pytest.mark.django_db(transaction=True)


def landmarks(page):
    return {
        role: page.get_by_role(role).count()
        for role in ("banner", "main", "contentinfo")
    }


def test_support_on_an_unowned_product_is_the_branded_403(
    page, live_server, browser_sign_in
):
    product = ProductPageFactory()
    browser_sign_in(page.context, UserFactory(), live_server.url)
    response = page.goto(f"/support/new/{product.pk}/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == (
        "You can’t open this page"
    )
    assert page.get_by_text("Support is available only for products you own.").count()
    assert landmarks(page) == {"banner": 1, "main": 1, "contentinfo": 1}
    assert page.title() == "Not allowed · Storefront"


def test_maintenance_page_has_no_account_links_and_staff_get_a_banner(
    page, browser, live_server, browser_sign_in
):
    setting = MaintenanceSettings.for_site(Site.objects.get(is_default_site=True))
    setting.enabled = True
    setting.message = "New shelves going up."
    setting.save()

    response = page.goto("/account/login/")
    assert response.status == 503
    assert page.get_by_text("New shelves going up.").count() == 1
    assert page.get_by_role("link", name="Log in").count() == 0
    assert page.get_by_role("link", name="Register").count() == 0
    assert landmarks(page) == {"banner": 1, "main": 1, "contentinfo": 1}

    staff = browser.new_context(base_url=live_server.url)
    try:
        browser_sign_in(staff, StaffFactory(), live_server.url)
        tab = staff.new_page()
        assert tab.goto("/products/").status == 200
        banner = tab.locator(".maintenance-banner")
        assert "closed to everyone else" in banner.inner_text()
        assert banner.get_attribute("role") == "status"
    finally:
        staff.close()


def test_order_history_colours_and_folds_declined_attempts(
    page, live_server, browser_sign_in
):
    buyer = UserFactory()
    product = ProductPageFactory(title="Icon Pack", price=1700, currency="USD")
    for minutes in (30, 20):
        failed = OrderFactory(user=buyer, product=product, status="failed")
        Order.objects.filter(pk=failed.pk).update(
            created_at=timezone.now() - timedelta(minutes=minutes)
        )
    paid = PaidOrderFactory(user=buyer, product=product)
    lone = OrderFactory(user=buyer, status="failed")
    browser_sign_in(page.context, buyer, live_server.url)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/account/orders/")

    paid_label = page.locator(f"tr[data-order-id='{paid.pk}'] .status-label")
    lone_label = page.locator(f"tr[data-order-id='{lone.pk}'] .status-label")
    assert paid_label.inner_text() == "Paid"
    assert lone_label.inner_text() == "Declined"
    colour = "el => getComputedStyle(el).color"
    assert paid_label.evaluate(colour) == "rgb(4, 120, 87)"  # green
    assert lone_label.evaluate(colour) == "rgb(185, 28, 28)"  # red
    assert page.locator("tbody tr").count() == 2

    attempts = page.locator(f"tr[data-order-id='{paid.pk}'] details")
    assert attempts.locator("summary").inner_text() == "2 declined attempts"
    expect(attempts.locator("p")).to_be_hidden()
    attempts.locator("summary").click()
    assert "did not go through" in attempts.locator("p").inner_text()


def test_the_decline_page_says_declined(page, live_server, browser_sign_in):
    order = OrderFactory(status="failed")
    browser_sign_in(page.context, order.user, live_server.url)
    page.goto(f"/checkout/return/{order.pk}/")
    text = page.locator("#order-status").inner_text()
    assert f"Order #{order.pk}" in text and "was declined." in text


def test_home_page_title(page):
    page.goto("/")
    assert page.title() == "Storefront"
