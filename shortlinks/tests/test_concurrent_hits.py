"""No hit is lost when many visitors follow the same link at the same moment."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client

from shortlinks import cache as link_cache
from shortlinks.models import ShortLink
from shortlinks.services import shortlink_hits_flush

from .factories import ShortLinkFactory

HITS = 200


def _follow(path: str) -> int:
    try:
        return Client().get(path).status_code
    finally:
        # Each worker thread has its own connection: give it back.
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_200_concurrent_hits_count_exactly_200(requires_postgres, requires_redis):
    link = ShortLinkFactory(slug="rush", destination="/products/")
    Client().get("/s/rush/")  # served from Redis from here on
    shortlink_hits_flush()  # that first hit leaves the buffer before the reset
    ShortLink.objects.filter(pk=link.pk).update(hit_count=0)
    assert link_cache.get("rush") is not None

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(_follow, ["/s/rush/"] * HITS))

    assert statuses == [302] * HITS
    shortlink_hits_flush()  # the hits were buffered in Redis
    link.refresh_from_db()
    assert link.hit_count == HITS
