"""Anonymous pages come from the cache; changes invalidate them at once; nobody
signed in is ever served or stored (site_config.page_cache)."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductCategoryFactory, ProductPageFactory
from home.models import HomePage, LandingPage

pytestmark = pytest.mark.django_db

LISTING = "/products/"


def state(response) -> str | None:
    return response.headers.get("X-Page-Cache")


@pytest.fixture
def shop():
    fonts = ProductCategoryFactory(name="Fonts")
    return {
        "fonts": fonts,
        "a": ProductPageFactory(title="Alpha Font", categories=[fonts]),
        "b": ProductPageFactory(title="Beta Book"),
    }


@pytest.mark.parametrize(
    "path", ["/", LISTING, "/products/?category=fonts&sort=price_asc", "/sitemap.xml"]
)
def test_anonymous_pages_are_stored_then_served_without_queries(
    client, shop, path, django_assert_num_queries
):
    first = client.get(path)
    assert first.status_code == 200
    assert state(first) == "miss"
    with django_assert_num_queries(0):
        second = client.get(path)
    assert state(second) == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "s-maxage=" in second["Cache-Control"]


def test_product_page_is_cached_and_every_query_string_is_its_own_entry(client, shop):
    url = shop["a"].url
    assert state(client.get(url)) == "miss"
    assert state(client.get(url)) == "hit"
    assert state(client.get(LISTING + "?sort=price_asc")) == "miss"
    assert state(client.get(LISTING + "?sort=price_desc")) == "miss"
    # The same parameters in another order are the same page.
    client.get(LISTING + "?sort=price_asc&category=fonts")
    assert state(client.get(LISTING + "?category=fonts&sort=price_asc")) == "hit"
    # htmx asks for the fragment: its own entry.
    fragment = client.get(LISTING + "?sort=price_asc", headers={"HX-Request": "true"})
    assert state(fragment) == "miss"
    assert b"<html" not in fragment.content
    assert "HX-Request" in fragment["Vary"]


def test_anonymous_pages_set_no_cookie_and_carry_no_csrf_token(client, shop):
    for path in ("/", LISTING, shop["a"].url, "/sitemap.xml"):
        for _ in range(2):  # the miss and the hit
            response = client.get(path)
            assert response.cookies == {}, path
            assert "Set-Cookie" not in response.headers
            assert b"csrfmiddlewaretoken" not in response.content
            assert b"X-CSRFToken" not in response.content


def test_conditional_get_answers_304(client, shop):
    etag = client.get(LISTING)["ETag"]
    response = client.get(LISTING, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert client.get(LISTING, headers={"If-None-Match": '"other"'}).status_code == 200


def test_signed_in_visitors_are_never_served_nor_stored(client, shop):
    user = UserFactory()
    client.force_login(user)
    for path in ("/", LISTING, shop["a"].url):
        response = client.get(path)
        assert state(response) is None
        assert "private" in response["Cache-Control"]
        assert b"X-CSRFToken" in response.content  # htmx gets its token here
    client.logout()
    # Nothing the signed-in visitor saw was stored for anyone else.
    client.cookies.clear()
    assert state(client.get(LISTING)) == "miss"
    # And an anonymous copy is not served to someone signed in.
    client.force_login(user)
    assert state(client.get(LISTING)) is None


def test_a_pending_message_bypasses_the_cache(client, shop):
    client.get(LISTING)
    storage = CookieStorage(HttpRequest())
    storage.add(constants.INFO, "Signed out.")
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    listing = client.get(LISTING)
    assert state(listing) is None
    assert b"Signed out." in listing.content


def test_publishing_a_product_invalidates_its_page_and_the_lists_only(
    client, shop, committed
):
    a, b = shop["a"], shop["b"]
    for path in ("/", LISTING, a.url, b.url, "/sitemap.xml"):
        client.get(path)
    a.title = "Alpha Font Pro"
    with committed():
        a.save_revision().publish()
    assert b"Alpha Font Pro" in client.get(a.url).content
    assert b"Alpha Font Pro" in client.get(LISTING).content
    assert state(client.get("/")) == "miss"
    assert state(client.get("/sitemap.xml")) == "miss"
    # Another product's page did not change and stays cached.
    assert state(client.get(b.url)) == "hit"


def test_unpublishing_and_deleting_a_product_take_effect_at_once(
    client, shop, committed
):
    a, b = shop["a"], shop["b"]
    for path in (LISTING, a.url, b.url):
        client.get(path)
    with committed():
        a.unpublish()
    assert client.get(a.url).status_code == 404
    assert b"Alpha Font" not in client.get(LISTING).content
    b_url = b.url
    with committed():
        b.delete()
    assert client.get(b_url).status_code == 404
    assert b"Beta Book" not in client.get(LISTING).content


def test_moving_a_page_invalidates(client, shop, committed):
    home = HomePage.objects.get()
    first = home.add_child(instance=LandingPage(title="Offers", slug="offers"))
    second = home.add_child(instance=LandingPage(title="Deals", slug="deals"))
    first.save_revision().publish()
    second.save_revision().publish()
    assert client.get("/offers/").status_code == 200
    first.refresh_from_db()
    with committed():
        first.move(second, pos="last-child")
    # Not the cached page: gone, or Wagtail's automatic redirect to the new URL.
    assert client.get("/offers/").status_code in (301, 404)
    assert client.get("/deals/offers/").status_code == 200


def test_a_category_change_invalidates_product_pages_and_lists(client, shop, committed):
    a, fonts = shop["a"], shop["fonts"]
    client.get(a.url)
    client.get(LISTING)
    fonts.name = "Typefaces"
    with committed():
        fonts.save()
    assert b"Typefaces" in client.get(a.url).content
    assert b"Typefaces" in client.get(LISTING).content


def test_publishing_home_or_a_landing_page_invalidates_it(client, shop, committed):
    home = HomePage.objects.get()
    landing = home.add_child(instance=LandingPage(title="Offers", slug="offers"))
    landing.save_revision().publish()
    client.get("/")
    client.get("/offers/")
    home.hero_heading = "Brand new heading"
    with committed():
        home.save_revision().publish()
    assert b"Brand new heading" in client.get("/").content
    landing.title = "Summer offers"
    with committed():
        landing.save_revision().publish()
    assert b"Summer offers" in client.get("/offers/").content


def test_off_when_page_cache_seconds_is_zero(client, shop, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(LISTING)
    assert state(client.get(LISTING)) is None


def test_invalidation_waits_for_the_commit_and_a_rollback_invalidates_nothing(
    client, shop, django_capture_on_commit_callbacks
):
    """Wagtail publishes inside a transaction; the cache is touched only after it."""
    a = shop["a"]
    client.get(a.url)
    with django_capture_on_commit_callbacks() as callbacks:
        a.title = "Alpha Font Pro"
        a.save_revision().publish()
        # Still inside the publish's transaction: no cache call has run yet.
        inside = client.get(a.url)
        assert state(inside) == "hit"
        assert b"Alpha Font Pro" not in inside.content
    assert callbacks  # the bump is queued for the commit...
    for callback in callbacks:
        callback()
    after = client.get(a.url)  # ...and takes effect when it runs
    assert state(after) == "miss"
    assert b"Alpha Font Pro" in after.content

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            a.title = "Never published"
            a.save_revision().publish()
            raise RuntimeError("publish rolled back")
    assert state(client.get(a.url)) == "hit"


def test_our_apps_urls_never_touch_the_page_cache(client, shop, monkeypatch):
    """Under a prefix our apps own (/s/, /account/...) nothing is ever stored, so
    the middleware does not even look: a short link costs only its own view."""
    from shortlinks.models import ShortLink
    from site_config import page_cache

    assert {"/s/", "/account/", "/admin/", "/support/"} <= set(
        page_cache._app_prefixes()
    )
    assert not any(p in ("/", "/products/") for p in page_cache._app_prefixes())
    ShortLink.objects.create(
        slug="deal", owner=UserFactory(is_seller=True), destination=LISTING
    )
    looked_up = []
    real_get = page_cache.cache.get
    monkeypatch.setattr(
        page_cache.cache,
        "get",
        lambda key, *a, **k: looked_up.append(key) or real_get(key, *a, **k),
    )
    response = client.get("/s/deal/")
    assert response.status_code == 302
    assert not [key for key in looked_up if key.startswith(f"{page_cache.PREFIX}:")]
    # A Wagtail page is still looked up and served from the cache.
    client.get(LISTING)
    assert state(client.get(LISTING)) == "hit"
    assert [key for key in looked_up if key.startswith(f"{page_cache.PREFIX}:entry")]
