"""A marketer walks every admin URL pattern Wagtail and our apps register
(generated from the URL conf by ``admin_walk``), filled with the ids of a
seller's objects and of marketing content: every area the policy shuts is
refused, the marketing areas open, and nothing of the seller's leaks."""

from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import Resolver404, resolve
from wagtail.documents import get_document_model
from wagtail.models import Collection

from access import policy, roles
from accounts.tests.factories import SellerFactory, UserFactory
from catalog.models import ProductPage
from catalog.tests.helpers import make_image
from home.models import HomePage, LandingPage
from home.tests.helpers import publish_landing_page
from newsletter.models import Subscriber
from site_config.tests.admin_walk import admin_urls, seller_world

pytestmark = pytest.mark.django_db

# Admin areas the policy shuts to marketers, by URL prefix.
REFUSED_PREFIXES = {
    "/admin/commerce/": "orders, purchases, downloads, webhook events, refunds",
    "/admin/support/": "support requests",
    "/admin/accounts/": "seller applications",
    "/admin/shortlinks/": "short links",
    "/admin/snippets/catalog/": "product categories",
    "/admin/snippets/shortlinks/": "short links",
    "/admin/snippets/django_celery_beat/": "schedules",
    "/admin/bulk/django_celery_beat/": "schedules",
    "/admin/bulk/accounts/": "users",
    "/admin/bulk/catalog/": "product categories",
    "/admin/bulk/shortlinks/": "short links",
    "/admin/settings/": "settings",
    "/admin/users/": "users",
    "/admin/groups/": "users",
    "/admin/sites/": "settings",
    "/admin/collections/": "settings",
    "/admin/workflows/": "settings",
    "/admin/redirects/": "settings",
    "/admin/dashboard/": "sales dashboard",
    "/admin/subscribers/delete/": "subscribers (erasure is staff's)",
    "/admin/subscribers/edit/": "subscribers (read-only)",
    "/admin/subscribers/new/": "subscribers (read-only)",
}

# Views that must open for a marketer on marketing content (url name -> area).
MUST_OPEN = {
    "wagtailadmin_home": "dashboard",
    "wagtailadmin_explore": "pages",
    "wagtailadmin_pages:edit": "pages",
    "wagtailadmin_pages:add": "pages",
    "wagtailadmin_pages:history": "pages",
    "wagtailadmin_choose_page": "product choosers",
    "wagtailadmin_choose_page_child": "product choosers",
    "wagtailimages:index": "images",
    "wagtailimages:add": "images",
    "wagtailimages:edit": "images",
    "wagtailimages_chooser:choose": "images",
    "wagtaildocs:index": "documents",
    "wagtaildocs:add": "documents",
    "wagtaildocs:edit": "documents",
    "subscribers:index": "subscribers",
    "subscribers:inspect": "subscribers",
}
# Views that only show a page (its children; a cancel-review prompt with no
# review running): a live product may open in them, a draft never.
SEEN_NOT_EDITED = {
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "confirm_workflow_cancellation",
}
PAGE_ARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id")


@pytest.fixture
def marketing():
    """A seller's objects (to be refused) and marketing content (to be opened)."""
    world = seller_world(SellerFactory(email="alpha-seller@example.com"), "Alpha")
    live_title = "Alpha Live Kit"
    world.secrets.remove(live_title)  # live products are chosen for grids
    home = HomePage.objects.get()
    landing = publish_landing_page(slug="spring", title="Spring campaign")
    draft = home.add_child(instance=LandingPage(title="Summer draft", slug="summer"))
    draft.save_revision()
    collection = Collection.objects.get(name=policy.MARKETING_COLLECTION)
    image = make_image(title="Campaign banner")
    image.collection = collection
    image.save()
    document = get_document_model()(title="Campaign brief", collection=collection)
    document.file.save("brief.txt", ContentFile(b"brief"), save=True)
    subscriber = Subscriber.objects.create(email="fan@example.com", topic="spring")
    marketing_ids = {
        "pages": {home.pk, landing.pk, draft.pk},
        "images": {image.pk},
        "documents": {document.pk},
    }
    for obj in (home.page_ptr, landing.page_ptr, draft.page_ptr, image, document):
        world.add(obj)
    world.add(landing)  # the walk adds pages of this type too
    world.add(subscriber)
    return world, marketing_ids, live_title


def _route(url):
    try:
        return resolve(urlsplit(url).path)
    except Resolver404:
        return None


def _refused_area(url, match, world, marketing_ids) -> str | None:
    """Why the policy shuts ``url`` to a marketer, or None if it may open."""
    path = urlsplit(url).path
    for prefix, area in REFUSED_PREFIXES.items():
        if path.startswith(prefix):
            return area
    if match is None or match.url_name.startswith("wagtailadmin_choose_page"):
        return None  # choosers browse live products: secrets are checked anyway
    products = ProductPage.objects.all()
    if match.url_name in SEEN_NOT_EDITED:
        products = products.filter(live=False)  # live ones are chosen for grids
    product_ids = set(products.values_list("pk", flat=True))
    for name in PAGE_ARGS:
        value = match.kwargs.get(name)
        if value is not None and int(value) in product_ids:
            return "product editing"
    for name, kind in (("image_id", "images"), ("document_id", "documents")):
        value = match.kwargs.get(name)
        if value is not None and int(value) not in marketing_ids[kind]:
            return f"{kind} outside the Marketing collection"
    return None


def test_a_marketer_is_refused_every_area_but_marketing(client, marketing):
    world, marketing_ids, live_title = marketing
    marketer = UserFactory(email="mia-marketer@example.com", is_marketer=True)
    assert roles.is_scoped_marketer(marketer)
    client.force_login(marketer)

    urls = admin_urls(world)
    assert len(urls) > 300  # the walk really covers the admin
    problems, opened, refused_areas, seen = [], set(), set(), {}
    for url in urls:
        response = client.get(url)
        match = _route(url)
        name = (
            f"{match.namespace}:{match.url_name}"
            if match and match.namespace
            else (match.url_name if match else "")
        )
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
            continue
        # Signed out mid-walk would make every later refusal meaningless.
        assert "/login/" not in response.get("Location", ""), url
        seen.setdefault(name, []).append((url, response.status_code))
        area = _refused_area(url, match, world, marketing_ids)
        if area is not None:
            refused_areas.add(area)
            if response.status_code == 200:
                problems.append(f"{url}: opened ({area})")
            continue
        if response.status_code == 200:
            opened.add(name)
            if not response.streaming:
                body = response.content.decode(errors="replace")
                found = [s for s in world.secrets if s in body]
                if found:
                    problems.append(f"{url}: shows {found}")
                if name == "wagtailadmin_home" and live_title in body:
                    problems.append(f"{url}: shows the seller's sales")
    assert problems == [], "\n".join(problems)
    missing = set(MUST_OPEN) - opened
    assert missing == set(), {name: seen.get(name) for name in missing}
    # Each area the brief names was walked (and refused above).
    assert {
        "orders, purchases, downloads, webhook events, refunds",
        "support requests",
        "sales dashboard",
        "schedules",
        "settings",
        "users",
        "product categories",
        "product editing",
        "images outside the Marketing collection",
        "documents outside the Marketing collection",
        "subscribers (erasure is staff's)",
    } <= refused_areas


def test_a_marketer_exports_subscribers(client, marketing):
    marketer = UserFactory(is_marketer=True)
    client.force_login(marketer)
    response = client.get("/admin/subscribers/?export=csv")
    assert response.status_code == 200
    assert b"fan@example.com" in b"".join(response.streaming_content)
    seller = SellerFactory()
    client.force_login(seller)
    assert client.get("/admin/subscribers/").status_code != 200


def test_the_marketer_flag_grants_and_withdraws_the_marketers_group():
    user = UserFactory()
    assert not roles.works_in_admin(user)
    user.is_marketer = True
    user.save()
    assert list(user.groups.values_list("name", flat=True)) == ["Marketers"]
    assert roles.works_in_admin(user) and roles.role_home_url(user) == "/admin/"
    user.is_marketer = False
    user.save()
    assert not user.groups.exists()


def test_staff_grant_the_marketer_flag_in_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    target = UserFactory(email="to-be-marketer@example.com", full_name="Mo")
    client.force_login(staff)
    response = client.post(
        f"/admin/users/edit/{target.pk}/",
        {
            "email": target.email,
            "full_name": "Mo",
            "is_customer": "on",
            "is_marketer": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    target.refresh_from_db()
    assert roles.is_marketer(target)
    assert target.groups.filter(name="Marketers").exists()


def test_policy_page_actions_for_a_marketer(marketing):
    world, marketing_ids, _ = marketing
    marketer = UserFactory(is_marketer=True)
    home = HomePage.objects.get()
    landing = LandingPage.objects.get(slug="spring")
    product = ProductPage.objects.get(title="Alpha Live Kit")
    assert policy.page_actions(marketer, product) == frozenset()
    assert "delete" not in policy.page_actions(marketer, home)
    assert {"edit", "add_subpage"} <= policy.page_actions(marketer, landing)
    tester = landing.permissions_for_user(marketer)
    assert tester.can_edit()
    assert not product.permissions_for_user(marketer).can_edit()
    assert policy.subscriber_action_allowed(marketer, "view")
    assert not policy.subscriber_action_allowed(marketer, "delete")
    assert not policy.subscriber_action_allowed(SellerFactory(), "view")
    for area in ("orders", "purchases", "support", "sales_dashboard",
                 "webhook_events", "schedules", "settings", "users"):  # fmt: skip
        assert not policy.may_enter(marketer, area), area
