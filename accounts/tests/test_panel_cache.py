"""The signed-in panel's per-user list cache (accounts.panel_cache).

The cache is on here (test settings switch it off elsewhere) and every change
commits through the ``committed`` fixture, as in production: invalidation runs
after the commit.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import panel_cache
from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory, publish_release
from commerce.licenses.models import LicenseKey
from commerce.licenses.services import LicenseKeyFacts, license_key_state_record
from commerce.models import OrderStatus
from commerce.refund_requests.services import refund_request_open
from commerce.services.orders import purchase_restore, purchase_revoke, purchase_suspend
from commerce.tests.factories import PaidOrderFactory, PurchasedProductFactory
from site_config.tests.faults import seconds_left
from support.models import SupportStatus
from support.services import support_request_create, support_request_transition

pytestmark = pytest.mark.django_db

LIBRARY = "/account/products/"
ORDERS = "/account/orders/"
SUPPORT = "/account/support/"


@pytest.fixture(autouse=True)
def _panel_cache_on(settings):
    settings.PANEL_CACHE_SECONDS = 600


def buy(user, **product_kwargs):
    product = ProductPageFactory(**product_kwargs)
    return PurchasedProductFactory(order=PaidOrderFactory(user=user, product=product))


def download_form(product) -> str:
    return f'action="/downloads/{product.pk}/"'


def served(client, url, *, hit: bool) -> str:
    """The page's HTML; asserts whether its list came from the cache."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Panel-Cache"] == ("hit" if hit else "miss"), url
    return response.content.decode()


def warm(client, url) -> str:
    """Visit until the list is stored (a first visit starts the user's generation)."""
    for _ in range(3):
        response = client.get(url)
        if response["X-Panel-Cache"] == "hit":
            return response.content.decode()
    raise AssertionError(f"{url} never came from the cache")


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def buyer(client, committed):
    user = UserFactory()
    client.force_login(user)
    with committed():
        pass
    return user


def test_second_visit_is_served_from_the_cache_with_a_fixed_query_budget(
    client, buyer, committed
):
    with committed():
        for _ in range(2):
            buy(buyer)
    for url in (LIBRARY, ORDERS, SUPPORT):
        warm(client, url)
    few = {url: count_queries(client, url) for url in (LIBRARY, ORDERS, SUPPORT)}

    with committed():
        for _ in range(15):
            buy(buyer)
    for url in (LIBRARY, ORDERS, SUPPORT):
        served(client, url, hit=False)  # the purchases changed
        served(client, url, hit=True)
    many = {url: count_queries(client, url) for url in (LIBRARY, ORDERS, SUPPORT)}
    assert few == many
    # The user, and the session unless it comes from the cache (with Redis); the
    # library also reads which purchases are active.
    session = 0 if settings.SESSION_ENGINE == "site_config.sessions" else 1
    assert many == {LIBRARY: 2 + session, ORDERS: 1 + session, SUPPORT: 1 + session}


def test_each_request_gets_its_own_valid_csrf_token(buyer, committed):
    purchase = buy(buyer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    with committed():
        pass
    warm(client, LIBRARY)
    html = served(client, LIBRARY, hit=True)
    assert panel_cache.CSRF_PLACEHOLDER not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        f"/downloads/{purchase.product.pk}/", {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302  # to the signed download link, not a 403


def test_a_revoked_purchase_loses_its_download_button_at_once(client, buyer, committed):
    kept, refunded = buy(buyer), buy(buyer)
    with committed():
        pass
    assert download_form(refunded.product) in warm(client, LIBRARY)

    # Even before the commit's invalidation reaches the cache: the active
    # purchases are read from the database on every request.
    purchase_revoke(order_id=refunded.order_id, reason="refund")
    html = served(client, LIBRARY, hit=False)
    assert download_form(refunded.product) not in html
    assert download_form(kept.product) in html


def test_suspension_and_restore_show_at_once(client, buyer, committed):
    disputed = buy(buyer)
    with committed():
        pass
    warm(client, LIBRARY)
    with committed():
        purchase_suspend(order_id=disputed.order_id)
    assert download_form(disputed.product) not in served(client, LIBRARY, hit=False)
    served(client, LIBRARY, hit=True)
    with committed():
        purchase_restore(order_id=disputed.order_id)
    assert download_form(disputed.product) in served(client, LIBRARY, hit=False)


def test_a_refund_request_shows_once_it_commits(client, buyer, committed):
    purchase = buy(buyer, refund_window_days=14)
    with committed():
        pass
    assert "Request a refund" in warm(client, LIBRARY)
    with committed():
        refund_request_open(user=buyer, purchase_id=purchase.pk, reason="Not for me")
    assert 'data-testid="refund-requested"' in served(client, LIBRARY, hit=False)


def test_license_key_state_from_dodo_shows_once_it_commits(client, buyer, committed):
    purchase = buy(buyer)
    with committed():
        key = LicenseKey.objects.create(
            dodo_license_key_id="lic_panel",
            order=purchase.order,
            purchase=purchase,
            user=buyer,
            product=purchase.product,
            key="KEY-PANEL-1",
        )
    assert "KEY-PANEL-1" in warm(client, LIBRARY)
    with committed():
        license_key_state_record(
            license_key_id=key.pk,
            facts=LicenseKeyFacts(
                license_key_id="lic_panel",
                key="KEY-PANEL-1",
                status="active",
                payment_id="",
                activations_limit=3,
                instances_count=2,
                expires_at=None,
            ),
        )
    assert "2 of 3 activations" in served(client, LIBRARY, hit=False)


def test_a_product_publish_shows_in_the_library(client, buyer, committed):
    purchase = buy(buyer)
    with committed():
        pass
    warm(client, LIBRARY)
    with committed():
        publish_release(purchase.product, version="2.0.0", changes="Chapter 9")
    assert "2.0.0" in served(client, LIBRARY, hit=False)


def test_order_history_follows_a_refund(client, buyer, committed):
    purchase = buy(buyer)
    with committed():
        pass
    warm(client, ORDERS)
    with committed():
        order = purchase.order
        order.status = OrderStatus.REFUNDED
        order.refunded_amount = order.amount
        order.save(update_fields=["status", "refunded_amount", "updated_at"])
    assert 'data-status="refunded"' in served(client, ORDERS, hit=False)


def test_support_list_follows_a_status_change(client, buyer, committed):
    purchase = buy(buyer)
    with committed():
        request = support_request_create(
            customer=buyer, product=purchase.product, subject="Install", message="?"
        )
    assert "Install" in warm(client, SUPPORT)
    with committed():
        support_request_transition(
            support_request=request, actor=buyer, to_status=SupportStatus.CANCELLED
        )
    assert ">Cancelled<" in served(client, SUPPORT, hit=False)


def test_another_users_list_is_never_served(client, buyer, committed):
    mine = buy(buyer)
    other = UserFactory()
    theirs = buy(other)
    with committed():
        pass
    warm(client, LIBRARY)
    other_client = Client()
    other_client.force_login(other)
    html = warm(other_client, LIBRARY)
    assert theirs.product.title in html
    assert mine.product.title not in html


def test_just_bought_is_rendered_for_that_request_only(client, buyer, committed):
    purchase = buy(buyer)
    with committed():
        pass
    warm(client, LIBRARY)
    html = served(client, f"{LIBRARY}?bought={purchase.product.pk}", hit=False)
    assert "Just bought." in html
    assert "Just bought." not in served(client, LIBRARY, hit=True)


def test_a_closing_refund_window_bounds_the_entry(client, buyer, committed):
    purchase = buy(buyer, refund_window_days=14)
    order = purchase.order
    # The window closes in a minute: the stored list may live no longer.
    order.paid_at = timezone.now() - timedelta(days=14) + timedelta(seconds=60)
    order.save(update_fields=["paid_at"])
    with committed():
        pass
    assert "Request a refund" in warm(client, LIBRARY)
    key = f"{panel_cache.PREFIX}:page:library:{buyer.pk}:1"
    assert 0 < seconds_left(key) <= 61


def test_the_cache_switched_off_renders_every_time(client, buyer, settings):
    settings.PANEL_CACHE_SECONDS = 0
    buy(buyer)
    for _ in range(3):
        served(client, LIBRARY, hit=False)
