"""The short-link screens in the Wagtail admin, for sellers and staff."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import SellerFactory, StaffFactory
from shortlinks.models import ShortLink

from .factories import ShortLinkFactory

pytestmark = pytest.mark.django_db

# Session, user, site, count, one page of links with owners and Wagtail's admin
# chrome; a seller adds group-permission lookups. The same at 3 and 23 links.
# Sellers pay one more: Wagtail looks up their page permissions for the Pages menu.
# The session comes from the cache (site_config.sessions), not a query.
QUERIES_FOR_LIST = {"staff": 7, "seller": 11}


def url(action, *args):
    return reverse(ShortLink.snippet_viewset.get_url_name(action), args=args)


@pytest.fixture
def seller():
    return SellerFactory()


@pytest.fixture
def seller_client(client, seller):
    client.force_login(seller)
    return client


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_seller_list_shows_only_own_links(seller_client, seller):
    ShortLinkFactory(owner=seller, slug="mine")
    ShortLinkFactory(slug="someone-elses")

    response = seller_client.get(url("list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "/s/mine/" in html
    assert "someone-elses" not in html


def test_list_shows_full_short_url_with_copy_button_hits_and_expiry(
    seller_client, seller, settings
):
    settings.SITE_URL = "https://shop.example.com"
    ShortLinkFactory(owner=seller, slug="full", expires_at=None)
    ShortLinkFactory(
        owner=seller, slug="past", expires_at=timezone.now() - timedelta(days=1)
    )
    ShortLink.objects.filter(slug="full").update(hit_count=42)

    html = seller_client.get(url("list")).content.decode()

    # On the shop's public address, not the admin's host (testserver).
    assert 'value="https://shop.example.com/s/full/"' in html
    assert 'data-action="w-clipboard#copy"' in html
    assert ">42<" in html.replace(" ", "").replace("\n", "")
    assert "Lifetime" in html
    assert "Expired" in html


def test_list_search_and_pagination(seller_client, seller):
    ShortLinkFactory.create_batch(30, owner=seller, destination="/products/")
    ShortLinkFactory(owner=seller, slug="needle", destination="https://example.com/x")

    searched = seller_client.get(url("list"), {"q": "needle"}).content.decode()
    assert "/s/needle/" in searched
    assert "/s/link-" not in searched

    first = seller_client.get(url("list")).context["page_obj"]
    assert first.paginator.count == 31
    assert len(first.object_list) == 25
    assert seller_client.get(url("list"), {"p": 2}).status_code == 200


@pytest.mark.parametrize("role", ["staff", "seller"])
def test_list_query_count_does_not_grow_with_links(
    client, seller, django_assert_num_queries, role
):
    client.force_login(StaffFactory() if role == "staff" else seller)
    ShortLinkFactory.create_batch(3, owner=seller)
    client.get(url("list"))
    # One more without Redis: the session is read from the database, not the cache.
    cached_session = settings.SESSION_ENGINE == "site_config.sessions"
    expected = QUERIES_FOR_LIST[role] + (0 if cached_session else 1)
    with django_assert_num_queries(expected) as small:
        client.get(url("list"))
    ShortLinkFactory.create_batch(20, owner=seller)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url("list"))
    assert len(response.context["page_obj"].object_list) == 23


def test_seller_creates_link_with_generated_slug_owned_by_them(seller_client, seller):
    response = seller_client.post(
        url("add"), {"slug": "", "destination": "/products/", "expires_at": ""}
    )

    assert response.status_code == 302
    link = ShortLink.objects.get()
    assert link.owner == seller
    assert len(link.slug) == 7
    assert link.hit_count == 0


def test_create_refuses_javascript_destination(seller_client):
    response = seller_client.post(
        url("add"), {"slug": "bad", "destination": "javascript:alert(1)"}
    )
    assert response.status_code == 200
    assert not ShortLink.objects.exists()


def test_seller_cannot_reach_another_sellers_link(seller_client):
    other = ShortLinkFactory(slug="theirs", destination="/products/")

    assert seller_client.get(url("edit", other.pk)).status_code == 404
    assert (
        seller_client.post(
            url("edit", other.pk), {"slug": "theirs", "destination": "/hijack/"}
        ).status_code
        == 404
    )
    assert seller_client.post(url("delete", other.pk)).status_code == 404
    assert seller_client.get(url("history", other.pk)).status_code == 404
    other.refresh_from_db()
    assert other.destination == "/products/"


def test_seller_edit_through_admin_clears_the_redirect_cache(
    seller_client, seller, committed
):
    link = ShortLinkFactory(owner=seller, slug="edit-me", destination="/old/")
    assert seller_client.get("/s/edit-me/")["Location"] == "/old/"

    with committed():
        response = seller_client.post(
            url("edit", link.pk),
            {
                "slug": "edit-me",
                "destination": "https://example.com/new",
                "expires_at": "",
            },
        )

    assert response.status_code == 302
    assert seller_client.get("/s/edit-me/")["Location"] == "https://example.com/new"


def test_seller_delete_through_admin_clears_the_redirect_cache(
    seller_client, seller, committed
):
    link = ShortLinkFactory(owner=seller, slug="delete-me")
    assert seller_client.get("/s/delete-me/").status_code == 302

    with committed():
        response = seller_client.post(url("delete", link.pk))

    assert response.status_code == 302
    assert not ShortLink.objects.filter(pk=link.pk).exists()
    assert seller_client.get("/s/delete-me/").status_code == 404


def test_bulk_delete_naming_another_sellers_link_is_refused(
    seller_client, seller, committed
):
    mine = ShortLinkFactory(owner=seller, slug="bulk-mine")
    theirs = ShortLinkFactory(slug="bulk-theirs")
    seller_client.get("/s/bulk-mine/")
    bulk_url = reverse(
        "wagtail_bulk_action", args=("shortlinks", "shortlink", "delete")
    )

    # A selection naming someone else's link is answered as if it did not exist.
    mixed = seller_client.post(
        f"{bulk_url}?id={mine.pk}&id={theirs.pk}", {"next": url("list")}
    )
    assert mixed.status_code == 404
    assert ShortLink.objects.filter(pk__in=[mine.pk, theirs.pk]).count() == 2

    with committed():
        response = seller_client.post(f"{bulk_url}?id={mine.pk}", {"next": url("list")})
    assert response.status_code == 302
    assert not ShortLink.objects.filter(pk=mine.pk).exists()
    assert ShortLink.objects.filter(pk=theirs.pk).exists()
    assert seller_client.get("/s/bulk-mine/").status_code == 404


def test_staff_sees_and_edits_every_link(staff_client):
    link = ShortLinkFactory(slug="any-seller")

    assert "/s/any-seller/" in staff_client.get(url("list")).content.decode()
    response = staff_client.post(
        url("edit", link.pk),
        {"slug": "any-seller", "destination": "/staff-fixed/", "expires_at": ""},
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.destination == "/staff-fixed/"


def test_customer_cannot_open_the_admin_screens(client):
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(url("list"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_no_chooser_lists_other_sellers_links(seller_client):
    ShortLinkFactory(slug="secret-zq")
    response = seller_client.get("/admin/snippets/choose/shortlinks/shortlink/")
    assert response.status_code == 404
    assert "secret-zq" not in response.content.decode()


def test_export_lists_only_own_links_with_the_search_applied(seller_client, seller):
    ShortLinkFactory(owner=seller, slug="mine", destination="/products/")
    ShortLinkFactory(owner=seller, slug="spring", destination="/spring/")
    ShortLinkFactory(slug="someone-elses")
    ShortLink.objects.filter(slug="mine").update(hit_count=7)

    response = seller_client.get(url("list"), {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    lines = body.splitlines()
    assert lines[0].startswith("Slug,Destination,Hits,Last hit")
    assert any(line.startswith("mine,/products/,7,") for line in lines)
    assert "someone-elses" not in body
    searched = seller_client.get(url("list"), {"export": "csv", "q": "spring"})
    body = b"".join(searched.streaming_content).decode()
    assert "spring" in body and "mine," not in body
