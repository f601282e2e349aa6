"""Product cards are rendered once and shared by every page and visitor that shows
them; a change shows at once; nothing personal leaks between visitors
(catalog.cards)."""

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test.signals import template_rendered
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.models import ProductPage
from catalog.tests.factories import ProductCategoryFactory, ProductPageFactory
from catalog.tests.helpers import make_image
from commerce.tests.factories import PurchasedProductFactory
from home.models import HomePage, LandingPage

pytestmark = pytest.mark.django_db

URL = "/products/"
CARD = "catalog/includes/product_card.html"


@contextmanager
def card_renders():
    """The titles of the product cards rendered inside the block."""
    rendered = []

    def seen(sender, template, context, **kwargs):
        if template.name == CARD:
            rendered.append(context["product"].title)

    template_rendered.connect(seen)
    try:
        yield rendered
    finally:
        template_rendered.disconnect(seen)


def card_of(html: str, title: str) -> str:
    start = html.rindex("<article", 0, html.index(f">{title}</a>"))
    return html[start : html.index("</article>", start)]


@pytest.fixture
def shop():
    fonts = ProductCategoryFactory(name="Fonts")
    products = {
        "alpha": ProductPageFactory(
            title="Alpha Font",
            categories=[fonts],
            cover_image=make_image("alpha-cover"),
        ),
        "beta": ProductPageFactory(title="Beta Book", price=900),
    }
    return {"fonts": fonts, **products}


def test_each_card_is_rendered_once_for_every_page_that_shows_it(client, shop):
    with card_renders() as first:
        listing = client.get(URL)
    assert sorted(first) == ["Alpha Font", "Beta Book"]
    # Another page of the catalogue (a sort, a search, the home page): a page-cache
    # miss, whose cards are all found.
    with card_renders() as again:
        by_price = client.get(URL, {"sort": "price_asc"})
        search = client.get(URL, {"q": "alpha"})
    assert again == []
    for title in ("Alpha Font", "Beta Book"):
        assert card_of(by_price.content.decode(), title) == card_of(
            listing.content.decode(), title
        )
    assert "alpha-cover" in card_of(search.content.decode(), "Alpha Font")
    assert ">Fonts</li>" in card_of(search.content.decode(), "Alpha Font")


def test_a_page_whose_cards_are_all_found_loads_no_cover_or_category(
    client, shop, django_assert_max_num_queries
):
    client.get(URL)
    with django_assert_max_num_queries(50) as captured:
        client.get(URL, {"sort": "price_desc"})
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "wagtailimages_rendition" not in sql
    assert "catalog_productpage_categories" not in sql


def test_home_and_landing_pages_share_the_listings_cards(client, shop):
    home = HomePage.objects.get()
    ProductPage.objects.filter(pk=shop["alpha"].pk).update(is_featured=True)
    landing = home.add_child(
        instance=LandingPage(
            title="Offers",
            slug="offers",
            body=[
                (
                    "product_grid",
                    {"heading": "Picks", "products": [shop["beta"], shop["alpha"]]},
                )
            ],
        )
    )
    landing.save_revision().publish()
    client.get(URL)
    with card_renders() as rendered:
        home_html = client.get("/").content.decode()
        landing_html = client.get("/offers/").content.decode()
    assert rendered == []
    assert "Alpha Font" in home_html
    assert "Beta Book" in landing_html and "Alpha Font" in landing_html


def test_a_publish_shows_on_every_card_at_once(client, shop, committed):
    client.get(URL)
    alpha = shop["alpha"]
    alpha.title = "Alpha Font Pro"
    alpha.price = 4200
    with committed():
        alpha.save_revision().publish()
    with card_renders() as rendered:
        html = client.get(URL, {"sort": "price_asc"}).content.decode()
    assert "Alpha Font Pro" in rendered
    assert "$42.00" in card_of(html, "Alpha Font Pro")


@pytest.mark.parametrize(
    ("edited", "field", "value", "shown"),
    [
        # A category renamed.
        (lambda shop: shop["fonts"], "name", "Typefaces", ">Typefaces</li>"),
        # An image edited (file, focal point, title): its renditions are deleted,
        # so no card or page may keep pointing at them.
        (
            lambda shop: shop["alpha"].cover_image,
            "title",
            "Alpha cover, described",
            'alt="Alpha cover, described"',
        ),
    ],
    ids=["category", "cover image"],
)
def test_an_edit_to_what_a_card_shows_appears_at_once(
    client, shop, committed, edited, field, value, shown
):
    client.get(URL)
    instance = edited(shop)
    setattr(instance, field, value)
    with committed():
        instance.save()
    html = client.get(URL, {"sort": "newest"}).content.decode()
    assert shown in card_of(html, "Alpha Font")


def test_an_images_own_bookkeeping_save_invalidates_nothing(client, shop, committed):
    client.get(URL)
    image = shop["alpha"].cover_image
    with committed():
        image.save(update_fields=["file_hash"])
    assert client.get(URL).headers["X-Page-Cache"] == "hit"


def test_owned_is_shown_to_owners_only_whoever_rendered_the_card_first(client, shop):
    alpha = shop["alpha"]
    owner, stranger = UserFactory(), UserFactory()
    PurchasedProductFactory(order__user=owner, order__product=alpha)
    client.force_login(owner)
    mine = client.get(URL).content.decode()
    assert ">Owned<" in card_of(mine, "Alpha Font")
    assert ">Owned<" not in card_of(mine, "Beta Book")
    for visitor in (stranger, None):
        client.logout()
        if visitor is not None:
            client.force_login(visitor)
        theirs = client.get(URL, {"sort": "price_asc"}).content.decode()
        assert ">Owned<" not in theirs
        assert "Alpha Font" in theirs
    # And the owner's card, rendered for a stranger's page first, still says so.
    client.force_login(owner)
    assert ">Owned<" in card_of(
        client.get(URL, {"sort": "price_desc"}).content.decode(), "Alpha Font"
    )


def test_the_updated_badge_never_outlives_its_rule(client, shop, settings):
    alpha = shop["alpha"]
    ProductPage.objects.filter(pk=alpha.pk).update(content_updated_at=timezone.now())
    html = client.get(URL).content.decode()
    assert ">Updated<" in card_of(html, "Alpha Font")
    # Time passes (no publish, no invalidation): the badge's rule says no more.
    ProductPage.objects.filter(pk=alpha.pk).update(
        content_updated_at=timezone.now()
        - timedelta(days=settings.UPDATED_BADGE_DAYS + 1)
    )
    html = client.get(URL, {"sort": "price_asc"}).content.decode()
    assert ">Updated<" not in card_of(html, "Alpha Font")


def test_a_card_rendered_from_rows_read_before_a_change_is_never_served_after_it(
    client, shop, committed, rf
):
    """The generation is read before the products: a change committing in between
    stores the old card under the old generation, which nobody reads again."""
    from catalog.cards import product_cards
    from site_config.page_cache import catalog_generation_for

    request = rf.get(URL)
    request.user = AnonymousUser()
    catalog_generation_for(request)
    stale = ProductPage.objects.get(pk=shop["alpha"].pk)
    alpha = shop["alpha"]
    alpha.title = "Alpha Font Pro"
    with committed():
        alpha.save_revision().publish()
    assert "Alpha Font<" in product_cards([stale], request=request, owned_ids=())[0]
    html = client.get(URL).content.decode()
    assert "Alpha Font Pro" in html
    assert ">Alpha Font<" not in html


def test_cards_render_when_the_cache_fails(client, shop, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "get_many", broken)
    monkeypatch.setattr(cache, "set_many", broken)
    html = client.get(URL, {"q": "font"}).content.decode()
    assert "Alpha Font" in html and "alpha-cover" in html


def test_cards_are_not_kept_when_the_page_cache_is_off(client, shop, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(URL)
    with card_renders() as rendered:
        client.get(URL)
    assert sorted(rendered) == ["Alpha Font", "Beta Book"]


def test_the_generation_is_read_once_per_request(client, shop, monkeypatch):
    from site_config import page_cache

    calls = []
    real = page_cache._generations

    def counted(groups):
        calls.append(tuple(groups))
        return real(groups)

    monkeypatch.setattr(page_cache, "_generations", counted)
    client.force_login(UserFactory())  # no page cache: only the cards read it
    response = client.get(URL)
    assert response.status_code == 200
    assert calls.count((page_cache.EVERYTHING, page_cache.CATALOG)) == 1
    assert re.fullmatch(
        r"\d+\.\d+",
        getattr(response.wsgi_request, page_cache.CATALOG_GENERATION_ATTRIBUTE),
    )


def test_pages_read_the_generation_before_their_products(client, shop, monkeypatch):
    """What the race test above relies on: the listing, the home page and a
    landing page ask for the generation before they read any product row."""
    from catalog import selectors
    from site_config import page_cache

    log = []

    def logged(name, real):
        def call(*args, **kwargs):
            log.append(name)
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(
        page_cache,
        "catalog_generation",
        logged("generation", page_cache.catalog_generation),
    )
    for name in ("product_listing_context", "products_featured"):
        monkeypatch.setattr(selectors, name, logged(name, getattr(selectors, name)))
    client.force_login(UserFactory())  # no page cache in front
    for path, reader in ((URL, "product_listing_context"), ("/", "products_featured")):
        log.clear()
        assert client.get(path).status_code == 200
        assert log[:2] == ["generation", reader], path


def test_the_home_pages_featured_cards_say_owned_to_their_owner(client, shop):
    """One badge rule wherever a card shows: the home page asks who owns what too."""
    alpha = shop["alpha"]
    ProductPage.objects.filter(pk=alpha.pk).update(is_featured=True)
    owner = UserFactory()
    PurchasedProductFactory(order__user=owner, order__product=alpha)
    assert ">Owned<" not in client.get("/").content.decode()
    client.force_login(owner)
    assert ">Owned<" in card_of(client.get("/").content.decode(), "Alpha Font")
