"""The sandbox API takes only the project's own token, and binds objects to it.

Issue 15: in development anyone could refund anyone's sandbox payment with any
bearer token. Now a wrong or missing token is a 401, and an object made with one
token is a 404 for another (as Dodo's objects belong to the key's business).
"""

from __future__ import annotations

from urllib.parse import urlparse

import dodopayments
import httpx
import pytest

from commerce.dodo import client as dodo
from commerce.dodo.sandbox.models import SandboxObject

pytestmark = pytest.mark.django_db


def _sdk(token: str) -> dodopayments.DodoPayments:
    return dodopayments.DodoPayments(
        bearer_token=token,
        base_url=dodo.sandbox_api_url(),
        http_client=dodo.http_client(),
        max_retries=0,
    )


def _raw(method: str, path: str, **kwargs) -> httpx.Response:
    with dodo.http_client() as http:
        return http.request(method, dodo.sandbox_api_url() + path, **kwargs)


def _paid_payment(client, sdk) -> str:
    product = sdk.products.create(
        name="Book",
        price={"type": "one_time_price", "price": 1200, "currency": "USD"},
        tax_category="e_book",
    )
    customer = sdk.customers.create(email="t@example.com", name="T")
    session = sdk.checkout_sessions.create(
        product_cart=[{"product_id": product.product_id, "quantity": 1}],
        customer={"customer_id": customer.customer_id},
        billing_address={"country": "US"},
        return_url="http://testserver/back/",
    )
    client.post(urlparse(session.checkout_url).path, {"action": "pay"})
    return sdk.checkout_sessions.retrieve(session.session_id).payment_id


def test_the_store_client_sends_the_projects_token(settings):
    settings.DODO_SANDBOX_TOKEN = "sbx_configured"
    assert dodo.get_client().bearer_token == "sbx_configured"
    settings.DODO_SANDBOX_TOKEN = ""
    derived = dodo.sandbox_token()
    assert derived.startswith("sbx_") and len(derived) > 30
    assert dodo.get_client().bearer_token == derived
    settings.SECRET_KEY = "another-secret-key-for-another-developer-0123456789"
    assert dodo.sandbox_token() != derived


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Bearer ", "Basic abc", "Bearer sandbox"]
)
def test_a_missing_or_wrong_token_is_401(authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    response = _raw("POST", "refunds", json={"payment_id": "pay_x"}, headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHORIZED"


def test_any_token_can_no_longer_refund_a_payment(client):
    payment_id = _paid_payment(client, dodo.get_client())
    with pytest.raises(dodopayments.AuthenticationError):
        _sdk("anything").refunds.create(payment_id=payment_id)
    assert not SandboxObject.objects.filter(kind="refund").exists()
    # The project's own token still can.
    assert _sdk(dodo.sandbox_token()).refunds.create(payment_id=payment_id).amount


def test_objects_are_bound_to_the_token_that_made_them(client, settings):
    settings.DODO_SANDBOX_TOKEN = "sbx_alice"
    alice = _sdk("sbx_alice")
    payment_id = _paid_payment(client, alice)
    product_id = alice.payments.retrieve(payment_id).product_cart[0].product_id
    # The payment made on the hosted page belongs to the session's token too.
    assert alice.payments.retrieve(payment_id).status == "succeeded"

    settings.DODO_SANDBOX_TOKEN = "sbx_bob"
    bob = _sdk("sbx_bob")
    with pytest.raises(dodopayments.NotFoundError):
        bob.payments.retrieve(payment_id)
    with pytest.raises(dodopayments.NotFoundError):
        bob.products.retrieve(product_id)
    with pytest.raises(dodopayments.NotFoundError):
        bob.refunds.create(payment_id=payment_id)
    assert list(bob.payments.list()) == []
    with pytest.raises(dodopayments.NotFoundError):
        bob.checkout_sessions.create(
            product_cart=[{"product_id": product_id, "quantity": 1}]
        )
    # Alice's old token is no longer the project's: refused, not served.
    with pytest.raises(dodopayments.AuthenticationError):
        alice.payments.retrieve(payment_id)

    settings.DODO_SANDBOX_TOKEN = "sbx_alice"
    assert [p.payment_id for p in alice.payments.list()] == [payment_id]
    assert SandboxObject.objects.filter(kind="refund").count() == 0


def test_a_body_that_is_not_an_object_is_422_not_500():
    headers = {"Authorization": f"Bearer {dodo.sandbox_token()}"}
    response = _raw("POST", "refunds", json=[1, 2], headers=headers)
    assert response.status_code == 422
