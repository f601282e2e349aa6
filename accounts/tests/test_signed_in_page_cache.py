"""A signed-in customer's product pages, kept per user (accounts.signed_in_page_cache).

The cache is on here (test settings switch it off elsewhere); changes commit
through the ``committed`` fixture, so invalidation runs as in production.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import SellerFactory, UserFactory
from catalog.tests.factories import ProductPageFactory, publish_release
from commerce.services.orders import purchase_revoke
from commerce.tests.factories import PaidOrderFactory, PurchasedProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PANEL_CACHE_SECONDS = 600


def buy(user, product):
    return PurchasedProductFactory(order=PaidOrderFactory(user=user, product=product))


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def warm(client, url) -> str:
    for _ in range(3):
        response = get(client, url)
        if response.get("X-Panel-Cache") == "hit":
            return response.content.decode()
    raise AssertionError(f"{url} never came from the cache")


def state(client, url) -> tuple[str | None, str]:
    response = get(client, url)
    return response.get("X-Panel-Cache"), response.content.decode()


def download_form(product) -> str:
    return f'action="/downloads/{product.pk}/"'


@pytest.fixture
def owner(client, committed):
    user = UserFactory(full_name="Ada Owner")
    product = ProductPageFactory()
    with committed():
        purchase = buy(user, product)
    client.force_login(user)
    return user, product, purchase


def test_owner_page_comes_from_the_cache_with_a_fixed_budget(client, owner):
    user, product, _ = owner
    html = warm(client, product.url)
    assert download_form(product) in html
    assert "Ada" in html
    with CaptureQueriesContext(connection) as queries:
        response = get(client, product.url)
    assert response["X-Panel-Cache"] == "hit"
    assert "private" in response["Cache-Control"]
    # The user, and whether they own the product (never taken from the cache);
    # the session too unless it comes from the cache (with Redis).
    session = 0 if settings.SESSION_ENGINE == "site_config.sessions" else 1
    assert len(queries) == 2 + session


def test_the_csrf_token_is_the_requests_own_and_valid(owner, committed):
    user, product, _ = owner
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    with committed():
        pass
    html = warm(client, product.url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert "__panel-csrf" not in html
    response = client.post(f"/downloads/{product.pk}/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_revoked_purchase_loses_its_download_button_at_once(client, owner):
    user, product, purchase = owner
    warm(client, product.url)
    # No commit: the cache hears nothing, ownership is read on every hit.
    purchase_revoke(order_id=purchase.order_id, reason="refund")
    cached, html = state(client, product.url)
    assert cached == "miss"
    assert download_form(product) not in html
    assert f'href="/checkout/{product.pk}/"' in html


def test_a_purchase_turns_buy_now_into_download_at_once(client, committed):
    user = UserFactory()
    product = ProductPageFactory()
    client.force_login(user)
    with committed():
        pass
    assert f'href="/checkout/{product.pk}/"' in warm(client, product.url)
    buy(user, product)
    assert download_form(product) in state(client, product.url)[1]


def test_a_publish_and_a_name_change_show(client, owner, committed):
    user, product, _ = owner
    warm(client, product.url)
    with committed():
        publish_release(product, version="3.1.0", changes="New chapter")
    cached, html = state(client, product.url)
    assert (cached, "3.1.0" in html) == ("miss", True)
    warm(client, product.url)
    with committed():
        user.full_name = "Grace Renamed"
        user.save()
    cached, html = state(client, product.url)
    assert (cached, "Grace" in html) == ("miss", True)


def test_pages_are_per_user(client, owner, committed):
    user, product, _ = owner
    warm(client, product.url)
    other = UserFactory(full_name="Zed Other")
    other_client = Client()
    other_client.force_login(other)
    with committed():
        pass
    html = warm(other_client, product.url)
    assert "Zed" in html and "Ada" not in html
    assert download_form(product) not in html


def test_people_who_work_in_the_admin_are_never_cached(client, committed):
    seller = SellerFactory()
    product = ProductPageFactory()
    client.force_login(seller)
    with committed():
        pass
    for _ in range(3):
        assert get(client, product.url).get("X-Panel-Cache") is None


def test_a_page_showing_messages_is_neither_served_nor_stored(client, owner):
    user, product, _ = owner
    warm(client, product.url)
    # A message waiting (as after a redirect): this response shows it.
    client.cookies["messages"] = "x"
    assert state(client, product.url)[0] is None
    del client.cookies["messages"]
    assert state(client, product.url)[0] == "hit"


def test_panel_page_shows_a_message_once_and_keeps_the_page_clean(client, owner, rf):
    warm(client, "/account/products/")
    # As after the refund request form's redirect: a message in its cookie.
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.SUCCESS, "Refund requested.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    first = client.get("/account/products/")
    assert "Refund requested." in first.content.decode()
    assert first.get("X-Panel-Cache") == "miss"
    assert first.cookies["messages"]["max-age"] == 0  # a browser drops it
    del client.cookies["messages"]
    assert "Refund requested." not in warm(client, "/account/products/")
