"""Hits buffered in Redis: no database write per redirect, none lost (issue 14).

The cache points at a private Redis of the test's own, which the last test stops.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_redis import get_redis_connection

from shortlinks import cache as link_cache
from shortlinks import services
from shortlinks.services import shortlink_hits_flush
from shortlinks.tasks import shortlink_hits_flush_task
from site_config.settings.base import redis_cache

from .factories import ShortLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_buffer(settings, private_redis):
    settings.CACHES = {"default": redis_cache(private_redis.url)}
    return private_redis


@pytest.mark.parametrize("other_links", [0, 40])
def test_a_cached_redirect_runs_no_query_and_the_flush_counts_every_hit(
    client, redis_buffer, django_assert_num_queries, other_links
):
    ShortLinkFactory.create_batch(other_links)
    hot = ShortLinkFactory(slug="hot", destination="/products/")
    cold = ShortLinkFactory(slug="cold", destination="/products/")
    client.get("/s/hot/")  # warms the slug cache
    assert link_cache.get("hot") is not None

    with django_assert_num_queries(0):
        for _ in range(4):
            assert client.get("/s/hot/").status_code == 302
    client.get("/s/cold/")

    hot.refresh_from_db()
    assert hot.hit_count == 0  # still in the buffer
    before = timezone.now()
    with CaptureQueriesContext(connection) as flush:
        moved = shortlink_hits_flush()
    updates = [q for q in flush.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 2  # one per link, not one per hit
    assert moved == 6
    hot.refresh_from_db()
    cold.refresh_from_db()
    assert (hot.hit_count, cold.hit_count) == (5, 1)
    assert hot.last_hit_at is not None and hot.last_hit_at <= before
    # Flushed once: a second flush moves nothing and adds nothing.
    assert shortlink_hits_flush_task() == 0
    hot.refresh_from_db()
    assert hot.hit_count == 5


def test_hits_during_a_flush_go_to_the_next_one(client, redis_buffer):
    link = ShortLinkFactory(slug="busy")
    client.get("/s/busy/")
    assert shortlink_hits_flush() == 1
    client.get("/s/busy/")
    client.get("/s/busy/")
    assert shortlink_hits_flush() == 2
    link.refresh_from_db()
    assert link.hit_count == 3


def test_a_batch_left_by_a_killed_flush_is_applied_by_the_next(client, redis_buffer):
    link = ShortLinkFactory(slug="retry")
    for _ in range(3):
        client.get("/s/retry/")
    # What a flush killed after taking the buffer leaves behind.
    raw = get_redis_connection("default")
    raw.rename(services.COUNTS, f"{services.FLUSHING}killed")
    raw.rename(services.LAST_HIT, f"{services.FLUSHING}killed{services.LAST_SUFFIX}")
    client.get("/s/retry/")  # a new hit, into a new buffer

    assert shortlink_hits_flush() == 4
    link.refresh_from_db()
    assert link.hit_count == 4
    assert not list(raw.scan_iter(match=f"{services.FLUSHING}*"))


def test_with_redis_down_every_hit_is_counted_in_the_database(client, redis_buffer):
    link = ShortLinkFactory(slug="down")
    redis_buffer.stop()

    for _ in range(3):
        assert client.get("/s/down/").status_code == 302

    link.refresh_from_db()
    assert link.hit_count == 3
    assert shortlink_hits_flush_task() == 0  # nothing to move; no error either


def test_beat_flushes_every_minute():
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    from site_config.celery import app

    # A transactional test elsewhere may have flushed the kept test database:
    # start from no row and run the migration's own function.
    PeriodicTask.objects.filter(task="shortlinks.hits_flush").delete()
    importlib.import_module(
        "shortlinks.migrations.0003_hits_flush_beat_schedule"
    ).create_schedule(apps, None)
    task = PeriodicTask.objects.get(task="shortlinks.hits_flush")
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (1, "minutes")
    app.loader.import_default_modules()
    assert "shortlinks.hits_flush" in app.tasks


def test_a_cached_link_is_resolved_and_counted_by_one_script(
    client, redis_buffer, monkeypatch, django_assert_num_queries
):
    link = ShortLinkFactory(slug="quick", destination="/products/")
    client.get("/s/quick/")  # a miss: read from the row, counted apart, cached
    raw = get_redis_connection("default")
    assert raw.hget(services.COUNTS, link.pk) == b"1"

    # From now on the follow script counts: the separate counting call never runs.
    monkeypatch.setattr(
        "shortlinks.views.shortlink_record_hit",
        lambda **kwargs: pytest.fail("counted twice"),
    )
    with django_assert_num_queries(0):
        for _ in range(3):
            assert client.get("/s/quick/")["Location"] == "/products/"

    assert raw.hget(services.COUNTS, link.pk) == b"4"
    assert float(raw.hget(services.LAST_HIT, link.pk)) <= timezone.now().timestamp()
    assert shortlink_hits_flush() == 4
    link.refresh_from_db()
    assert link.hit_count == 4


def test_an_expired_cached_link_is_410_and_not_counted(client, redis_buffer):
    link = ShortLinkFactory(slug="late")
    client.get("/s/late/")
    cached = link_cache.get("late")
    cached["expires_at"] = timezone.now()
    link_cache.put("late", cached)

    assert client.get("/s/late/").status_code == 410
    assert get_redis_connection("default").hget(services.COUNTS, link.pk) == b"1"


def test_an_unknown_slug_is_remembered_and_counts_nothing(client, redis_buffer):
    assert client.get("/s/nobody/").status_code == 404
    assert link_cache.get("nobody") == link_cache.MISSING
    with CaptureQueriesContext(connection) as again:
        assert client.get("/s/nobody/").status_code == 404
    # (Wagtail's redirects still look the 404's path up: not a short-link read.)
    assert not [q for q in again.captured_queries if "shortlinks_" in q["sql"]]
    assert not get_redis_connection("default").exists(services.COUNTS)
