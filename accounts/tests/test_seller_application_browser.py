"""The home page's "Become a seller" in Chromium: via login, or signed in already."""

import pytest
from playwright.sync_api import expect

from accounts.models import SellerApplication
from accounts.tests.factories import UserFactory
from home.site_tree import ensure_site_tree

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def home_with_cta():
    """The home page with the demo's own call to action (what ``make run`` shows)."""
    from home.demo import _home_body

    home = ensure_site_tree()
    home.body = [b for b in _home_body() if b["type"] == "call_to_action"]
    home.save_revision().publish()
    return home


def test_anonymous_visitor_logs_in_and_lands_on_the_form(page, home_with_cta):
    user = UserFactory(email="cleo@example.com", full_name="Cleo Customer")
    page.goto("/")
    page.get_by_role("link", name="Become a seller").click()
    page.wait_for_url("**/account/login/?next=/account/become-a-seller/")
    page.fill("input[name=username]", "cleo@example.com")
    page.fill("input[name=password]", "correct-horse-9")
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url("**/account/become-a-seller/")
    expect(page.get_by_role("heading", name="Sell with us")).to_be_visible()
    assert page.get_by_label("Name you sell under").input_value() == "Cleo Customer"
    page.get_by_label("Name you sell under").fill("Cleo's Fonts")
    page.get_by_label("What you sell").fill("Display typefaces for posters.")
    page.get_by_role("button", name="Send my application").click()

    page.wait_for_url("**/account/become-a-seller/")
    expect(page.get_by_text("Your application is sent")).to_be_visible()
    expect(page.get_by_text("Your application is waiting for review")).to_be_visible()
    application = SellerApplication.objects.get()
    assert (application.user, application.seller_name) == (user, "Cleo's Fonts")


def test_signed_in_customer_goes_straight_to_the_form(
    page, live_server, browser_sign_in, home_with_cta
):
    browser_sign_in(page.context, UserFactory(), live_server.url)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.get_by_role("link", name="Become a seller").click()
    page.wait_for_url("**/account/become-a-seller/")
    expect(page.get_by_role("button", name="Send my application")).to_be_visible()
