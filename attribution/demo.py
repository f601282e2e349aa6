"""Demo sources: the demo customer's purchases came through campaigns.

One through the ``/s/shop/`` short link after a newsletter (first touch), one
from a tagged social post, so the seller's Sources panel and the launch-week
landing page's Campaign tab have something to show. Rows are only added to paid
demo orders that have none, so running it again changes nothing.
"""

from __future__ import annotations

from accounts.demo import CUSTOMER
from commerce.models import Order

from .models import OrderTouch, TouchKind

# Visits the demo short link is said to have had, so its conversion reads sensibly.
DEMO_LINK_HITS = 24


def _touches(order, link, landing):
    newsletter = {
        "utm_source": "newsletter",
        "utm_medium": "email",
        "utm_campaign": "launch-week",
        "landing_page": landing,
    }
    if link is not None:
        return [
            (TouchKind.FIRST, newsletter),
            (TouchKind.LAST, {"short_link": link, "short_link_slug": link.slug}),
        ]
    social = {"utm_source": "twitter", "utm_medium": "social"}
    return [(TouchKind.FIRST, social), (TouchKind.LAST, social)]


def seed(out) -> None:
    from home.models import LandingPage
    from shortlinks.models import ShortLink

    orders = list(
        Order.objects.filter(user__email=CUSTOMER.email, paid_at__isnull=False)
        .filter(touches__isnull=True)
        .order_by("pk")[:2]
    )
    if not orders:
        out.write("Demo sources: nothing to credit (already done, or no demo orders).")
        return
    link = ShortLink.objects.filter(slug="shop").first()
    landing = LandingPage.objects.filter(slug="launch-week").first()
    for index, order in enumerate(orders):
        for kind, fields in _touches(order, link if index == 0 else None, landing):
            OrderTouch.objects.create(
                order=order, kind=kind, touched_at=order.created_at, **fields
            )
    if link is not None and link.hit_count < DEMO_LINK_HITS:
        ShortLink.objects.filter(pk=link.pk).update(hit_count=DEMO_LINK_HITS)
    out.write(f"Demo sources: {len(orders)} demo orders credited to campaigns.")
