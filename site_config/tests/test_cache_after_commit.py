"""Cache work left for after the commit (site_config.cache): done once the change
commits, never for a rolled-back one, and in one round trip for a gathered block."""

import pytest
from django.core.cache import cache
from django.db import transaction

from site_config import cache as site_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean():
    cache.delete_many(["a", "b", "gen:x", "gen:y"])


def test_a_gathered_block_sends_its_cache_work_as_one_batch(committed):
    cache.set("a", 1)
    cache.set("b", 2)
    cache.set("gen:x", 41)
    with committed() as callbacks, site_cache.cache_work_gathered():
        site_cache.cache_forget_after_commit(["a"])
        site_cache.cache_bump_after_commit(["gen:x", "gen:y"])
        site_cache.cache_forget_after_commit(["b"])
        site_cache.cache_bump_after_commit(["gen:x"])  # twice in one change: once
        assert cache.get("a") == 1  # nothing is done before the block ends
    assert len(callbacks) == 1
    assert cache.get("a") is None
    assert cache.get("b") is None
    assert cache.get("gen:x") == 42
    # Never set: starts from the clock, a value no earlier entry can hold.
    assert cache.get("gen:y") > 10**18


def test_one_round_trip_on_redis(committed, requires_redis, monkeypatch):
    """Forgets and bumps of one transaction reach Redis as one pipeline."""
    client = site_cache.redis_client()
    sent = []
    real_pipeline = client.pipeline

    def pipeline(*args, **kwargs):
        pipe = real_pipeline(*args, **kwargs)
        real_execute = pipe.execute

        def execute(*a, **k):
            sent.append([command[0][0] for command in pipe.command_stack])
            return real_execute(*a, **k)

        pipe.execute = execute
        return pipe

    monkeypatch.setattr(client, "pipeline", pipeline)
    cache.set("gen:x", 7)
    with committed(), site_cache.cache_work_gathered():
        site_cache.cache_forget_after_commit(["a", "b"])
        site_cache.cache_bump_after_commit(["gen:x"])
        site_cache.cache_bump_after_commit(["gen:y"])
    assert len(sent) == 1
    assert sent[0].count("DEL") == 1
    assert cache.get("gen:x") == 8


def test_each_call_is_its_own_hook_outside_a_gathered_block(committed):
    cache.set("a", 1)
    cache.set("gen:x", 1)
    with committed() as callbacks:
        site_cache.cache_forget_after_commit(["a"])
        site_cache.cache_bump_after_commit(["gen:x"])
        assert cache.get("a") == 1  # waits for the commit
    assert len(callbacks) == 2
    assert cache.get("a") is None
    assert cache.get("gen:x") == 2


def test_a_rolled_back_change_outside_a_gathered_block_invalidates_nothing(committed):
    cache.set("a", 1)
    with committed():
        try:
            with transaction.atomic():
                site_cache.cache_forget_after_commit(["a"])
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert cache.get("a") == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_work_is_done_at_once():
    cache.set("a", 1)
    cache.set("gen:x", 5)
    site_cache.cache_forget_after_commit(["a"])
    site_cache.cache_bump_after_commit(["gen:x"])
    assert cache.get("a") is None
    assert cache.get("gen:x") == 6


def test_a_cache_failure_is_logged_and_never_raised(committed, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("cache is down")

    monkeypatch.setattr(site_cache, "redis_client", broken)
    with committed():
        site_cache.cache_forget_after_commit(["a"])
    assert "cache invalidation of ['a'] failed" in caplog.text
