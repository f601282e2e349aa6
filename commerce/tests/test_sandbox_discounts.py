"""The sandbox's discounts API answers what the SDK's models declare, and checks
requests as Dodo documents them; a session's code lowers the payment it produces."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlparse

import dodopayments
import pytest
from django.utils import timezone
from dodopayments import types as dodo_types

from commerce.tests.test_sandbox_conformance import strict_client, strictly

pytestmark = pytest.mark.django_db


def _product(sdk, price=2000):
    return sdk.products.create(
        name="Book",
        price={"type": "one_time_price", "price": price, "currency": "USD"},
        tax_category="e_book",
    )


def test_discount_endpoints_are_strictly_valid(client):
    sdk, seen = strict_client()
    product = _product(sdk)
    created = sdk.discounts.create(
        amount=1500,
        type="percentage",
        code="spring15",
        restricted_to=[product.product_id],
        usage_limit=5,
        expires_at=timezone.now() + timedelta(days=3),
    )
    assert isinstance(created, dodo_types.Discount)
    assert (created.code, created.times_used) == ("SPRING15", 0)
    flat = sdk.discounts.create(
        amount=500,
        type="flat",
        code="FIVEOFF",
        currency_options=[
            {"currency": "USD", "is_default": True, "max_amount_possible": 500}
        ],
        restricted_to=[product.product_id],
    )
    sdk.discounts.update(created.discount_id, amount=2000, usage_limit=None)
    again = sdk.discounts.retrieve(created.discount_id)
    assert (again.amount, again.usage_limit) == (2000, None)
    assert sdk.discounts.retrieve_by_code("FIVEOFF").discount_id == flat.discount_id
    listed = {d.discount_id for d in sdk.discounts.list()}
    assert listed == {created.discount_id, flat.discount_id}
    assert [d.code for d in sdk.discounts.list(discount_type="flat")] == ["FIVEOFF"]
    sdk.discounts.delete(flat.discount_id)
    with pytest.raises(dodopayments.NotFoundError):
        sdk.discounts.retrieve(flat.discount_id)

    customer = sdk.customers.create(email="d@example.com", name="D")
    session = sdk.checkout_sessions.create(
        product_cart=[{"product_id": product.product_id, "quantity": 1}],
        customer={"customer_id": customer.customer_id},
        billing_address={"country": "US"},
        return_url="http://testserver/back/",
        discount_codes=["SPRING15"],
    )
    response = client.post(urlparse(session.checkout_url).path, {"action": "pay"})
    assert response.status_code == 303
    payment_id = sdk.checkout_sessions.retrieve(session.session_id).payment_id
    payment = sdk.payments.retrieve(payment_id)
    assert (payment.total_amount, payment.settlement_amount) == (1600, 1600)
    assert payment.discount_id == created.discount_id
    assert [(d.code, d.amount, d.position) for d in payment.discounts] == [
        ("SPRING15", 2000, 0)
    ]
    assert sdk.discounts.retrieve(created.discount_id).times_used == 1

    checked = 0
    for path, body in seen:
        data = json.loads(body) if body else None
        if not isinstance(data, dict) or "code" in data and "message" in data:
            continue
        if "/discounts" in path:
            for item in data.get("items", [data]):
                strictly(dodo_types.Discount, json.dumps(item))
                checked += 1
        elif path.endswith(payment_id):
            strictly(dodo_types.Payment, body)
            checked += 1
    assert checked >= 8


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"amount": 0, "type": "percentage"}, "amount"),
        ({"amount": 10_001, "type": "percentage"}, "at most 10000"),
        ({"amount": 500, "type": "flat"}, "default currency option"),
        ({"amount": 500, "type": "percentage", "code": "AB"}, "3 to 16"),
        ({"amount": 500, "type": "percentage", "usage_limit": 0}, "usage_limit"),
        (
            {
                "amount": 500,
                "type": "percentage",
                "starts_at": "2027-01-02T00:00:00Z",
                "expires_at": "2027-01-01T00:00:00Z",
            },
            "before expires_at",
        ),
        ({"amount": 500, "type": "percentage", "restricted_to": ["pdt_no"]}, "unknown"),
    ],
)
def test_invalid_discounts_are_refused_as_dodo_refuses_them(params, message):
    sdk, _ = strict_client()
    with pytest.raises(dodopayments.UnprocessableEntityError) as err:
        sdk.discounts.create(**params)
    assert message in err.value.body["message"]


def test_codes_are_unique_and_sessions_check_them(client):
    sdk, _ = strict_client()
    product, other = _product(sdk), _product(sdk)
    sdk.discounts.create(
        amount=1000, type="percentage", code="ONLYONE", restricted_to=[other.product_id]
    )
    with pytest.raises(dodopayments.UnprocessableEntityError):
        sdk.discounts.create(amount=1000, type="percentage", code="onlyone")
    cart = [{"product_id": product.product_id, "quantity": 1}]
    with pytest.raises(dodopayments.UnprocessableEntityError) as err:
        sdk.checkout_sessions.create(product_cart=cart, discount_codes=["ONLYONE"])
    assert "does not apply" in err.value.body["message"]
    with pytest.raises(dodopayments.UnprocessableEntityError) as err:
        sdk.checkout_sessions.create(product_cart=cart, discount_codes=["MISSING"])
    assert "not found" in err.value.body["message"]
    with pytest.raises(dodopayments.UnprocessableEntityError):
        sdk.checkout_sessions.create(
            product_cart=cart, discount_code="ONLYONE", discount_codes=["ONLYONE"]
        )
