import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from accounts.tests.factories import StaffFactory
from catalog.models import ProductIndexPage
from catalog.tests.factories import ProductPageFactory
from catalog.tests.helpers import sitemap_xml
from home.models import HomePage, LandingPage
from home.site_tree import ensure_site_tree

pytestmark = pytest.mark.django_db


class TestLandingPageType(WagtailPageTestCase):
    def test_parents_and_children(self):
        self.assertAllowedParentPageTypes(LandingPage, {HomePage, LandingPage})
        self.assertAllowedSubpageTypes(LandingPage, {LandingPage})
        self.assertAllowedSubpageTypes(HomePage, {ProductIndexPage, LandingPage})

    def test_marketer_composes_a_landing_page_from_blocks(self):
        self.client.force_login(StaffFactory(is_superuser=True))
        product = ProductPageFactory(title="Chosen Product")
        home = ensure_site_tree()
        self.assertCanCreate(
            home,
            LandingPage,
            nested_form_data(
                {
                    "title": "Spring sale",
                    "slug": "spring-sale",
                    "intro": "Big savings",
                    "body": streamfield(
                        [
                            (
                                "hero",
                                {
                                    "heading": "Spring is here",
                                    "text": "Save now",
                                    "image": "",
                                    "button_text": "Shop",
                                    "button_link": "/products/",
                                },
                            ),
                            (
                                "product_grid",
                                {
                                    "heading": "Our picks",
                                    "products": streamfield([("item", product.pk)]),
                                },
                            ),
                            (
                                "testimonial",
                                {"quote": "Great", "author": "Ann", "role": ""},
                            ),
                            (
                                "call_to_action",
                                {
                                    "heading": "Go",
                                    "text": "",
                                    "button_text": "Buy",
                                    "button_link": "https://example.com/",
                                },
                            ),
                        ]
                    ),
                }
            ),
        )
        page = LandingPage.objects.get(slug="spring-sale")
        page.save_revision().publish()
        html = self.client.get("/spring-sale/").content.decode()
        assert "Spring is here" in html and "Our picks" in html
        assert "Chosen Product" in html and "Great" in html and "Ann" in html


def _render_blocks_page(client, body):
    home = ensure_site_tree()
    page = home.add_child(
        instance=LandingPage(title="Blocks", slug="blocks", body=body)
    )
    page.save_revision().publish()
    return client.get("/blocks/").content.decode()


def test_every_shared_block_renders(client):
    product = ProductPageFactory(title="Grid Item")
    html = _render_blocks_page(
        client,
        [
            {"type": "rich_text", "value": "<p>Some <b>bold</b> words</p>"},
            {
                "type": "faq",
                "value": {
                    "heading": "FAQ",
                    "items": [{"question": "Refunds?", "answer": "<p>Yes.</p>"}],
                },
            },
            {
                "type": "product_grid",
                "value": {"heading": "Grid", "products": [product.pk]},
            },
        ],
    )
    assert "<b>bold</b>" in html
    assert "<summary>Refunds?</summary>" in html
    assert "Grid Item" in html


def test_unpublished_product_is_left_out_of_a_product_grid(client):
    product = ProductPageFactory(title="Gone Product")
    product.unpublish()
    html = _render_blocks_page(
        client,
        [{"type": "product_grid", "value": {"heading": "G", "products": [product.pk]}}],
    )
    assert "Gone Product" not in html


def test_a_deleted_product_is_left_out_of_a_product_grid(client):
    """The chooser gives None for a page deleted since it was chosen."""
    kept = ProductPageFactory(title="Kept Product")
    gone = ProductPageFactory(title="Deleted Product")
    gone_pk = gone.pk
    gone.delete()
    html = _render_blocks_page(
        client,
        [
            {
                "type": "product_grid",
                "value": {"heading": "G", "products": [gone_pk, kept.pk]},
            }
        ],
    )
    assert "Kept Product" in html
    assert "Deleted Product" not in html


def test_home_page_shows_featured_products_newest_first(client):
    ProductPageFactory(title="Plain")
    ProductPageFactory(title="Featured Old", is_featured=True)
    ProductPageFactory(title="Featured New", is_featured=True)
    html = client.get("/").content.decode()
    assert "Featured products" in html
    assert "Plain" not in html
    assert html.index("Featured New") < html.index("Featured Old")


def test_home_page_body_blocks_render(client):
    home = ensure_site_tree()
    home.body = [
        {"type": "testimonial", "value": {"quote": "Lovely", "author": "Bo"}},
        {
            "type": "call_to_action",
            "value": {
                "heading": "Join",
                "text": "",
                "button_text": "Register",
                "button_link": "/account/register/",
            },
        },
    ]
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert "Lovely" in html and 'href="/account/register/"' in html


def test_sitemap_lists_live_pages(client):
    product = ProductPageFactory(title="Mapped")
    draft = ProductPageFactory(title="Unmapped", live=False)
    xml = sitemap_xml(client)
    assert "/products/mapped/" in xml and "/products/</loc>" in xml
    assert draft.slug not in xml
    assert Page.objects.filter(pk=product.pk).exists()
