"""Writes for short links."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from .models import ShortLink


def shortlink_record_hit(*, link_id: int) -> None:
    """Count one visit with a single atomic UPDATE, so concurrent hits never collide.

    ``update()`` skips ``save()``: the cached destination stays valid.
    """
    ShortLink.objects.filter(pk=link_id).update(
        hit_count=F("hit_count") + 1, last_hit_at=timezone.now()
    )
