"""Touches are remembered in a signed cookie, only on tagged visits, and the
anonymous page cache keeps serving everyone (attribution.touches, .middleware)."""

import time

import pytest
from django.core import signing
from django.test import RequestFactory

from attribution.touches import (
    ATTRIBUTION_COOKIE,
    COOKIE_SALT,
    WINDOW_SECONDS,
    touches_read,
)
from home.tests.helpers import publish_landing_page
from shortlinks.tests.factories import ShortLinkFactory

pytestmark = pytest.mark.django_db

TAGGED = "/spring/?utm_source=newsletter&utm_medium=email&utm_campaign=spring"


@pytest.fixture
def landing():
    return publish_landing_page(slug="spring", title="Spring sale")


def touches_of(client):
    request = RequestFactory().get("/")
    morsel = client.cookies.get(ATTRIBUTION_COOKIE)
    if morsel is not None:
        request.COOKIES[ATTRIBUTION_COOKIE] = morsel.value
    return touches_read(request)


def test_a_tagged_visit_is_remembered_without_personal_data(client, landing):
    response = client.get(TAGGED)
    assert response.status_code == 200
    assert ATTRIBUTION_COOKIE in response.cookies
    cookie = response.cookies[ATTRIBUTION_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == WINDOW_SECONDS
    # Per-visitor state: never for a shared cache.
    assert response["Cache-Control"].startswith("private")
    touches = touches_of(client)
    assert touches.first == touches.last
    assert (touches.last.source, touches.last.medium, touches.last.campaign) == (
        "newsletter",
        "email",
        "spring",
    )
    assert touches.last.path == "/spring/" and touches.last.link_id is None
    payload = signing.loads(cookie.value, salt=COOKIE_SALT)
    assert set(payload["last"]) == {
        "at", "link_id", "slug", "source", "medium", "campaign", "path"
    }  # fmt: skip
    # No session was started for it.
    assert "sessionid" not in response.cookies


def test_untagged_pages_set_nothing_and_tagged_visitors_stay_on_the_page_cache(
    client, landing, django_assert_num_queries
):
    plain = client.get("/spring/")
    assert plain.cookies == {} or ATTRIBUTION_COOKIE not in plain.cookies
    assert "s-maxage=" in plain["Cache-Control"]
    assert plain["X-Page-Cache"] == "miss"

    client.get(TAGGED)
    assert ATTRIBUTION_COOKIE in client.cookies
    # With the attribution cookie the visitor is still served from the cache.
    with django_assert_num_queries(0):
        again = client.get("/spring/")
    assert again["X-Page-Cache"] == "hit"
    assert ATTRIBUTION_COOKIE not in again.cookies


def test_a_tagged_page_served_from_the_cache_still_records_the_touch(client, landing):
    from django.test import Client

    assert client.get(TAGGED)["X-Page-Cache"] == "miss"
    newcomer = Client()
    response = newcomer.get(TAGGED)
    assert response["X-Page-Cache"] == "hit"
    assert ATTRIBUTION_COOKIE in response.cookies
    assert response["Cache-Control"].startswith("private")
    assert touches_of(newcomer).last.path == "/spring/"
    # A reload of the same campaign writes nothing new.
    assert ATTRIBUTION_COOKIE not in newcomer.get(TAGGED).cookies


def test_a_short_link_visit_names_the_link_its_tags_and_its_landing_page(
    client, landing
):
    link = ShortLinkFactory(
        slug="spring-ig",
        destination="/spring/?utm_source=instagram&utm_medium=social&utm_campaign=spring",
    )
    response = client.get("/s/spring-ig/")
    assert response.status_code == 302
    assert ATTRIBUTION_COOKIE in response.cookies
    touch = touches_of(client).last
    assert (touch.link_id, touch.slug, touch.path) == (
        link.pk,
        "spring-ig",
        "/spring/",
    )
    assert (touch.source, touch.medium) == ("instagram", "social")
    # Following the redirect continues the same visit: the link stays credited.
    followed = client.get(response["Location"])
    assert followed.status_code == 200
    assert ATTRIBUTION_COOKIE not in followed.cookies
    assert touches_of(client).last.link_id == link.pk


def test_first_touch_stays_last_touch_moves_and_both_expire_after_30_days(
    client, landing
):
    ShortLinkFactory(slug="promo", destination="/spring/")
    client.get("/s/promo/")
    client.get("/spring/?utm_source=twitter&utm_medium=social")
    touches = touches_of(client)
    assert touches.first.slug == "promo" and touches.first.source == ""
    assert touches.last.source == "twitter" and touches.last.link_id is None

    # A first touch older than the window gives way to the next touch.
    old = int(time.time()) - WINDOW_SECONDS - 60
    stale = {
        "at": old, "link_id": None, "slug": "", "source": "old",
        "medium": "", "campaign": "", "path": "",
    }  # fmt: skip
    client.cookies[ATTRIBUTION_COOKIE] = signing.dumps(
        {"first": stale, "last": stale}, salt=COOKIE_SALT, compress=True
    )
    assert touches_of(client).first is None and touches_of(client).last is None
    client.get(TAGGED)
    touches = touches_of(client)
    assert touches.first.source == touches.last.source == "newsletter"


# Built inside the test: a signed value made at collection carries the second it was
# signed in, and two xdist workers collecting either side of a second boundary
# would name the test differently (xdist then refuses the whole run).
COOKIES = {
    "garbage": lambda: "garbage",
    "signed-but-malformed": lambda: signing.dumps(
        {"first": 1, "last": "x"}, salt=COOKIE_SALT
    ),
}


@pytest.mark.parametrize("kind", sorted(COOKIES))
def test_a_forged_or_malformed_cookie_reads_as_no_touch(client, landing, kind):
    client.cookies[ATTRIBUTION_COOKIE] = COOKIES[kind]()
    assert touches_of(client).last is None
    assert client.get(TAGGED).status_code == 200
    assert touches_of(client).last.source == "newsletter"


def test_tag_values_are_trimmed_and_bounded(client, landing):
    client.get("/spring/?utm_source=" + "x" * 500 + "&utm_campaign=%20a%0Ab%20")
    touch = touches_of(client).last
    assert touch.source == "x" * 100
    assert touch.campaign == "ab"
