"""What a landing page says to search engines and link previews."""

import re

import pytest

from catalog.tests.helpers import make_image, sitemap_xml

from .helpers import publish_landing_page

pytestmark = pytest.mark.django_db


def _meta(html: str, attribute: str, name: str) -> str | None:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return match[1] if match else None


def test_open_graph_and_twitter_tags_from_the_sharing_fields(client, settings):
    settings.SITE_URL = "https://shop.example"
    image = make_image("share")
    page = publish_landing_page(
        slug="spring",
        title="Spring sale",
        share_title="Save 30% this spring",
        share_description="Every starter kit, one week only.",
        share_image=image,
    )
    html = client.get(page.url).content.decode()
    assert _meta(html, "property", "og:title") == "Save 30% this spring"
    assert _meta(html, "name", "twitter:title") == "Save 30% this spring"
    assert _meta(html, "property", "og:description") == (
        "Every starter kit, one week only."
    )
    assert _meta(html, "property", "og:url") == "https://shop.example/spring/"
    og_image = _meta(html, "property", "og:image")
    assert og_image.startswith("https://shop.example/") and "1200x630" in og_image
    assert _meta(html, "name", "twitter:image") == og_image
    assert _meta(html, "name", "twitter:card") == "summary_large_image"
    assert '<link rel="canonical" href="https://shop.example/spring/">' in html
    assert 'name="robots"' not in html


def test_fallbacks_canonical_override_and_noindex(client, settings):
    settings.SITE_URL = "https://shop.example"
    page = publish_landing_page(
        slug="plain",
        title="Plain page",
        seo_title="Plain SEO title",
        search_description="Found by search.",
        canonical_url="https://partner.example/offer/",
        noindex=True,
    )
    html = client.get(page.url).content.decode()
    assert _meta(html, "property", "og:title") == "Plain SEO title"
    assert _meta(html, "property", "og:description") == "Found by search."
    assert _meta(html, "name", "description") == "Found by search."
    assert _meta(html, "name", "twitter:card") == "summary"
    assert _meta(html, "property", "og:image") is None
    assert '<link rel="canonical" href="https://partner.example/offer/">' in html
    assert _meta(html, "name", "robots") == "noindex"


def test_sitemap_lists_landing_pages_unless_noindex(client, committed):
    publish_landing_page(slug="indexed")
    hidden = publish_landing_page(slug="hidden", noindex=True)
    xml = sitemap_xml(client)
    assert "/indexed/" in xml
    assert "/hidden/" not in xml

    # Switching noindex off (a publish) brings it back once it commits, cache or not.
    hidden.noindex = False
    with committed():
        hidden.save_revision().publish()
    assert "/hidden/" in sitemap_xml(client)
