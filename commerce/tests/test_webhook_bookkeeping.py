"""Webhook bookkeeping (issue 12, point 7): attempts counted, errors kept, and an
event whose processing died with the database is retried by Dodo and ends
``processed`` exactly once. Deliveries go through /webhooks/dodo/ with real
Standard Webhooks signatures; the database error is raised where psycopg raises
it when the server goes away: in the middle of the payment's transaction.
"""

import pytest
from django.db import OperationalError

from commerce.dodo import webhooks
from commerce.models import OrderStatus, PurchasedProduct, WebhookEvent, WebhookOutcome
from commerce.services import orders
from commerce.tests.conftest import WEBHOOK_URL, payment_data, signed

pytestmark = pytest.mark.django_db

DB_GONE = "server closed the connection unexpectedly"


def post(client, body, headers):
    return client.post(
        WEBHOOK_URL, data=body, content_type="application/json", headers=headers
    )


def test_a_database_death_is_answered_5xx_counted_and_healed_once(
    client, synced_order, monkeypatch
):
    real = orders.purchase_grant
    failures = {"left": 2}

    def dies_with_the_database(**kwargs):
        if failures["left"]:
            failures["left"] -= 1
            raise OperationalError(DB_GONE)
        return real(**kwargs)

    monkeypatch.setattr(orders, "purchase_grant", dies_with_the_database)
    body, headers = signed("payment.succeeded", payment_data(synced_order))

    statuses = [post(client, body, headers).status_code for _ in range(2)]

    assert statuses == [500, 500]  # Dodo retries a 5xx
    event = WebhookEvent.objects.get()
    assert (event.outcome, event.attempts) == (WebhookOutcome.FAILED, 2)
    assert event.error == f"OperationalError: {DB_GONE}"
    # The first failure rolled back the delivery's insert with the payment: the
    # event is recorded anew, whole, so that a retry or staff can act on it.
    assert (event.event_type, event.dodo_payment_id) == ("payment.succeeded", "pay_1")
    assert event.body == body and event.payload["data"]["payment_id"] == "pay_1"
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PENDING
    assert not PurchasedProduct.objects.exists()

    assert post(client, body, headers).status_code == 200  # Dodo's next retry
    assert post(client, body, headers).status_code == 200  # and a late duplicate

    event.refresh_from_db()
    assert (event.outcome, event.attempts, event.error) == (
        WebhookOutcome.PROCESSED,
        3,
        "",
    )
    assert PurchasedProduct.objects.filter(user=synced_order.user).count() == 1
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PAID


def test_when_the_failure_cannot_be_written_either_the_answer_is_still_5xx(
    client, synced_order, monkeypatch, caplog
):
    def dies_with_the_database(**kwargs):
        raise OperationalError(DB_GONE)

    real_filter = WebhookEvent.objects.filter
    real_create = WebhookEvent.objects.create

    class Gone:
        def update(self, **fields):
            raise OperationalError(DB_GONE)

    def create_fails_after_the_rollback(**fields):
        if fields.get("outcome") == WebhookOutcome.FAILED:
            raise OperationalError(DB_GONE)
        return real_create(**fields)

    monkeypatch.setattr(orders, "purchase_grant", dies_with_the_database)
    monkeypatch.setattr(
        WebhookEvent.objects, "filter", lambda *a, **kw: Gone(), raising=False
    )
    monkeypatch.setattr(
        WebhookEvent.objects, "create", create_fails_after_the_rollback, raising=False
    )
    body, headers = signed("payment.succeeded", payment_data(synced_order))

    response = post(client, body, headers)

    monkeypatch.setattr(WebhookEvent.objects, "filter", real_filter, raising=False)
    monkeypatch.setattr(WebhookEvent.objects, "create", real_create, raising=False)
    assert response.status_code == 500
    assert "failure not recorded" in caplog.text
    assert not PurchasedProduct.objects.exists()
    assert webhooks.STATUS_FOR_OUTCOME[WebhookOutcome.FAILED] >= 500
