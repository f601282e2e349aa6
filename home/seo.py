"""What a landing page tells search engines and link previews (Open Graph, Twitter)."""

from __future__ import annotations

from dataclasses import dataclass

from site_config.base_url import public_url

SHARE_RENDITION = "fill-1200x630"


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    canonical_url: str
    image_url: str
    image_alt: str
    noindex: bool


def _absolute(url: str) -> str:
    # Media in the bucket already has its own absolute URL; local media is a path.
    return public_url(url)


def page_public_url(page, request=None) -> str:
    """The page's address on the shop's public address (site_config.base_url)."""
    return _absolute(page.get_url(request=request) or "/")


def landing_page_meta(*, page, request=None) -> PageMeta:
    """Title, text, image and canonical address for ``page``'s head, with fallbacks."""
    image_url = image_alt = ""
    if page.share_image_id:
        image = page.share_image
        image_url = _absolute(image.get_rendition(SHARE_RENDITION).url)
        image_alt = image.default_alt_text or image.title
    return PageMeta(
        title=page.share_title or page.seo_title or page.title,
        description=page.share_description or page.search_description or page.intro,
        canonical_url=page.canonical_url or page_public_url(page, request),
        image_url=image_url,
        image_alt=image_alt,
        noindex=page.noindex,
    )
