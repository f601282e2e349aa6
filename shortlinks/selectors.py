"""Reads for short links: the redirect's resolution and the admin's scoped list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from access import policy

from . import cache as link_cache
from .models import ShortLink


@dataclass(frozen=True)
class ResolvedLink:
    pk: int
    destination: str
    expires_at: datetime | None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


def shortlink_resolve(*, slug: str) -> ResolvedLink | None:
    """What ``/s/<slug>/`` points at, from the cache or else the database."""
    cached = link_cache.get(slug)
    if cached == link_cache.MISSING:
        return None
    if cached is not None:
        return ResolvedLink(**cached)
    row = (
        ShortLink.objects.filter(slug=slug)
        .values("pk", "destination", "expires_at")
        .first()
    )
    link_cache.put(slug, row if row is not None else link_cache.MISSING)
    return ResolvedLink(**row) if row is not None else None


def shortlinks_for_user(*, user) -> QuerySet[ShortLink]:
    """Staff see every link; anyone else only the links they own."""
    return policy.records_visible_to(user, ShortLink.objects.select_related("owner"))
