"""From a short link or a tagged URL to a paid order (real SDK, sandbox, signed
webhook) and on to the seller's Sources panel and the landing page's Campaign tab."""

import html as html_lib
from urllib.parse import urlparse

import pytest
from django.test import Client

from accounts.tests.factories import SellerFactory, StaffFactory, UserFactory
from attribution.models import OrderTouch, TouchKind
from catalog.tests.factories import ProductPageFactory
from commerce.models import Order, OrderStatus
from home.tests.helpers import publish_landing_page
from shortlinks.services import shortlink_hits_flush
from shortlinks.tests.factories import ShortLinkFactory

pytestmark = pytest.mark.django_db

BILLING = {
    "country": "DE",
    "street": "Hauptstr. 1",
    "city": "Berlin",
    "zipcode": "10115",
}


def buy(client, product, capture) -> Order:
    """Check out as the signed-in client and pay on the sandbox's hosted page."""
    response = client.post(f"/checkout/{product.pk}/", BILLING)
    assert response.status_code == 303, response
    path = urlparse(response["Location"]).path
    with capture(execute=True):
        paid = client.post(path, {"action": "pay"})
    assert paid.status_code == 303
    order = Order.objects.filter(user=client.buyer).latest("pk")
    assert order.status == OrderStatus.PAID
    return order


def visitor():
    client = Client()
    client.buyer = UserFactory()
    return client


@pytest.fixture
def shop():
    seller = SellerFactory(full_name="Ada Seller")
    other = SellerFactory(full_name="Bob Seller")
    return {
        "seller": seller,
        "other": other,
        "icons": ProductPageFactory(seller=seller, title="Icon Pack", price=2500),
        "course": ProductPageFactory(seller=other, title="Other Course", price=9900),
        "staff": StaffFactory(is_superuser=True),
    }


def test_short_link_and_utm_visits_reach_the_order_and_the_dashboard(
    shop, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    landing = publish_landing_page(slug="spring", user=shop["staff"])
    link = ShortLinkFactory(
        owner=shop["seller"], slug="ig", destination=shop["icons"].url
    )
    unused = ShortLinkFactory(owner=shop["seller"], slug="unused")
    foreign = ShortLinkFactory(owner=shop["other"], slug="bobs")

    # 1. Through the seller's short link, anonymous, then signed in to buy.
    first = visitor()
    assert first.get("/s/ig/").status_code == 302
    first.get(shop["icons"].url)
    first.force_login(first.buyer)
    order1 = buy(first, shop["icons"], capture)
    last = order1.touches.get(kind=TouchKind.LAST)
    assert last.short_link == link and last.short_link_slug == "ig"
    assert last.utm_source == "" and last.landing_page is None
    assert order1.touches.get(kind=TouchKind.FIRST).short_link == link

    # 2. A newsletter link to the landing page, then a tweet: first and last differ.
    second = visitor()
    second.get("/spring/?utm_source=newsletter&utm_medium=email&utm_campaign=spring")
    second.get(shop["icons"].url + "?utm_source=twitter&utm_medium=social")
    second.force_login(second.buyer)
    order2 = buy(second, shop["icons"], capture)
    first_touch = order2.touches.get(kind=TouchKind.FIRST)
    assert (first_touch.utm_source, first_touch.utm_medium) == ("newsletter", "email")
    assert (
        first_touch.utm_campaign == "spring"
        and first_touch.landing_page_id == landing.pk
    )
    last_touch = order2.touches.get(kind=TouchKind.LAST)
    assert last_touch.utm_source == "twitter" and last_touch.landing_page is None

    # 3. The other seller's sale through the landing page's own short link.
    third = visitor()
    third.get("/s/spring/", follow=True)
    third.force_login(third.buyer)
    order3 = buy(third, shop["course"], capture)
    assert order3.touches.get(kind=TouchKind.LAST).landing_page_id == landing.pk

    # 4. A direct sale: no touch recorded.
    fourth = visitor()
    fourth.force_login(fourth.buyer)
    order4 = buy(fourth, shop["icons"], capture)
    assert not order4.touches.exists()
    assert OrderTouch.objects.count() == 6

    # The seller's dashboard: their sales by source and their links, nobody else's.
    shortlink_hits_flush()  # with Redis, hits wait in a buffer for Beat
    seller = Client()
    seller.force_login(shop["seller"])
    html = html_lib.unescape(seller.get("/admin/").content.decode())
    assert 'data-table="sales-by-source"' in html
    assert (
        '<tr data-source="twitter"><td>twitter / social</td><td data-sales>1</td>'
        "<td data-revenue>$25.00</td>" in html
    )
    assert "<td>Short link /s/ig/</td><td data-sales>1</td>" in html
    assert "<td>Direct or unknown</td><td data-sales>1</td>" in html
    assert "short-link / referral" not in html and "Other Course" not in html
    assert 'data-link="ig"' in html and 'data-link="unused"' in html
    assert 'data-link="bobs"' not in html and 'data-link="spring"' not in html
    ig_row = html.split('data-link="ig"')[1].split("</tr>")[0]
    assert (
        "<td data-hits>1</td><td data-sales>1</td><td data-conversion>100.0%</td>"
        in ig_row
    )
    assert "$25.00" in ig_row
    unused_row = html.split('data-link="unused"')[1].split("</tr>")[0]
    assert (
        "<td data-hits>0</td><td data-sales>0</td><td data-conversion>—</td>"
        in unused_row
    )

    # Credited to the first touch instead: the newsletter takes the tweet's sale.
    html = html_lib.unescape(seller.get("/admin/?credit=first").content.decode())
    assert 'data-credit="first"' in html
    assert "<td>newsletter / email · spring</td><td data-sales>1</td>" in html
    assert "twitter" not in html

    # Staff see every seller's sales and links, or one seller's.
    staff = Client()
    staff.force_login(shop["staff"])
    html = html_lib.unescape(staff.get("/admin/").content.decode())
    assert '<tr data-source="short-link">' in html and "$99.00" in html
    assert 'data-link="bobs"' in html and 'data-link="spring"' in html
    html = html_lib.unescape(
        staff.get(f"/admin/?seller={shop['other'].pk}").content.decode()
    )
    assert 'data-link="bobs"' in html and 'data-link="ig"' not in html
    assert "twitter" not in html

    # The landing page's Campaign tab: one last-touch sale, two first-touch.
    html = html_lib.unescape(
        staff.get(f"/admin/pages/{landing.pk}/edit/").content.decode()
    )
    assert "<strong data-sales-last>1</strong> paid order whose buyer" in html
    assert "($99.00 net)" in html
    assert "<span data-sales-first>2</span>" in html
    del foreign, unused


def test_a_deleted_short_link_or_page_leaves_the_order_its_source(
    shop, django_capture_on_commit_callbacks
):
    link = ShortLinkFactory(owner=shop["seller"], slug="gone", destination="/")
    client = visitor()
    client.get("/s/gone/")
    link.delete()
    client.force_login(client.buyer)
    order = buy(client, shop["icons"], django_capture_on_commit_callbacks)
    touch = order.touches.get(kind=TouchKind.LAST)
    assert touch.short_link is None and touch.short_link_slug == "gone"
