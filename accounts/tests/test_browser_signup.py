"""In Chromium: register, open the link from the captured e-mail, land signed in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User


@pytest.mark.django_db(transaction=True)
def test_register_verify_from_email_and_land_on_panel(page):
    page.goto("/")
    page.get_by_role("link", name="Register").click()
    page.get_by_label("E-mail").fill("browser@example.com")
    page.get_by_label("Full name").fill("Bea Browser")
    page.get_by_label("Password", exact=True).fill("amber-glacier-72")
    page.get_by_label("Password again").fill("amber-glacier-72")
    page.get_by_role("button", name="Create my account").click()

    page.wait_for_url("**/account/register/sent/")
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    (message,) = mail.outbox
    assert message.to == ["browser@example.com"]
    path = re.search(r"/account/verify/\S+/", message.body)[0]
    page.goto(path)

    page.wait_for_url("**/account/")
    expect(page.get_by_text("your e-mail address is confirmed")).to_be_visible()
    expect(page.locator(".badge", has_text=re.compile(r"^verified$"))).to_be_visible()
    assert page.get_by_text("not verified yet").count() == 0
    expect(page.get_by_role("navigation", name="Account")).to_be_visible()
    assert User.objects.get(email="browser@example.com").email_verified
