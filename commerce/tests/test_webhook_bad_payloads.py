"""A signed delivery whose content can't be used is recorded and answered 400.

Each case once gave a 500 and left no row (so Dodo retried for a day and staff
had nothing to look at). The reason is kept on the event.
"""

import json

import pytest

from commerce.models import OrderStatus, PurchasedProduct, WebhookEvent
from commerce.tests.conftest import deliver, payment_data

pytestmark = pytest.mark.django_db


def _assert_rejected_and_kept(response, synced_order, reason: str) -> WebhookEvent:
    assert response.status_code == 400
    event = WebhookEvent.objects.get()
    assert event.outcome == "rejected"
    assert reason in event.error
    assert event.body  # the delivery is kept for staff
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PENDING
    assert not PurchasedProduct.objects.exists()
    return event


@pytest.mark.parametrize("amount", ["19.00", "lots", [1900], {"value": 1900}])
def test_a_non_integer_amount_is_rejected(client, synced_order, amount):
    data = payment_data(synced_order, total_amount=amount, settlement_amount=amount)
    response = deliver(client, "payment.succeeded", data)
    _assert_rejected_and_kept(response, synced_order, "amount")


def test_an_escaped_nul_character_is_rejected(client, synced_order):
    """``\\u0000`` is valid JSON but PostgreSQL's jsonb and text refuse it."""
    data = payment_data(synced_order, payment_id="pay_\u0000evil")
    response = deliver(client, "payment.succeeded", data)
    event = _assert_rejected_and_kept(response, synced_order, "NUL")
    assert event.payload is None


def test_a_raw_nul_byte_in_the_body_is_rejected(client, synced_order):
    body = json.dumps({"type": "payment.succeeded", "data": {}}) + "\x00"
    response = deliver(client, "payment.succeeded", {}, body=body)
    event = _assert_rejected_and_kept(response, synced_order, "NUL")
    assert "\x00" not in event.body


def test_a_redelivery_of_a_rejected_event_is_answered_the_same(client, synced_order):
    data = payment_data(synced_order, total_amount="lots")
    first = deliver(client, "payment.succeeded", data, webhook_id="msg_same")
    again = deliver(client, "payment.succeeded", data, webhook_id="msg_same")
    assert first.status_code == again.status_code == 400
    assert WebhookEvent.objects.count() == 1
