"""Every public and account page in Chromium: axe finds nothing, phones don't scroll.

The demo store (``seed_demo``) is the content: the home page's blocks, the
catalogue, landing pages, the demo customer's library, orders and support request.
axe-core comes from the pinned ``axe-playwright-python`` package; any violation of
any impact fails the test, which names each page, rule and element.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect
from wagtail.models import Site

from accounts.demo import CUSTOMER
from accounts.models import User
from catalog.models import ProductPage
from commerce.models import Order, PurchasedProduct
from home.models import LandingPage
from maintenance.models import MaintenanceSettings
from support.models import SupportRequest

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONES = ({"width": 390, "height": 844}, {"width": 360, "height": 740})

AXE = Axe()


@pytest.fixture
def demo_store():
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=_Discard())
    customer = User.objects.get(email=CUSTOMER.email)
    owned = PurchasedProduct.objects.filter(user=customer).select_related("product")
    unowned = ProductPage.objects.live().exclude(pk__in=owned.values("product_id"))
    product = unowned.order_by("path").first()
    landings = [page.url for page in LandingPage.objects.live().order_by("path")]
    order = Order.objects.filter(user=customer).order_by("pk").first()
    support_request = SupportRequest.objects.filter(customer=customer).first()
    public = [
        "/",
        "/products/",
        "/products/?q=django&sort=price_asc",
        product.url,
        *landings,
        "/account/login/",
        "/account/login/link/",
        "/account/register/",
        "/account/password-reset/",
        "/account/password-reset/sent/",
        "/account/register/sent/",
        "/no-such-page/",
        # Links that no longer (or never did) work: each says so on a page.
        "/account/verify/not-a-token/",
        "/account/login/link/not-a-token/",
        "/account/password-reset/MQ/not-a-token/",
        "/newsletter/confirm/not-a-token/",
        "/updates/unsubscribe/not-a-token/",
    ]
    account = [
        "/account/",
        "/account/products/",
        f"/account/products/?bought={owned.first().product_id}",
        owned.first().product.url,
        "/account/orders/",
        "/account/support/",
        "/account/profile/",
        "/account/password/",
        "/account/become-a-seller/",
        f"/checkout/{product.pk}/",
        f"/checkout/return/{order.pk}/",
        f"/support/new/{owned.first().product_id}/",
        f"/support/{support_request.pk}/",
        f"/support/new/{product.pk}/",  # not owned: the 403 page
        f"/refunds/request/{owned.first().pk}/",
        "/downloads/t/not-a-token/",
    ]
    return {"customer": customer, "public": public, "account": account}


class _Discard:
    def write(self, *args, **kwargs):
        pass


def _violations(page) -> list[str]:
    results = AXE.run(page)
    found = []
    for violation in results.response["violations"]:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        found.append(
            f"{violation['impact']} {violation['id']} ({len(violation['nodes'])}): "
            f"{targets}"
        )
    return found


def _overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: no sideways scroll)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth,"
        " document.body.scrollWidth) - window.innerWidth"
    )


def _check(page, urls, problems):
    for url in urls:
        for viewport in (DESKTOP, *PHONES):
            page.set_viewport_size(viewport)
            response = page.goto(url)
            assert response is not None and response.status < 500, url
            # Signed-in pages must not have bounced to the login form.
            assert "/account/login/" not in page.url or url.startswith(
                "/account/login/"
            ), url
            width = viewport["width"]
            if width != 360:
                for violation in _violations(page):
                    problems.append(f"{url} @{width}px: {violation}")
            if width != 1280 and (extra := _overflow(page)) > 0:
                problems.append(f"{url} @{width}px: {extra}px sideways scroll")


def test_axe_and_phone_widths_on_every_public_and_account_page(
    page, browser, live_server, browser_sign_in, demo_store
):
    problems: list[str] = []
    _check(page, demo_store["public"], problems)

    # The header's "Log in" stays on one line on the narrowest phone.
    page.set_viewport_size(PHONES[1])
    page.goto("/products/")
    login = page.get_by_role("link", name="Log in", exact=True)
    line = login.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    if login.bounding_box()["height"] >= 1.5 * line:
        problems.append("header: 'Log in' wraps at 360px")

    account = browser.new_context(base_url=live_server.url)
    account.set_default_timeout(15_000)
    try:
        browser_sign_in(account, demo_store["customer"], live_server.url)
        _check(account.new_page(), demo_store["account"], problems)
    finally:
        account.close()

    assert problems == [], "\n".join(problems)


def test_axe_on_the_maintenance_page(page):
    setting = MaintenanceSettings.for_site(Site.objects.get(is_default_site=True))
    setting.enabled = True
    setting.message = "Back after lunch."
    setting.save()
    problems = []
    for viewport in (DESKTOP, PHONES[0]):
        page.set_viewport_size(viewport)
        assert page.goto("/").status == 503
        problems += _violations(page)
        assert _overflow(page) <= 0
    assert problems == [], "\n".join(problems)


def test_account_tables_become_cards_on_phones(
    page, live_server, browser_sign_in, demo_store
):
    browser_sign_in(page.context, demo_store["customer"], live_server.url)
    for url in ("/account/orders/", "/account/support/"):
        page.set_viewport_size(DESKTOP)
        page.goto(url)
        expect(page.locator("thead")).to_be_visible()
        assert (
            page.locator("tbody tr").first.evaluate(
                "el => getComputedStyle(el).display"
            )
            == "table-row"
        )
        page.set_viewport_size(PHONES[1])
        page.goto(url)
        row = page.locator("tbody tr").first
        assert row.evaluate("el => getComputedStyle(el).display") == "block"
        # The header row is left to screen readers (1px, clipped).
        assert page.locator("thead").bounding_box()["height"] <= 1
        # Each cell names its column in the card.
        label = row.locator("td").first.evaluate(
            "el => getComputedStyle(el, '::before').content"
        )
        assert label not in ("none", "normal", '""'), url
        assert _overflow(page) <= 0, url
