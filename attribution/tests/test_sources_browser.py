"""The seller's Sources panel in Chromium, after a purchase through a short link."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.tests.factories import SellerFactory, UserFactory
from attribution.models import OrderTouch
from catalog.tests.factories import ProductPageFactory
from shortlinks.services import shortlink_hits_flush
from shortlinks.tests.factories import ShortLinkFactory


@pytest.mark.django_db(transaction=True)
def test_sources_panel_shows_sales_by_source_and_per_short_link(
    page, live_server, settings
):
    settings.SITE_URL = live_server.url
    settings.DODO_SANDBOX_IN_PROCESS = False  # the sandbox answers over the socket
    seller = SellerFactory(full_name="Ada Seller")
    product = ProductPageFactory(seller=seller, title="Icon Pack", price=2500)
    ShortLinkFactory(owner=seller, slug="ig", destination=product.url)
    ShortLinkFactory(owner=seller, slug="quiet", destination="/")
    rival = SellerFactory()
    ShortLinkFactory(owner=rival, slug="rivals", destination="/")

    # A shopper arrives through the short link, signs in, buys in the sandbox.
    buyer = UserFactory()
    shopper = page.context.browser.new_context(base_url=live_server.url)
    tab = shopper.new_page()
    tab.goto("/s/ig/")
    tab.wait_for_url(f"**{product.url}")
    client = Client()
    client.force_login(buyer)
    shopper.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    tab.goto(f"/checkout/{product.pk}/")
    tab.select_option("select[name=country]", "DE")
    tab.fill("input[name=street]", "Hauptstr. 1")
    tab.fill("input[name=city]", "Berlin")
    tab.fill("input[name=zipcode]", "10115")
    tab.get_by_role("button", name="Continue to payment").click()
    tab.wait_for_url("**/dodo-sandbox/checkout/**")
    tab.get_by_role("button", name="Pay", exact=True).click()
    tab.wait_for_url("**/account/products/**")
    shopper.close()
    assert OrderTouch.objects.filter(kind="last", short_link__slug="ig").count() == 1

    # The seller signs in to the admin: the Sources panel tells what sold.
    shortlink_hits_flush()  # with Redis, hits wait in a buffer for Beat
    page.goto("/admin/login/")
    page.fill("input[name=username]", seller.email)
    page.fill("input[name=password]", "correct-horse-9")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    panel = page.locator("#seller-sources-section, [id^=seller-sources]").first
    panel.wait_for(state="visible")
    sources = page.locator("[data-table=sales-by-source]")
    expect(sources).to_be_visible()
    assert sources.locator("tbody tr").count() == 1
    assert sources.locator("tbody tr td").first.inner_text() == "Short link /s/ig/"
    links = page.locator("[data-table=short-link-sales]")
    ig = links.locator("tr[data-link=ig]")
    assert ig.locator("[data-hits]").inner_text() == "1"
    assert ig.locator("[data-sales]").inner_text() == "1"
    assert ig.locator("[data-conversion]").inner_text() == "100.0%"
    assert ig.locator("[data-revenue]").inner_text() == "$25.00"
    assert links.locator("tr[data-link=quiet] [data-conversion]").inner_text() == "—"
    assert links.locator("tr[data-link=rivals]").count() == 0
    box = links.bounding_box()
    assert box["width"] > 300

    # Switching the credit to the first touch keeps the short link's sale.
    page.click("text=first touch")
    page.wait_for_url("**credit=first**")
    expect(page.locator("[data-credit=first]")).to_be_visible()
    assert page.locator("[data-table=sales-by-source] tbody tr").count() == 1
