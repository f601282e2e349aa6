"""Campaign links of a landing page: its short link, UTM-tagged URLs, visits, sales.

Every URL is absolute on the shop's public address (``site_config.base_url``).
Sales are those whose buyer's last (or first) touch landed on the page
(``attribution``): through its short link, a tagged URL, or any link to it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction

from site_config.cache import cache_get, cache_set

from .seo import page_public_url

logger = logging.getLogger(__name__)

# (utm_source, utm_medium, label) of the URLs offered to copy.
UTM_CHANNELS = (
    ("newsletter", "email", "E-mail newsletter"),
    ("twitter", "social", "X / Twitter"),
    ("facebook", "social", "Facebook"),
    ("linkedin", "social", "LinkedIn"),
    ("instagram", "social", "Instagram bio"),
)
SHORT_LINK_SOURCE = ("short-link", "referral")


@dataclass(frozen=True)
class UtmLink:
    label: str
    url: str


@dataclass
class Campaign:
    page_url: str
    utm_links: list[UtmLink] = field(default_factory=list)
    short_url: str = ""
    short_link_hits: int | None = None
    ga4_configured: bool = False
    ga4_views: int | None = None
    sales: object = None  # attribution.selectors.PageSales
    signups_confirmed: int = 0
    signups_pending: int = 0


def utm_url(page, *, source: str, medium: str) -> str:
    """The page's public URL tagged for one channel; the campaign is the page slug."""
    query = urlencode(
        {"utm_source": source, "utm_medium": medium, "utm_campaign": page.slug}
    )
    return f"{page_public_url(page)}?{query}"


def short_link_destination(page) -> str:
    """Where the page's short link points: its path, tagged as the short link."""
    source, medium = SHORT_LINK_SOURCE
    query = urlencode(
        {"utm_source": source, "utm_medium": medium, "utm_campaign": page.slug}
    )
    return f"{page.get_url() or '/'}?{query}"


def _slug_for(page) -> str:
    from shortlinks.models import SLUG_MAX_LENGTH, ShortLink, slug_validator

    candidate = page.slug[:SLUG_MAX_LENGTH].strip("-")
    try:
        slug_validator(candidate)
    except Exception:  # noqa: BLE001 - not a valid short slug: let one be made
        return ""
    return "" if ShortLink.objects.filter(slug=candidate).exists() else candidate


@transaction.atomic
def landing_page_short_link_ensure(*, page, user) -> None:
    """Give a published landing page its short link, or point it at the page again.

    The link belongs to whoever published (``user``), or the page's owner; the
    page's own slug is its slug when that is free.
    """
    from shortlinks.models import ShortLink

    from .models import LandingPage

    page = LandingPage.objects.select_for_update().get(pk=page.pk)
    destination = short_link_destination(page)
    link = page.short_link
    if link is not None:
        if link.destination != destination:
            link.destination = destination
            link.save(update_fields=["destination", "updated_at"])
        return
    owner = user if user is not None else page.owner
    if owner is None:
        logger.info("landing page %s has no owner: no short link made", page.pk)
        return
    link = ShortLink(owner=owner, slug=_slug_for(page), destination=destination)
    link.full_clean(exclude=["owner"])
    link.save()
    LandingPage.objects.filter(pk=page.pk).update(short_link=link)


def _ga4_page_views(page) -> int | None:
    from catalog.dashboard.analytics import page_path_views

    path = page.get_url() or "/"
    key = f"campaign:ga4:{page.pk}"
    views = cache_get(key)
    if views is None:
        counts = page_path_views([path])
        if counts is None:
            return None
        views = counts.get(path, 0)
        cache_set(key, views, settings.GA4_CACHE_SECONDS)
    return views


def landing_page_campaign(*, page) -> Campaign:
    """Everything the Campaign tab shows for ``page``."""
    from catalog.dashboard.analytics import ga4_configured

    campaign = Campaign(page_url=page_public_url(page))
    campaign.utm_links = [
        UtmLink(label, utm_url(page, source=source, medium=medium))
        for source, medium, label in UTM_CHANNELS
    ]
    if page.short_link_id:
        from site_config.base_url import absolute_url

        link = page.short_link
        campaign.short_url = absolute_url(link.get_absolute_url())
        campaign.short_link_hits = link.hit_count
    from attribution.selectors import landing_page_sales
    from newsletter.selectors import signup_counts_for_page

    campaign.sales = landing_page_sales(page_id=page.pk)

    counts = signup_counts_for_page(page_id=page.pk)
    campaign.signups_confirmed = counts["confirmed"]
    campaign.signups_pending = counts["pending"]
    campaign.ga4_configured = ga4_configured()
    if campaign.ga4_configured and page.live:
        campaign.ga4_views = _ga4_page_views(page)
    return campaign
