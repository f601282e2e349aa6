"""The browser harness: Debian's Chromium, driven by Playwright, against live_server."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_renders_in_browser(page):
    page.goto("/")
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.get_by_role("link", name="Products", exact=True)).to_be_visible()
    assert page.get_by_role("heading", level=1).inner_text()


def test_admin_login_works_in_browser(page):
    StaffFactory(email="boss@example.com", password="Sturdy-pass-123")

    page.goto("/admin/")
    page.fill("input[name=username]", "boss@example.com")
    page.fill("input[name=password]", "Sturdy-pass-123")
    page.click("button[type=submit]")

    page.wait_for_url("**/admin/")
    assert "Dashboard" in page.title() or page.locator("#wagtail-sidebar").count()
