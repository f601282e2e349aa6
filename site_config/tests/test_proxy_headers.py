"""The real client address and scheme are believed only from a trusted proxy."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from site_config.middleware import ProxyHeadersMiddleware


def _seen(settings, *, peer, trusted, **headers):
    settings.TRUSTED_PROXIES = trusted
    captured = {}

    def view(request):
        captured["addr"] = request.META["REMOTE_ADDR"]
        captured["proto"] = request.META.get("HTTP_X_FORWARDED_PROTO")
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR=peer, **headers)
    ProxyHeadersMiddleware(view)(request)
    return captured


def test_client_address_from_trusted_proxy(settings):
    seen = _seen(
        settings,
        peer="127.0.0.1",
        trusted=["127.0.0.1"],
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert seen == {"addr": "203.0.113.9", "proto": "https"}


def test_client_supplied_entries_left_of_the_proxy_are_ignored(settings):
    # The client sent "X-Forwarded-For: 1.2.3.4"; a load balancer (10.0.0.0/8)
    # appended the address it saw, then nginx appended the balancer's.
    seen = _seen(
        settings,
        peer="127.0.0.1",
        trusted=["127.0.0.1", "10.0.0.0/8"],
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20, 10.1.2.3",
    )
    assert seen["addr"] == "198.51.100.20"


@pytest.mark.parametrize("trusted", [[], ["10.0.0.1"]])
def test_headers_from_an_untrusted_peer_are_dropped(settings, trusted):
    seen = _seen(
        settings,
        peer="198.51.100.7",
        trusted=trusted,
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert seen == {"addr": "198.51.100.7", "proto": None}


def test_garbage_forwarded_for_keeps_the_peer(settings):
    seen = _seen(
        settings,
        peer="127.0.0.1",
        trusted=["127.0.0.1"],
        HTTP_X_FORWARDED_FOR="not-an-ip",
    )
    assert seen["addr"] == "127.0.0.1"


@pytest.mark.django_db
def test_axes_locks_out_the_real_client_not_the_proxy(client, settings):
    """Behind nginx, failures from one client do not lock out another one."""
    from accounts.models import User

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    User.objects.create_user(email="victim@example.com", password="right-pass-123")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/account/login/",
            {"username": "victim@example.com", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    locked = client.post(
        "/account/login/",
        {"username": "victim@example.com", "password": "right-pass-123"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert locked.status_code == 429
    other = client.post(
        "/account/login/",
        {"username": "victim@example.com", "password": "right-pass-123"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.5",
    )
    assert other.status_code == 302
