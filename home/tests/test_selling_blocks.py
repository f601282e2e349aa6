"""The blocks that sell, rendered on a published landing page."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail.blocks import StructBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from accounts.tests.factories import StaffFactory, UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.tests.factories import PurchasedProductFactory
from home.blocks import BaseStreamBlock, VideoEmbedBlock

from .helpers import publish_landing_page

pytestmark = pytest.mark.django_db


def _spotlight_page(product):
    return publish_landing_page(
        body=[
            {
                "type": "product_spotlight",
                "value": {"product": product.pk, "heading": "", "text": ""},
            }
        ]
    )


def test_spotlight_shows_price_badges_and_buy_state_per_visitor(client):
    product = ProductPageFactory(
        title="Spot Kit", summary="Ship faster.", price=4900, selling_price=2900
    )
    page = _spotlight_page(product)
    owner = PurchasedProductFactory(product=product).user
    stranger = UserFactory()

    html = client.get(page.url).content.decode()  # an anonymous visitor
    assert "Spot Kit" in html and "Ship faster." in html
    assert "$29.00" in html and "$49.00" in html
    assert 'class="badge badge--sale">Sale<' in html
    assert "block-buy__action--login" in html and "Log in to buy" in html
    assert "In your library" not in html

    client.force_login(stranger)
    html = client.get(page.url).content.decode()
    assert f'href="/checkout/{product.pk}/"' in html and "Buy now" in html
    assert "In your library" not in html

    client.force_login(owner)
    html = client.get(page.url).content.decode()
    assert "In your library" in html and ">Owned<" in html
    assert f'action="/downloads/{product.pk}/"' in html
    assert f'href="/checkout/{product.pk}/"' not in html


def test_spotlight_of_an_unpublished_product_renders_nothing(client):
    product = ProductPageFactory(title="Withdrawn Kit")
    page = _spotlight_page(product)
    product.unpublish()
    html = client.get(page.url).content.decode()
    assert "Withdrawn Kit" not in html and "block-spotlight" not in html


def test_pricing_table_compares_chosen_products(client):
    basic = ProductPageFactory(title="Basic Kit", price=1900)
    pro = ProductPageFactory(title="Pro Kit", price=4900)
    page = publish_landing_page(
        body=[
            {
                "type": "pricing_table",
                "value": {
                    "heading": "Compare",
                    "products": [basic.pk, pro.pk],
                    "highlighted": pro.pk,
                    "rows": [
                        {"feature": "Updates", "included_in": [basic.pk, pro.pk]},
                        {"feature": "Source files", "included_in": [pro.pk]},
                    ],
                },
            }
        ]
    )
    owner = PurchasedProductFactory(product=basic).user
    html = client.get(page.url).content.decode()
    assert html.index("Basic Kit") < html.index("Pro Kit")
    assert "$19.00" in html and "$49.00" in html and "Most popular" in html
    assert html.count('aria-label="Included"') == 3
    assert html.count('aria-label="Not included"') == 1

    client.force_login(owner)
    html = client.get(page.url).content.decode()
    assert f'action="/downloads/{basic.pk}/"' in html
    assert f'href="/checkout/{pro.pk}/"' in html


def test_video_embeds_only_known_players(client):
    page = publish_landing_page(
        body=[
            {
                "type": "video",
                "value": {
                    "url": "https://youtu.be/aqz-KE-bpKQ",
                    "title": "Tour",
                    "caption": "",
                },
            }
        ]
    )
    html = client.get(page.url).content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"' in html
    assert 'title="Tour"' in html and 'loading="lazy"' in html

    block = VideoEmbedBlock()
    for url in ("https://evil.example/watch?v=aqz-KE-bpKQ", "javascript:alert(1)"):
        with pytest.raises((StructBlockValidationError, Exception)):
            block.clean(block.to_python({"url": url, "title": "x", "caption": ""}))


def test_countdown_before_and_after_its_date(client):
    ends = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    page = publish_landing_page(
        body=[
            {
                "type": "countdown",
                "value": {
                    "heading": "Sale ends",
                    "ends_at": ends.isoformat(),
                    "text": "",
                    "ended_text": "Too late, sorry.",
                },
            },
            {
                "type": "countdown",
                "value": {
                    "heading": "Launch",
                    "ends_at": (timezone.now() - timedelta(hours=1)).isoformat(),
                    "text": "",
                    "ended_text": "It has launched.",
                },
            },
        ]
    )
    html = client.get(page.url).content.decode()
    # Without JavaScript: the date, readable; with it, the clock ticks.
    assert f'<time datetime="{ends.isoformat()}">' in html
    assert ends.strftime("%-d %B %Y, %H:%M") + " UTC" in html
    assert "js/countdown" in html and "data-countdown-clock" in html
    assert "It has launched." in html
    assert html.count("block-countdown__ended") == 1


def test_logo_strip_renders_each_logo_with_its_name(client):
    image = Image.objects.create(title="Press", file=get_test_image_file())
    page = publish_landing_page(
        body=[
            {
                "type": "logo_strip",
                "value": {
                    "heading": "As seen in",
                    "logos": [
                        {"image": image.pk, "name": "Daily Planet", "link": ""},
                        {
                            "image": image.pk,
                            "name": "The Bugle",
                            "link": "https://bugle.example/",
                        },
                    ],
                },
            }
        ]
    )
    html = client.get(page.url).content.decode()
    assert 'alt="Daily Planet"' in html and 'alt="The Bugle"' in html
    assert 'href="https://bugle.example/"' in html


def test_signup_form_keeps_the_page_cacheable(client):
    page = publish_landing_page(
        body=[
            {
                "type": "signup",
                "value": {
                    "heading": "Notify me",
                    "text": "",
                    "topic": "launch",
                    "button_text": "Notify me",
                },
            }
        ]
    )
    first = client.get(page.url)
    second = client.get(page.url)
    html = second.content.decode()
    assert 'action="/newsletter/subscribe/"' in html
    assert f'name="page" value="{page.pk}"' in html
    assert 'name="topic" value="launch"' in html
    assert second["X-Page-Cache"] == "hit"
    for response in (first, second):
        assert response.cookies == {}
        assert b"csrfmiddlewaretoken" not in response.content


def test_landing_page_can_hide_the_site_header_and_footer(client):
    shown = publish_landing_page(slug="with-chrome")
    hidden = publish_landing_page(slug="bare", hide_header=True, hide_footer=True)
    html = client.get(shown.url).content.decode()
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    html = client.get(hidden.url).content.decode()
    assert 'class="site-header"' not in html and 'class="site-footer"' not in html
    assert "<main" in html


@override_settings(PAGE_CACHE_SECONDS=0)
def test_every_block_has_icon_template_description_and_a_preview(client):
    ProductPageFactory(title="Preview Kit")
    Image.objects.create(title="Logo", file=get_test_image_file())
    client.force_login(StaffFactory(is_superuser=True))
    for name, block in BaseStreamBlock().child_blocks.items():
        assert block.meta.icon, name
        assert block.get_template(None), name
        assert block.get_description(), name
        assert block.is_previewable, name
        response = client.get(f"/admin/block-preview/?id={block.definition_prefix}")
        assert response.status_code == 200, name
        assert b"css/catalog.css" in response.content, name
