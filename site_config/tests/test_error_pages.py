"""Every error status renders the one branded page with the site's landmarks."""

import pytest
from django.test import Client

from accounts.tests.factories import StaffFactory, UserFactory
from catalog.tests.factories import ProductPageFactory
from maintenance.models import MaintenanceSettings
from site_config.errors import ERROR_PAGES

pytestmark = pytest.mark.django_db


def assert_error_page(response, status):
    assert response.status_code == status
    html = response.content.decode()
    assert f'data-error-status="{status}"' in html
    assert '<header class="site-header">' in html
    assert '<main id="main" class="site-main">' in html
    assert '<footer class="site-footer">' in html
    assert '<h1 id="error-heading">' in html
    assert '<meta name="robots" content="noindex">' in html
    return html


def test_the_table_covers_every_status_the_store_answers_with():
    assert set(ERROR_PAGES) == {400, 403, 404, 410, 429, 500, 503}


def test_404_is_the_shared_page(client):
    html = assert_error_page(client.get("/no-such-page/"), 404)
    assert "<title>Page not found · Storefront</title>" in html


def test_403_for_support_on_an_unowned_product_names_the_reason(client):
    product = ProductPageFactory()
    client.force_login(UserFactory())
    html = assert_error_page(client.get(f"/support/new/{product.pk}/"), 403)
    assert "Support is available only for products you own." in html
    assert "403 Forbidden" not in html


def test_400_for_a_bad_host(client):
    html = assert_error_page(client.get("/", HTTP_HOST="bad host!"), 400)
    assert "We couldn’t read that request" in html


@pytest.mark.urls("site_config.tests.error_urls")
def test_500_is_rendered_without_the_request_context():
    client = Client(raise_request_exception=False)
    html = assert_error_page(client.get("/boom/"), 500)
    assert "Something went wrong on our side" in html


def test_410_expired_short_link_uses_the_shared_page(client):
    from datetime import timedelta

    from django.utils import timezone

    from shortlinks.tests.factories import ShortLinkFactory

    ShortLinkFactory(
        slug="gone1",
        destination="/products/",
        expires_at=timezone.now() - timedelta(days=1),
    )
    html = assert_error_page(client.get("/s/gone1/"), 410)
    assert "This link has expired" in html


def test_429_from_the_throttle(client, settings):
    settings.THROTTLE_RATES = {
        **settings.THROTTLE_RATES,
        "password_reset": {"ip": "1/h", "account": "1/h"},
    }
    for _ in range(2):
        response = client.post(
            "/account/password-reset/", {"email": "someone@example.com"}
        )
    html = assert_error_page(response, 429)
    assert "Slow down a little" in html


def _maintenance_on():
    from wagtail.models import Site

    setting = MaintenanceSettings.for_site(Site.objects.get(is_default_site=True))
    setting.enabled = True
    setting.message = "New shelves."
    setting.save()


def test_503_maintenance_page_offers_no_way_back_to_itself(client):
    _maintenance_on()
    html = assert_error_page(client.get("/products/"), 503)
    assert "New shelves." in html
    assert "Log in" not in html
    assert "Register" not in html
    assert 'href="/products/"' not in html


def test_staff_see_a_banner_that_the_shop_is_closed_to_others(client):
    _maintenance_on()
    client.force_login(StaffFactory())
    response = client.get("/products/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="maintenance-banner"' in html
    assert "The shop is closed to everyone else" in html
    # Off again: no banner.
    MaintenanceSettings.objects.update(enabled=False)
    from django.core.cache import cache

    cache.clear()
    assert "maintenance-banner" not in client.get("/products/").content.decode()


def test_home_page_title_is_not_doubled(client):
    html = client.get("/").content.decode()
    assert "<title>Storefront</title>" in html
    assert "Storefront · Storefront" not in html
