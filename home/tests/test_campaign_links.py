"""Campaign links of a landing page: short link, UTM URLs, visits, sales state."""

import html as html_lib

import pytest
from django.core.cache import cache

from accounts.tests.factories import StaffFactory
from catalog.dashboard.tests.fake_ga4 import FakeGA4, write_service_account_key
from home.models import LandingPage
from shortlinks.models import ShortLink
from shortlinks.services import shortlink_hits_flush

from .helpers import publish_landing_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return StaffFactory(is_superuser=True)


def _campaign_tab(client, page) -> str:
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def test_publishing_gives_the_page_its_short_link(client, staff):
    page = publish_landing_page(slug="summer-sale", user=staff)
    link = page.short_link
    assert link.slug == "summer-sale"
    assert link.owner == staff
    assert link.destination == (
        "/summer-sale/?utm_source=short-link&utm_medium=referral"
        "&utm_campaign=summer-sale"
    )
    response = client.get("/s/summer-sale/")
    assert response.status_code in (301, 302)
    assert response["Location"] == link.destination
    assert client.get(response["Location"]).status_code == 200
    shortlink_hits_flush()  # with Redis the hit waits in its buffer for Beat
    link.refresh_from_db()
    assert link.hit_count == 1

    # Publishing again (or an older revision) keeps the same link.
    old_revision = page.latest_revision
    page.intro = "Changed"
    page.save_revision(user=staff).publish(user=staff)
    old_revision.publish(user=staff)
    page.refresh_from_db()
    assert page.short_link_id == link.pk
    assert ShortLink.objects.count() == 1


def test_a_taken_slug_gets_a_generated_one_and_moves_follow_the_page(staff):
    ShortLink.objects.create(owner=staff, slug="promo", destination="/elsewhere/")
    page = publish_landing_page(slug="promo", user=staff)
    assert page.short_link.slug != "promo" and len(page.short_link.slug) == 7

    page.slug = "promo-2"
    page.save_revision(user=staff).publish(user=staff)
    page = LandingPage.objects.get(pk=page.pk)
    assert page.short_link.destination.startswith("/promo-2/?")


def test_admin_shows_links_to_copy_hits_and_pending_attribution(
    client, staff, settings
):
    settings.SITE_URL = "https://shop.example"
    page = publish_landing_page(slug="launch", user=staff)
    ShortLink.objects.filter(pk=page.short_link_id).update(hit_count=12)
    client.force_login(staff)
    html = _campaign_tab(client, page)
    assert 'value="https://shop.example/s/launch/"' in html
    assert "12 hits" in html
    for source, medium in (("newsletter", "email"), ("twitter", "social")):
        assert (
            f'value="https://shop.example/launch/?utm_source={source}'
            f'&utm_medium={medium}&utm_campaign=launch"'
        ) in html
    assert 'data-attribution="sales"' in html and "data-sales-last>0<" in html
    assert "<strong>0</strong> confirmed, 0 waiting" in html
    assert 'data-ga4="not-configured"' in html


def test_a_new_page_explains_where_its_links_come_from(client, staff):
    client.force_login(staff)
    from home.site_tree import ensure_site_tree

    home = ensure_site_tree()
    response = client.get(f"/admin/pages/add/home/landingpage/{home.pk}/")
    assert response.status_code == 200
    assert "Save the page to get its UTM links" in response.content.decode()


@pytest.fixture
def ga4(settings, tmp_path):
    cache.clear()
    with FakeGA4(views={}) as fake:
        key_file = tmp_path / "ga4-key.json"
        write_service_account_key(key_file, token_uri=f"{fake.url}/token")
        settings.GA4_PROPERTY_ID = "123456"
        settings.GA4_CREDENTIALS_FILE = str(key_file)
        settings.GA4_API_ENDPOINT = fake.url
        yield fake
    cache.clear()


def test_ga4_views_of_the_page_cached_and_failure_tolerated(client, staff, ga4):
    page = publish_landing_page(slug="ga", user=staff)
    client.force_login(staff)

    ga4.status = 500
    assert 'data-ga4="unavailable"' in _campaign_tab(client, page)

    ga4.status = 200
    ga4.views = {"/ga/": 321}
    assert "<strong>321</strong> page views" in _campaign_tab(client, page)
    requests = len(ga4.report_requests)
    ga4.views = {"/ga/": 999}
    assert "<strong>321</strong> page views" in _campaign_tab(client, page)  # cached
    assert len(ga4.report_requests) == requests


def test_sign_ups_from_the_page_are_counted_on_it(client, staff):
    from newsletter.models import Subscriber

    page = publish_landing_page(slug="counted", user=staff)
    other = publish_landing_page(slug="other", user=staff)
    for email, status, source in [
        ("a@example.com", "confirmed", page),
        ("b@example.com", "confirmed", page),
        ("c@example.com", "pending", page),
        ("d@example.com", "confirmed", other),
    ]:
        Subscriber.objects.create(
            email=email, topic="t", status=status, source_page=source
        )
    client.force_login(staff)
    assert "<strong>2</strong> confirmed, 1 waiting" in _campaign_tab(client, page)
