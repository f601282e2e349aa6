"""Reads for short links: the redirect's resolution and the admin's scoped list."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from access import policy

from . import cache as link_cache
from .models import ShortLink

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResolvedLink:
    pk: int
    destination: str
    expires_at: datetime | None

    @property
    def is_expired(self) -> bool:
        return self.expired_at(timezone.now())

    def expired_at(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


def shortlink_follow(*, slug: str, now: datetime) -> tuple[ResolvedLink | None, bool]:
    """(link, counted): a visit to ``/s/<slug>/`` at ``now``.

    A cached live link is resolved and its hit counted in one Redis round trip
    (``cache.follow``); ``counted`` is False when the caller must still count it
    (a miss read from the database, Redis down, another cache backend).
    """
    try:
        cached, counted = link_cache.follow(slug, now)
    except Exception:  # noqa: BLE001 - Redis down: the database answers and counts
        logger.warning("short link cache unavailable", exc_info=True)
        return _from_database(slug, remember=False), False
    if cached == link_cache.MISSING:
        return None, False
    if cached is not None:
        return ResolvedLink(**cached), counted
    return _from_database(slug), False


def _from_database(slug: str, *, remember: bool = True) -> ResolvedLink | None:
    row = (
        ShortLink.objects.filter(slug=slug)
        .values("pk", "destination", "expires_at")
        .first()
    )
    if remember:
        link_cache.put(slug, row if row is not None else link_cache.MISSING)
    return ResolvedLink(**row) if row is not None else None


def shortlinks_for_user(*, user) -> QuerySet[ShortLink]:
    """Staff see every link; anyone else only the links they own."""
    return policy.records_visible_to(user, ShortLink.objects.select_related("owner"))
