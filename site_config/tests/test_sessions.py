"""Sessions in the database, read through the cache (site_config.sessions)."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from site_config.sessions import SessionStore
from site_config.tests.faults import seconds_left

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cached_sessions(settings):
    settings.SESSION_ENGINE = "site_config.sessions"
    settings.SESSION_CACHE_SECONDS = 120


def session_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/account/").status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"]]


def test_a_signed_in_request_reads_the_session_from_the_cache(client):
    client.force_login(UserFactory())
    assert session_queries(client) == []
    # The row is the truth: with the cached copy gone, it is read (and cached).
    cache.clear()
    assert len(session_queries(client)) == 1
    assert session_queries(client) == []


def test_the_cached_copy_lives_at_most_session_cache_seconds(client):
    client.force_login(UserFactory())
    key = client.cookies["sessionid"].value
    row = Session.objects.get(session_key=key)
    assert row.expire_date.timestamp() - time.time() > 86400  # the session: weeks
    assert 0 < seconds_left(SessionStore.cache_key_prefix + key) <= 120  # minutes


def test_logout_ends_the_session_everywhere(client):
    client.force_login(UserFactory())
    key = client.cookies["sessionid"].value
    assert client.get("/account/").status_code == 200
    client.post("/account/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert cache.get(SessionStore.cache_key_prefix + key) is None
    client.cookies["sessionid"] = key  # a copied cookie opens nothing
    assert client.get("/account/").status_code == 302
