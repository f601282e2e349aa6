"""In a real browser: a seller copies a full short URL from the admin list."""

import pytest

from accounts.tests.factories import SellerFactory

from .factories import ShortLinkFactory


@pytest.mark.django_db(transaction=True)
def test_seller_copies_the_short_url(browser, live_server, settings):
    # The shop's public address, not the admin's host or Wagtail's site record.
    settings.SITE_URL = "https://shop.example.com"
    seller = SellerFactory(email="links@example.com")
    ShortLinkFactory(owner=seller, slug="copy-me", destination="/products/")
    context = browser.new_context(base_url=live_server.url)
    context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/admin/login/")
        page.fill("input[name=username]", "links@example.com")
        page.fill("input[name=password]", "correct-horse-9")
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")

        page.goto("/admin/snippets/shortlinks/shortlink/")
        field = page.locator("input[aria-label='Short URL']")
        assert field.input_value() == "https://shop.example.com/s/copy-me/"
        page.get_by_role("button", name="Copy", exact=True).click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == "https://shop.example.com/s/copy-me/"
    finally:
        context.close()
