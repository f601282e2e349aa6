"""Signed webhook deliveries from the sandbox to our own ``/webhooks/dodo/``."""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
from standardwebhooks import Webhook

from commerce.dodo import client as dodo
from site_config.base_url import site_url

from . import store

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/dodo/"


def envelope(*, event_type: str, data: dict[str, Any], timestamp: str) -> str:
    """The JSON body Dodo posts: ``{business_id, type, timestamp, data}``."""
    return json.dumps(
        {
            "business_id": store.BUSINESS_ID,
            "type": event_type,
            "timestamp": timestamp,
            "data": data,
        }
    )


def signed_delivery(
    *,
    event_type: str,
    data: dict[str, Any],
    webhook_id: str | None = None,
    timestamp: str | None = None,
) -> tuple[bytes, dict[str, str]]:
    """Body and Standard Webhooks headers for one event, as Dodo would send them."""
    webhook_id = webhook_id or store.new_id("msg")
    body = envelope(
        event_type=event_type, data=data, timestamp=timestamp or store.now_iso()
    )
    sent_at = datetime.now(tz=UTC)
    signature = Webhook(dodo.webhook_key()).sign(webhook_id, sent_at, body)
    headers = {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
    }
    return body.encode(), headers


# ``data.payload_type`` of each event group, as Dodo sends it (the SDK keeps it as
# an extra attribute).
PAYLOAD_TYPES = {
    "payment": "Payment",
    "refund": "Refund",
    "dispute": "Dispute",
    "license_key": "LicenseKey",
}


_held: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "dodo_sandbox_held_events", default=None
)


@contextlib.contextmanager
def delivered_at_once() -> Iterator[None]:
    """Events sent inside are delivered when the block ends, in order, instead of
    after the transaction commits (test helpers: no commit happens in a test)."""
    held: list[str] = []
    reset = _held.set(held)
    try:
        yield
    finally:
        _held.reset(reset)
    for event_id in held:
        event_deliver(event_id=event_id)


def event_enqueue(*, event_type: str, data: dict[str, Any]) -> str:
    """Store the event and deliver it after this transaction commits."""
    from outbox.services import enqueue

    from .tasks import sandbox_webhook_deliver_task

    event_id = store.new_id("msg")
    payload_type = PAYLOAD_TYPES[event_type.partition(".")[0]]
    store.put(
        "webhook",
        event_id,
        {
            "type": event_type,
            "timestamp": store.now_iso(),
            "data": {**data, "payload_type": payload_type},
            "deliveries": [],
        },
    )
    held = _held.get()
    if held is not None:
        held.append(event_id)
    else:
        enqueue(sandbox_webhook_deliver_task, event_id)
    return event_id


def event_deliver(*, event_id: str) -> int:
    """POST the stored event to our webhook endpoint; returns the status code."""
    owner = store.owner_by_id("webhook", event_id)
    if owner is None:
        return 404
    with store.bound(owner):
        return _deliver(event_id, store.get("webhook", event_id))


def _deliver(event_id: str, event: dict[str, Any]) -> int:
    body, headers = signed_delivery(
        event_type=event["type"],
        data=event["data"],
        webhook_id=event_id,
        timestamp=event.get("timestamp"),
    )
    base = site_url()
    client = dodo.http_client(base_url=base) or httpx.Client(timeout=15.0)
    with client:
        response = client.post(base + WEBHOOK_PATH, content=body, headers=headers)
    event["deliveries"].append({"at": store.now_iso(), "status": response.status_code})
    store.put("webhook", event_id, event)
    if response.status_code >= 300:
        logger.warning("Sandbox webhook %s answered %s", event_id, response.status_code)
    return response.status_code
