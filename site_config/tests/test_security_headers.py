"""Content-Security-Policy, Permissions-Policy and Referrer-Policy on responses,
and, in Chromium, no policy violation on the shop's pages or Wagtail's editor."""

import json
import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import SellerFactory
from catalog.tests.factories import ProductPageFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_shop_pages_allow_only_our_own_scripts_and_styles(client):
    response = client.get("/account/login/")
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_htmx_is_told_not_to_inject_inline_styles_or_eval(client):
    html = client.get("/account/login/").content.decode()
    match = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', html)
    config = json.loads(match.group(1))
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False


def test_the_admin_gets_the_relaxed_policy_only_under_admin(client):
    response = client.get("/admin/login/")
    policy = directives(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]


def test_error_pages_carry_the_headers_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert directives(response)["script-src"] == ["'self'"]


def _csp_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


@pytest.mark.django_db(transaction=True)
def test_no_violation_in_the_shop_or_in_wagtails_page_editor(
    page, live_server, browser_sign_in
):
    seller = SellerFactory()
    product = ProductPageFactory(seller=seller, title="Policy Pack")
    violations = _csp_violations(page)

    # The shop: the listing with its htmx filter, and a product page.
    page.goto("/products/")
    page.wait_for_load_state("networkidle")
    page.goto(product.url)
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Policy Pack")).to_be_visible()

    # The admin: the page editor with its Draftail fields, panels and userbar.
    browser_sign_in(page.context, seller, live_server.url)
    page.goto(f"/admin/pages/{product.pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-draftail-input]").count() >= 1
    expect(page.get_by_role("button", name="Save draft")).to_be_visible()
    page.goto("/admin/")
    page.wait_for_load_state("networkidle")

    assert violations == []
