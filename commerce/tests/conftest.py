"""Commerce tests talk to the Dodo sandbox through the real SDK over httpx.

Transport choice: ``DODO_SANDBOX_IN_PROCESS`` makes the SDK's httpx client use an
``httpx.WSGITransport`` into this Django, so the sandbox sees the test's own
(uncommitted) data. The browser test instead uses ``live_server`` over a socket.
"""

import json
import threading
import time
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook

from commerce.dodo import client as dodo

WEBHOOK_URL = "/webhooks/dodo/"


@pytest.fixture(autouse=True)
def _sandbox_in_process(settings):
    settings.DODO_SANDBOX = True
    settings.DODO_SANDBOX_IN_PROCESS = True
    settings.SITE_URL = "http://testserver"


def signed(event_type, data, *, webhook_id=None, key=None, sent_at=None, body=None):
    """A body and Standard Webhooks headers, signed like Dodo signs them."""
    webhook_id = webhook_id or f"msg_{time.monotonic_ns()}"
    if body is None:
        body = json.dumps(
            {
                "business_id": "bus_test",
                "type": event_type,
                "timestamp": datetime.now(tz=UTC).isoformat(),
                "data": data,
            }
        )
    sent_at = sent_at or datetime.now(tz=UTC)
    signature = Webhook(key or dodo.webhook_key()).sign(webhook_id, sent_at, body)
    headers = {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }
    return body, headers


def deliver(client, event_type, data, **kwargs):
    body, headers = signed(event_type, data, **kwargs)
    return client.post(
        WEBHOOK_URL,
        data=body,
        content_type="application/json",
        headers=headers,
    )


def deliver_counting_statements(client, event_type, data, **kwargs):
    """``deliver``, and the SQL of every statement it ran, in order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = deliver(client, event_type, data, **kwargs)
    return response, [query["sql"] for query in ctx.captured_queries]


def deliver_all_at_once(deliveries):
    """POST each (body, headers) from its own thread, released together by a barrier."""
    from django.db import connection
    from django.test import Client

    barrier = threading.Barrier(len(deliveries))
    statuses = []

    def run(body, headers):
        try:
            barrier.wait()
            response = Client().post(
                WEBHOOK_URL, data=body, content_type="application/json", headers=headers
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=d) for d in deliveries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def payment_data(
    order, *, payment_id="pay_1", status="succeeded", product_id=None, **fields
):
    """A payment payload for ``order`` as Dodo sends it in ``payment.*`` events.

    ``fields`` override or add Dodo fields (``discounts``, another ``currency``...).
    """
    return {
        "payload_type": "Payment",
        "payment_id": payment_id,
        "status": status,
        "total_amount": order.amount,
        "tax": 0 if status == "succeeded" else None,
        "currency": order.currency,
        "settlement_amount": order.amount,
        "settlement_currency": order.currency,
        "settlement_tax": 0 if status == "succeeded" else None,
        "metadata": {"order_id": str(order.pk)},
        "checkout_session_id": order.dodo_checkout_session_id or None,
        "product_cart": [
            {"product_id": product_id or order.product.dodo_product_id, "quantity": 1}
        ],
        "customer": {"customer_id": "cus_1", "email": order.user.email, "name": "X"},
        **fields,
    }


def refund_data(payment_id, *, amount=2500, is_partial=False):
    return {
        "payload_type": "Refund",
        "refund_id": f"rfd_{payment_id}",
        "payment_id": payment_id,
        "amount": amount,
        "currency": "USD",
        "status": "succeeded",
        "is_partial": is_partial,
    }


def dispute_data(payment_id, dispute_status):
    return {
        "payload_type": "Dispute",
        "dispute_id": "dsp_1",
        "payment_id": payment_id,
        "dispute_status": dispute_status,
        "amount": "25.00",
        "currency": "USD",
    }


@pytest.fixture
def synced_order(db):
    """A pending order whose product already has a Dodo id."""
    from catalog.models import ProductPage
    from commerce.tests.factories import OrderFactory

    order = OrderFactory(dodo_checkout_session_id="cks_test")
    ProductPage.objects.filter(pk=order.product_id).update(dodo_product_id="pdt_test")
    order.product.dodo_product_id = "pdt_test"
    return order
