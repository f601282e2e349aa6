"""Crediting an order with its visitor's touches when the checkout starts."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from django.db import transaction

from .models import OrderTouch, TouchKind
from .touches import Touch, Touches
from .visits import landing_page_id_for

logger = logging.getLogger(__name__)


def _row(order, kind: str, touch: Touch, site) -> OrderTouch:
    from shortlinks.models import ShortLink

    # The id came from our signed cookie, but the link may be gone since.
    link_id = touch.link_id
    if link_id is not None and not ShortLink.objects.filter(pk=link_id).exists():
        link_id = None
    page_id = landing_page_id_for(site, touch.path)
    return OrderTouch(
        order=order,
        kind=kind,
        short_link_id=link_id,
        short_link_slug=touch.slug,
        utm_source=touch.source,
        utm_medium=touch.medium,
        utm_campaign=touch.campaign,
        landing_page_id=page_id,
        touched_at=datetime.fromtimestamp(touch.at, tz=UTC),
    )


def order_touches_record(*, order, touches: Touches, site) -> list[OrderTouch]:
    """Store the first and last touch on ``order`` (nothing for a direct visit);
    a touch's path names a landing page when it is one of ``site``'s.

    Attribution must never cost a sale: a failure is logged and the checkout goes on.
    """
    credited = ((TouchKind.FIRST, touches.first), (TouchKind.LAST, touches.last))
    try:
        rows = [_row(order, kind, touch, site) for kind, touch in credited if touch]
        if not rows:
            return []
        with transaction.atomic():
            OrderTouch.objects.filter(order=order).delete()
            return OrderTouch.objects.bulk_create(rows)
    except Exception:  # noqa: BLE001
        logger.warning("order %s: source not recorded", order.pk, exc_info=True)
        return []
