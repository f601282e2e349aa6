"""Request ids: echoed to the client, on every log line, carried into Celery tasks."""

from __future__ import annotations

import io
import json
import logging
import re

from celery.signals import task_prerun
from django.conf import settings
from django.utils.module_loading import import_string
from django_guid import get_guid, set_guid

from site_config import base_url
from site_config.celery import ping
from site_config.tests.faults import wait_for

REQUEST_ID = "0f3c5e9a2b7d4c1e8a6f9b2d4c7e1a3b"


def _json_handler() -> tuple[logging.Handler, io.StringIO]:
    """A handler built from settings.LOGGING's JSON formatter and filters."""
    config = dict(settings.LOGGING["formatters"]["json"])
    formatter_class = import_string(config.pop("()"))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        formatter_class(fmt=config["format"], rename_fields=config["rename_fields"])
    )
    for name in settings.LOGGING["handlers"]["console"]["filters"]:
        handler.addFilter(import_string(settings.LOGGING["filters"][name]["()"])())
    return handler, stream


def test_a_given_request_id_is_echoed(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=REQUEST_ID)
    assert response["X-Request-ID"] == REQUEST_ID


def test_without_one_or_with_junk_a_new_id_is_made(client):
    fresh = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", fresh)
    junk = client.get("/healthz", HTTP_X_REQUEST_ID="<script>x</script>")
    assert re.fullmatch(r"[0-9a-f]{32}", junk["X-Request-ID"])
    assert junk["X-Request-ID"] != fresh


def test_json_log_lines_carry_the_request_id(client, settings):
    settings.SITE_URL = "https://shop.example.com"
    base_url._reported_hosts.discard("elsewhere.example")
    handler, stream = _json_handler()
    logger = logging.getLogger("site_config.base_url")
    logger.addHandler(handler)
    try:
        # A request under another host than SITE_URL logs one warning.
        client.get(
            "/healthz", HTTP_HOST="elsewhere.example", HTTP_X_REQUEST_ID=REQUEST_ID
        )
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert len(lines) == 1
    assert lines[0]["request_id"] == REQUEST_ID
    assert lines[0]["level"] == "WARNING"
    assert lines[0]["logger"] == "site_config.base_url"
    assert "elsewhere.example" in lines[0]["message"]


def test_a_task_runs_under_the_id_of_the_request_that_published_it(
    celery_worker_redis,
):
    seen: list[str | None] = []

    def record(sender=None, **kwargs):
        if sender.name == "storefront.ping":
            seen.append(get_guid())

    task_prerun.connect(record, weak=False)
    set_guid(REQUEST_ID)
    try:
        ping.delay("traced")
        assert wait_for(lambda: seen)
    finally:
        task_prerun.disconnect(record)
        set_guid(None)
    assert seen == [REQUEST_ID]
