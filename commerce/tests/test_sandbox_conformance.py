"""The sandbox answers and sends exactly what the SDK's own models declare.

Every endpoint the store calls is exercised through the real SDK client with
``_strict_response_validation=True`` (a missing required field raises
``APIResponseValidationError``), and every response body and every webhook the
sandbox sends is also checked with pydantic's strict mode against
``dodopayments.types``.
"""

from __future__ import annotations

import json
import typing
from urllib.parse import urlparse

import dodopayments
import pytest
from dodopayments import types as dodo_types

from commerce.dodo import client as dodo
from commerce.dodo.sandbox import events, store
from commerce.dodo.sandbox.models import SandboxObject

pytestmark = pytest.mark.django_db


def _event_models() -> dict[str, type]:
    """``event type -> model`` from the SDK's ``UnwrapWebhookEvent`` union."""
    union = typing.get_args(dodo_types.UnwrapWebhookEvent)[0]
    models = {}
    for model in typing.get_args(union):
        (event_type,) = typing.get_args(model.model_fields["type"].annotation)
        models[event_type] = model
    return models


EVENT_MODELS = _event_models()


def strict_client() -> tuple[dodopayments.DodoPayments, list]:
    """The SDK client, strict, remembering each raw JSON body it received."""
    seen: list[tuple[str, bytes]] = []
    http = dodo.http_client()

    def record(response):
        response.read()
        seen.append((response.request.url.path, response.content))

    http.event_hooks["response"].append(record)
    sdk = dodopayments.DodoPayments(
        bearer_token=dodo.sandbox_token(),
        base_url=dodo.sandbox_api_url(),
        http_client=http,
        max_retries=0,
        _strict_response_validation=True,
    )
    return sdk, seen


def strictly(model: type, body: bytes | str):
    """Pydantic strict mode on the JSON: no coercion, every required field present."""
    return model.model_validate_json(body, strict=True)


def _pay(client, checkout_url: str, action: str = "pay") -> None:
    response = client.post(urlparse(checkout_url).path, {"action": action})
    assert response.status_code == 303


def _sent_events() -> list[tuple[str, str]]:
    """Each stored sandbox webhook as the exact JSON body it is delivered with."""
    return [
        (
            row.data["type"],
            events.envelope(
                event_type=row.data["type"],
                data=row.data["data"],
                timestamp=row.data["timestamp"],
            ),
        )
        for row in SandboxObject.objects.filter(kind="webhook").order_by("id")
    ]


def test_every_endpoint_the_store_uses_is_strictly_valid(client):
    sdk, seen = strict_client()
    price = {"type": "one_time_price", "price": 2500, "currency": "USD"}
    product = sdk.products.create(
        name="Book", description="A book", price=price, tax_category="e_book"
    )
    assert isinstance(product, dodo_types.Product)
    sdk.products.update(product.product_id, name="Book 2", price=price)
    assert sdk.products.retrieve(product.product_id).name == "Book 2"
    sdk.products.archive(product.product_id)
    sdk.products.unarchive(product.product_id)

    customer = sdk.customers.create(email="b@example.com", name="B")
    sdk.customers.update(customer.customer_id, name="Bee")
    assert sdk.customers.retrieve(customer.customer_id).name == "Bee"

    session = sdk.checkout_sessions.create(
        product_cart=[{"product_id": product.product_id, "quantity": 1}],
        customer={"customer_id": customer.customer_id},
        billing_address={"country": "DE", "city": "Berlin"},
        return_url="http://testserver/back/",
        metadata={"order_id": "1"},
    )
    status = sdk.checkout_sessions.retrieve(session.session_id)
    assert status.payment_id is None
    _pay(client, session.checkout_url)
    status = sdk.checkout_sessions.retrieve(session.session_id)
    assert status.payment_status == "succeeded"

    payment = sdk.payments.retrieve(status.payment_id)
    assert isinstance(payment, dodo_types.Payment)
    assert payment.settlement_amount == payment.total_amount == 2500
    assert [p.payment_id for p in sdk.payments.list()] == [payment.payment_id]
    assert list(sdk.payments.list(status="failed")) == []

    partial = sdk.refunds.create(
        payment_id=payment.payment_id,
        items=[{"item_id": product.product_id, "amount": 1000}],
        reason="partly",
    )
    assert (partial.status, partial.amount, partial.is_partial) == (
        "succeeded",
        1000,
        True,
    )
    assert sdk.payments.retrieve(payment.payment_id).refund_status == "partial"
    rest = sdk.refunds.create(payment_id=payment.payment_id, reason="the rest")
    assert (rest.amount, rest.is_partial) == (1500, False)
    refunded = sdk.payments.retrieve(payment.payment_id)
    assert refunded.refund_status == "full"
    assert {r.business_id for r in refunded.refunds} == {store.BUSINESS_ID}
    assert sdk.refunds.retrieve(rest.refund_id).refund_id == rest.refund_id
    assert {r.refund_id for r in sdk.refunds.list()} == {
        partial.refund_id,
        rest.refund_id,
    }
    with pytest.raises(dodopayments.UnprocessableEntityError):
        sdk.refunds.create(payment_id=payment.payment_id)

    # Beyond the SDK's own (lax-mode) check: pydantic strict mode on each body.
    shapes = {
        "/dodo-sandbox/api/products": dodo_types.Product,
        f"/dodo-sandbox/api/products/{product.product_id}": dodo_types.Product,
        "/dodo-sandbox/api/customers": dodo_types.Customer,
        f"/dodo-sandbox/api/customers/{customer.customer_id}": dodo_types.Customer,
        "/dodo-sandbox/api/checkouts": dodo_types.CheckoutSessionResponse,
        f"/dodo-sandbox/api/checkouts/{session.session_id}": (
            dodo_types.CheckoutSessionStatus
        ),
        f"/dodo-sandbox/api/payments/{payment.payment_id}": dodo_types.Payment,
        "/dodo-sandbox/api/refunds": dodo_types.Refund,
        f"/dodo-sandbox/api/refunds/{rest.refund_id}": dodo_types.Refund,
    }
    checked = 0
    for path, body in seen:
        data = json.loads(body) if body else None
        if isinstance(data, dict) and "items" in data:
            model = (
                dodo_types.PaymentListResponse
                if path.endswith("/payments")
                else dodo_types.Refund
            )
            for item in data["items"]:
                strictly(model, json.dumps(item))
                checked += 1
        elif path in shapes and data and "code" not in data:
            strictly(shapes[path], body)
            checked += 1
    assert checked >= 15


def test_a_declined_payment_is_strictly_valid(client):
    sdk, _ = strict_client()
    product = sdk.products.create(
        name="Book",
        price={"type": "one_time_price", "price": 900, "currency": "EUR"},
        tax_category="digital_products",
    )
    customer = sdk.customers.create(email="d@example.com", name="D")
    session = sdk.checkout_sessions.create(
        product_cart=[{"product_id": product.product_id, "quantity": 1}],
        customer={"customer_id": customer.customer_id},
        billing_address={"country": "FR"},
        return_url="http://testserver/back/",
    )
    _pay(client, session.checkout_url, "decline")
    payment_id = sdk.checkout_sessions.retrieve(session.session_id).payment_id
    payment = sdk.payments.retrieve(payment_id)
    assert (payment.status, payment.tax, payment.error_code) == (
        "failed",
        None,
        "CARD_DECLINED",
    )
    with pytest.raises(dodopayments.UnprocessableEntityError):
        sdk.refunds.create(payment_id=payment_id)


def test_every_event_the_sandbox_sends_is_strictly_valid(client):
    test_every_endpoint_the_store_uses_is_strictly_valid(client)
    test_a_declined_payment_is_strictly_valid(client)
    sent = _sent_events()
    assert [t for t, _ in sent] == [
        "payment.succeeded",
        "refund.succeeded",
        "refund.succeeded",
        "payment.failed",
    ]
    for event_type, body in sent:
        event = strictly(EVENT_MODELS[event_type], body)
        assert event.type == event_type
        # Dodo names the object in ``data.payload_type``; the SDK keeps it as extra.
        assert json.loads(body)["data"]["payload_type"] in {"Payment", "Refund"}


def test_the_sdk_unwraps_a_delivered_sandbox_event(client):
    """What the webhook sender signs is what ``client.webhooks.unwrap`` accepts."""
    body, headers = events.signed_delivery(
        event_type="refund.succeeded",
        data={
            "refund_id": "rfd_1",
            "payment_id": "pay_1",
            "business_id": store.BUSINESS_ID,
            "brand_id": store.BRAND_ID,
            "status": "succeeded",
            "is_partial": False,
            "metadata": {},
            "customer": {"customer_id": "cus_1", "email": "a@b.c", "name": "A"},
            "created_at": store.now_iso(),
        },
    )
    event = dodo.get_client().webhooks.unwrap(body, headers=headers)
    assert isinstance(event, dodo_types.RefundSucceededWebhookEvent)
