import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from wagtail.models import Page, Site

from accounts.models import User
from attribution.models import OrderTouch
from catalog.models import ProductCategory, ProductPage
from catalog.tests.helpers import sitemap_xml
from home.models import HomePage, LandingPage
from shortlinks.models import ShortLink

pytestmark = pytest.mark.django_db


def _counts() -> dict:
    return {
        "users": User.objects.count(),
        "pages": Page.objects.count(),
        "sites": Site.objects.count(),
        "groups": Group.objects.count(),
        "short links": ShortLink.objects.count(),
        "order sources": OrderTouch.objects.count(),
    }


@override_settings(DEBUG=True)
def test_seed_demo_twice_leaves_the_same_counts(capsys):
    call_command("seed_demo")
    first = _counts()
    out = capsys.readouterr().out
    call_command("seed_demo")
    assert _counts() == first

    for email, password in [
        ("admin@example.com", "demo-admin-pass"),
        ("seller@example.com", "demo-seller-pass"),
        ("marketer@example.com", "demo-marketer-pass"),
        ("customer@example.com", "demo-customer-pass"),
    ]:
        assert f"{email} / {password}" in out
        assert User.objects.get(email=email).check_password(password)
    assert User.objects.get(email="admin@example.com").is_superuser
    seller = User.objects.get(email="seller@example.com")
    assert seller.is_seller and seller.groups.filter(name="Sellers").exists()
    assert not User.objects.get(email="customer@example.com").is_seller
    # The demo sales came through campaigns: the Sources panel has rows.
    assert OrderTouch.objects.filter(kind="last", short_link__slug="shop").count() == 1
    assert OrderTouch.objects.filter(kind="last", utm_source="twitter").count() == 1


@override_settings(DEBUG=True)
def test_seed_demo_fills_the_catalogue_home_and_landing_page(client):
    call_command("seed_demo")
    call_command("seed_demo")
    seller = User.objects.get(email="seller@example.com")
    products = ProductPage.objects.live()
    assert ProductCategory.objects.count() == 5
    assert products.filter(seller=seller).count() >= 12
    assert products.count() == products.filter(seller=seller).count()
    for product in products:
        assert product.cover_image is not None
        assert product.categories.exists()
        with storages["private"].open(product.file.name) as handle:
            assert zipfile.ZipFile(handle).namelist()
    assert products.filter(is_featured=True).exists()
    home = HomePage.objects.get()
    assert home.body  # testimonials and a call to action
    assert LandingPage.objects.live().count() == 2
    html = client.get("/").content.decode()
    assert "Featured products" in html and "Become a seller" in html
    # The home page's button leads to the seller application (issue 16 point 7).
    assert 'href="/account/become-a-seller/">Become a seller</a>' in html
    launch = LandingPage.objects.get(slug="launch-week")
    assert client.get(launch.url).status_code == 200
    # The second landing page is built from the blocks that sell.
    campaign = LandingPage.objects.get(slug="creator-bundle")
    html = client.get(campaign.url).content.decode()
    for marker in (
        "block-countdown",
        "block-spotlight",
        "block-pricing",
        "youtube-nocookie.com/embed/",
        "block-logos",
        'action="/newsletter/subscribe/"',
        'property="og:title"',
    ):
        assert marker in html, marker
    assert 'class="site-header"' not in html  # campaign layout
    for page in (launch, campaign):
        assert page.short_link is not None
        assert page.short_link.owner.email == "admin@example.com"
    assert "12 products" in client.get("/products/").content.decode()
    assert sitemap_xml(client).count("<url>") >= 15


@override_settings(DEBUG=True)
def test_seed_demo_makes_a_marketer_and_a_draft_waiting_for_review(client):
    from wagtail.models import WorkflowState

    from access import roles

    call_command("seed_demo")
    call_command("seed_demo")
    marketer = User.objects.get(email="marketer@example.com")
    assert roles.is_scoped_marketer(marketer)
    assert marketer.groups.filter(name="Marketers").exists()
    assert roles.role_home_url(marketer) == "/admin/"

    spring = LandingPage.objects.get(slug="spring-sale")
    assert not spring.live and spring.owner == marketer
    draft = spring.get_latest_revision_as_object()
    assert {block.block_type for block in draft.body} >= {
        "countdown", "product_spotlight", "pricing_table", "logo_strip", "signup",
    }  # fmt: skip
    state = WorkflowState.objects.get(object_id=str(spring.pk))  # once, not twice
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == marketer
    assert state.workflow.name == "Landing page review"
    assert spring.permissions_for_user(marketer).can_edit()
    assert not spring.permissions_for_user(marketer).can_publish()
    assert client.get("/spring-sale/").status_code == 404  # not live until approved

    # The staff admin approves it: the page goes live.
    admin = User.objects.get(email="admin@example.com")
    state.current_task_state.task.specific.on_action(
        state.current_task_state, admin, "approve"
    )
    spring.refresh_from_db()
    assert spring.live
    assert client.get("/spring-sale/").status_code == 200


@override_settings(DEBUG=False)
def test_seed_demo_refuses_without_debug():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.filter(email="admin@example.com").exists()


@override_settings(DEBUG=True)
def test_demo_products_have_sections_releases_and_the_home_a_hero(client):
    from catalog.demo.content import DETAILS

    call_command("seed_demo")
    product = ProductPage.objects.live().get(title="Pragmatic Postgres")
    html = client.get(product.url).content.decode()
    for heading in ("What’s inside", "Who it’s for", "Requirements"):
        assert f"<h2>{heading}</h2>" in html
    assert "310 pages" in html
    # The changelog is the release history, newest first.
    assert product.file_version == "2nd edition"
    assert [r.version for r in product.releases.all()] == ["2nd edition", "1st edition"]
    assert "Release history" in html and "partitioning" in html
    assert set(DETAILS) == set(ProductPage.objects.values_list("title", flat=True))

    home = HomePage.objects.get()
    assert home.hero_image is not None
    assert home.hero_image.description.startswith("Covers of ")
    html = client.get("/").content.decode()
    assert 'class="hero__image"' in html
    for author, role in (
        ("Priya Natarajan", "Freelance developer, Lisbon"),
        ("Amara Okafor", "Founder, Ledgerly"),
    ):
        assert f'<span class="block-testimonial__author">{author}</span>' in html
        assert f'<span class="block-testimonial__role">{role}</span>' in html
