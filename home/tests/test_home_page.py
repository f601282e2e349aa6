import pytest
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from accounts.tests.factories import UserFactory
from home.models import HomePage

pytestmark = pytest.mark.django_db


def test_site_root_is_the_home_page():
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)


def test_home_page_renders_shop_chrome(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "site-header" in html and "site-footer" in html
    assert 'href="/products/"' in html
    assert 'href="/account/login/"' in html
    assert "htmx" in html  # loaded through django-htmx


def test_header_shows_account_menu_when_logged_in(client):
    client.force_login(UserFactory(full_name="Ria Buyer", is_seller=True))
    html = client.get("/").content.decode()
    assert "Ria" in html
    assert 'href="/account/"' in html
    assert 'href="/admin/">Admin</a>' in html
    assert 'href="/account/login/"' not in html


def test_unknown_url_gets_branded_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn’t find that page" in response.content.decode()


class TestHomePageType(WagtailPageTestCase):
    def test_home_page_only_under_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_only_one_home_page(self):
        assert HomePage.max_count == 1


@pytest.mark.parametrize("debug", [False, True])
def test_htmx_and_its_helper_are_loaded_once(client, settings, debug):
    settings.DEBUG = debug
    html = client.get("/").content.decode()
    assert html.count("django_htmx/htmx-2.min.js") == 1
    assert html.count("django_htmx/django-htmx.js") == (1 if debug else 0)
