"""Redis killed or hung: the site keeps selling (issue 12, point 3).

The cache points at a private Redis (faults.PrivateRedis) which is then stopped
(refused connections) or paused with SIGSTOP (a hung server: connections accepted,
nothing answered). Pages, checkout, downloads and the signed webhook must answer
as usual; /healthz says "degraded", not down.
"""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.models import (
    Order,
    OrderStatus,
    PurchasedProduct,
    WebhookEvent,
    WebhookOutcome,
)
from commerce.tests.conftest import deliver, payment_data
from commerce.tests.factories import OrderFactory, PurchasedProductFactory
from maintenance import state as maintenance_state
from site_config.settings.base import redis_cache
from site_config.tests.faults import PrivateRedis

pytestmark = [pytest.mark.chaos, pytest.mark.django_db]

# A hung Redis costs a request one socket timeout (0.5 s) per cache call; a page
# makes a handful. Far below gunicorn's 30 s, and well above a healthy page.
PAGE_BUDGET_SECONDS = 4.0


@pytest.fixture(params=["killed", "hung"])
def broken_redis(request, settings):
    redis = PrivateRedis()
    settings.REDIS_URL = redis.url
    settings.CACHES = {"default": redis_cache(redis.url)}
    settings.SITE_URL = "http://testserver"
    settings.DODO_SANDBOX = True
    settings.DODO_SANDBOX_IN_PROCESS = True
    # Prove the cache is really in use before it breaks.
    cache.set("canary", 1, 30)
    assert cache.get("canary") == 1
    if request.param == "killed":
        redis.stop()
    else:
        redis.pause()
    yield request.param
    redis.stop()


def timed(call):
    started = time.monotonic()
    response = call()
    elapsed = time.monotonic() - started
    assert elapsed < PAGE_BUDGET_SECONDS, f"took {elapsed:.1f}s"
    return response


def test_pages_checkout_and_download_answer_without_redis(broken_redis, client):
    product = ProductPageFactory(price=2500)
    owned = ProductPageFactory(price=1500)
    buyer = UserFactory()
    PurchasedProductFactory(user=buyer, product=owned)
    client.force_login(buyer)

    for path in ("/", product.get_parent().url, product.url, "/account/products/"):
        response = timed(lambda path=path: client.get(path))
        assert response.status_code == 200, path
    assert product.title in timed(lambda: client.get(product.url)).content.decode()

    response = timed(
        lambda: client.post(
            f"/checkout/{product.pk}/",
            {"country": "DE", "street": "A 1", "city": "Berlin", "zipcode": "10115"},
        )
    )
    assert response.status_code == 303
    assert "/dodo-sandbox/checkout/" in response["Location"]

    response = timed(lambda: client.post(f"/downloads/{owned.pk}/"))
    assert response.status_code == 302
    response = timed(lambda: client.get(response["Location"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")

    health = timed(lambda: client.get("/healthz"))
    assert health.status_code == 200
    assert health.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "redis": "error"},
    }


def test_signed_webhook_grants_access_without_redis(broken_redis, client, committed):
    order = OrderFactory(dodo_checkout_session_id="cks_redis_down")
    order.product.dodo_product_id = "pdt_redis_down"
    order.product.save(update_fields=["dodo_product_id"])

    # The payment's dashboard invalidation runs after its commit and fails quietly.
    with committed() as callbacks:
        response = timed(
            lambda: deliver(
                client, "payment.succeeded", payment_data(order, payment_id="pay_rd")
            )
        )

    assert response.status_code == 200
    assert callbacks, "cache invalidation is deferred to the commit"
    order.refresh_from_db()
    assert (order.status, order.is_paid) == (OrderStatus.PAID, True)
    assert PurchasedProduct.objects.filter(user=order.user, product=order.product)
    assert WebhookEvent.objects.get().outcome == WebhookOutcome.PROCESSED
    assert Order.objects.count() == 1


def test_maintenance_switch_is_read_from_the_database(broken_redis, client):
    from wagtail.models import Site

    from maintenance.models import MaintenanceSettings

    setting = MaintenanceSettings.for_site(Site.objects.get(is_default_site=True))
    setting.enabled = True
    setting.message = "Back soon."
    setting.save()
    maintenance_state.forget()

    response = timed(lambda: client.get("/"))

    assert response.status_code == 503
    assert "Back soon." in response.content.decode()


def test_a_hung_redis_costs_one_timeout_per_window_then_is_used_again(settings):
    redis = PrivateRedis()
    try:
        config = redis_cache(redis.url)
        config["OPTIONS"]["REDIS_CLIENT_KWARGS"] = {"down_for": 1.0}
        settings.CACHES = {"default": config}
        cache.set("k", "before", 60)
        redis.pause()

        started = time.monotonic()
        assert cache.get("k") is None  # one socket timeout, read as a miss
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(20):
            assert cache.get("k") is None
            cache.set("k", "during", 60)
        rest = time.monotonic() - started

        redis.resume()
        time.sleep(1.1)
        assert cache.get("k") == "before"  # back in use, nothing written meanwhile
    finally:
        redis.stop()
    assert 0.4 < first < 3
    # Without the skip these 40 calls would cost 40 timeouts (20 s).
    assert rest < 2, "skipped while down, not one timeout per call"


def test_signed_in_panel_and_sessions_work_without_redis(
    broken_redis, client, committed, settings
):
    """The panel's list cache and the cached sessions fall back to the database."""
    settings.PANEL_CACHE_SECONDS = 600
    settings.SESSION_ENGINE = "site_config.sessions"
    buyer = UserFactory()
    purchase = PurchasedProductFactory(user=buyer, product=ProductPageFactory())
    client.force_login(buyer)  # the session row is written; caching it fails
    with committed():
        pass
    for path in ("/account/products/", "/account/orders/", "/account/support/") * 2:
        response = timed(lambda path=path: client.get(path))
        assert response.status_code == 200, path
        assert response["X-Panel-Cache"] == "miss"
    html = timed(lambda: client.get("/account/products/")).content.decode()
    assert f'action="/downloads/{purchase.product.pk}/"' in html

    with committed():
        response = timed(lambda: client.post("/account/logout/"))
    assert response.status_code == 302
    assert timed(lambda: client.get("/account/products/")).status_code == 302
