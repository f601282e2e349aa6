"""License keys through Dodo: the sandbox issues them, the store keeps them with
the purchase and switches them off (and on) at Dodo as the grant changes."""

from __future__ import annotations

import importlib
import json

import dodopayments
import pytest
from dodopayments import types as dodo_types

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.dodo import client as dodo
from commerce.dodo import licenses as dodo_licenses
from commerce.dodo import refunds
from commerce.dodo.sandbox import events, store
from commerce.dodo.sandbox import testing as sandbox
from commerce.dodo.sandbox.models import SandboxObject
from commerce.licenses.models import LicenseKey
from commerce.models import Order, WebhookEvent, WebhookOutcome
from commerce.tasks import license_keys_refresh_task
from commerce.tests.test_sandbox_conformance import (
    EVENT_MODELS,
    _pay,
    _sent_events,
    strict_client,
    strictly,
)

pytestmark = pytest.mark.django_db


def sandbox_key(license_key_id: str) -> dict:
    return SandboxObject.objects.get(kind="license_key", object_id=license_key_id).data


@pytest.fixture
def bought(client):
    """A buyer checked out a product with keys on and paid on the hosted page."""
    buyer = UserFactory()
    client.force_login(buyer)
    product = ProductPageFactory(
        price=2500,
        license_key_enabled=True,
        license_key_activations_limit=2,
        license_key_duration_days=365,
        license_key_activation_message="Paste the key in Settings.",
    )
    assert client.post(f"/checkout/{product.pk}/", {"country": "US"}).status_code == 303
    order = Order.objects.get()
    sandbox.pay(order.dodo_checkout_session_id, "pay")
    order.refresh_from_db()
    return order


def test_product_sync_sends_the_license_key_settings(bought):
    product = SandboxObject.objects.get(
        kind="product", object_id=bought.product.dodo_product_id
    ).data
    assert product["license_key_enabled"] is True
    assert product["license_key_activations_limit"] == 2
    assert product["license_key_duration"] == {"count": 365, "interval": "Day"}
    assert product["license_key_activation_message"] == "Paste the key in Settings."


def test_key_created_shown_then_disabled_at_dodo_by_a_refund(client, bought, committed):
    # created: the signed license_key.created webhook is stored with the purchase
    key = LicenseKey.objects.get()
    purchase = bought.purchased_products.get()
    assert key.purchase == purchase and key.order == bought
    assert key.user == bought.user and key.status == "active"
    assert key.key == sandbox_key(key.dodo_license_key_id)["key"]
    assert key.activations_limit == 2 and key.expires_at is not None
    assert WebhookEvent.objects.get(event_type="license_key.created").outcome == (
        WebhookOutcome.PROCESSED
    )

    # shown: the library has the key, a copy button and the activation count
    html = client.get("/account/products/").content.decode()
    assert key.key in html
    assert f'data-copy="{key.key}"' in html
    assert "0 of 2 activations" in html

    # a seller's software activates it through Dodo's public API
    licenses = dodo.get_client().licenses
    instance = licenses.activate(license_key=key.key, name="Laptop")
    assert licenses.validate(
        license_key=key.key, license_key_instance_id=instance.id
    ).valid

    # refund → the grant is revoked → the key is disabled at Dodo
    with committed(), events.delivered_at_once():
        refunds.refund_request(order_id=bought.pk)
    assert sandbox_key(key.dodo_license_key_id)["status"] == "disabled"
    key.refresh_from_db()
    assert key.status == "disabled" and key.should_be_enabled is False
    assert key.instances_count == 1  # what Dodo reported with its answer
    assert not licenses.validate(license_key=key.key).valid
    with pytest.raises(dodopayments.PermissionDeniedError):
        licenses.activate(license_key=key.key, name="Desktop")
    assert "Disabled" in client.get("/account/products/").content.decode() or (
        key.key not in client.get("/account/products/").content.decode()
    )


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (["opened"], "disabled"),
        (["opened", "won"], "active"),
        (["opened", "lost"], "disabled"),
        (["opened", "expired"], "disabled"),
    ],
)
def test_disputes_disable_and_a_won_one_re_enables(bought, committed, path, status):
    key = LicenseKey.objects.get()
    payment_id = bought.dodo_payment_id
    for step in path:
        with committed():
            sandbox.dispute(payment_id, step)
    assert sandbox_key(key.dodo_license_key_id)["status"] == status
    key.refresh_from_db()
    assert key.status == status


def test_a_key_event_before_its_payment_waits_then_applies(client):
    """Dodo does not promise order: license_key.created may come first."""
    buyer = UserFactory()
    client.force_login(buyer)
    product = ProductPageFactory(license_key_enabled=True)
    client.post(f"/checkout/{product.pk}/", {"country": "US"})
    order = Order.objects.get()
    owner = store.owner_by_id("checkout_session", order.dodo_checkout_session_id)
    with store.bound(owner):
        session = store.get("checkout_session", order.dodo_checkout_session_id)
        from commerce.dodo.sandbox import objects, outcomes

        payment = objects.payment(session, "succeeded")
        store.put("payment", payment["payment_id"], payment)
        session.update(payment_id=payment["payment_id"], payment_status="succeeded")
        store.put("checkout_session", session["id"], session)
        (key,) = outcomes.license_keys_issue(payment)
    key_event = SandboxObject.objects.filter(kind="webhook").latest("id").object_id
    assert events.event_deliver(event_id=key_event) == 200
    assert WebhookEvent.objects.get(event_type="license_key.created").outcome == (
        WebhookOutcome.DEFERRED
    )
    assert not LicenseKey.objects.exists()
    with store.bound(owner):
        pay_event = events.event_enqueue(event_type="payment.succeeded", data=payment)
    assert events.event_deliver(event_id=pay_event) == 200
    assert LicenseKey.objects.get().dodo_license_key_id == key["id"]


def test_a_forged_or_malformed_key_event_is_refused(client):
    body, headers = events.signed_delivery(
        event_type="license_key.created", data={"id": "lic_x", "key": "K"}
    )
    response = client.post(
        "/webhooks/dodo/",
        body,
        content_type="application/json",
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()},
    )
    assert response.status_code == 400
    assert not LicenseKey.objects.exists()
    tampered = body.replace(b"lic_x", b"lic_y")
    response = client.post(
        "/webhooks/dodo/",
        tampered,
        content_type="application/json",
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()},
    )
    assert response.status_code in (400, 401)


def test_license_endpoints_and_event_are_strictly_what_the_sdk_declares(client):
    sdk, seen = strict_client()
    price = {"type": "one_time_price", "price": 900, "currency": "USD"}
    product = sdk.products.create(
        name="App",
        price=price,
        tax_category="saas",
        license_key_enabled=True,
        license_key_activations_limit=1,
        license_key_duration={"count": 1, "interval": "Year"},
        license_key_activation_message="Enter it in the app.",
    )
    assert sdk.products.retrieve(product.product_id).license_key_enabled is True
    customer = sdk.customers.create(email="lk@example.com", name="L K")
    session = sdk.checkout_sessions.create(
        product_cart=[{"product_id": product.product_id, "quantity": 1}],
        customer={"customer_id": customer.customer_id},
        billing_address={"country": "US"},
        return_url="http://testserver/back/",
        metadata={"order_id": "999999"},
    )
    _pay(client, session.checkout_url)
    (row,) = SandboxObject.objects.filter(kind="license_key")
    key = sdk.license_keys.retrieve(row.object_id)
    assert isinstance(key, dodo_types.LicenseKey) and key.status == "active"

    instance = sdk.licenses.activate(license_key=key.key, name="Studio PC")
    assert isinstance(instance, dodo_types.LicenseActivateResponse)
    assert instance.customer.email == "lk@example.com"
    assert sdk.licenses.validate(
        license_key=key.key, license_key_instance_id=instance.id
    ).valid
    with pytest.raises(dodopayments.UnprocessableEntityError):
        sdk.licenses.activate(license_key=key.key, name="Second PC")  # limit 1
    sdk.licenses.deactivate(license_key=key.key, license_key_instance_id=instance.id)
    assert not sdk.licenses.validate(
        license_key=key.key, license_key_instance_id=instance.id
    ).valid
    assert sdk.license_keys.retrieve(key.id).instances_count == 0
    disabled = sdk.license_keys.update(key.id, disabled=True)
    assert disabled.status == "disabled"
    assert not sdk.licenses.validate(license_key=key.key).valid
    assert sdk.license_keys.update(key.id, disabled=False).status == "active"
    with pytest.raises(dodopayments.NotFoundError):
        sdk.licenses.validate(license_key="NO-SUCH-KEY")

    models = {
        "/dodo-sandbox/api/license_keys/": dodo_types.LicenseKey,
        "/dodo-sandbox/api/licenses/activate": dodo_types.LicenseActivateResponse,
        "/dodo-sandbox/api/licenses/validate": dodo_types.LicenseValidateResponse,
    }
    checked = 0
    for path, raw in seen:
        for prefix, model in models.items():
            if path.startswith(prefix) and raw and b'"code"' not in raw:
                strictly(model, raw)
                checked += 1
    assert checked >= 6
    (created,) = [b for t, b in _sent_events() if t == "license_key.created"]
    event = strictly(EVENT_MODELS["license_key.created"], created)
    assert event.data.key == key.key


def test_activations_made_at_dodo_reach_the_library_on_the_next_refresh(client, bought):
    key = LicenseKey.objects.get()
    licenses = dodo.get_client().licenses
    licenses.activate(license_key=key.key, name="Laptop")
    licenses.activate(license_key=key.key, name="Desktop")
    # Dodo sends no webhook for an activation: the library still says 0 ...
    assert "0 of 2 activations" in client.get("/account/products/").content.decode()

    # ... until Beat's refresh reads the keys back from Dodo's list.
    assert license_keys_refresh_task() == 1
    key.refresh_from_db()
    assert key.instances_count == 2
    assert "2 of 2 activations" in client.get("/account/products/").content.decode()
    assert license_keys_refresh_task() == 0  # nothing moved since


def test_refresh_reads_every_page_dodo_lists(client, bought):
    """Two buyers' keys, one per page: both pages are read, the empty third ends it."""
    second = UserFactory()
    client.force_login(second)
    assert (
        client.post(f"/checkout/{bought.product.pk}/", {"country": "US"}).status_code
        == 303
    )
    order = Order.objects.exclude(pk=bought.pk).get()
    sandbox.pay(order.dodo_checkout_session_id, "pay")
    assert LicenseKey.objects.count() == 2
    licenses = dodo.get_client().licenses
    for key in LicenseKey.objects.all():
        licenses.activate(license_key=key.key, name="Laptop")

    assert dodo_licenses.license_keys_refresh(page_size=1) == 2
    assert set(LicenseKey.objects.values_list("instances_count", flat=True)) == {1}


def test_the_sandbox_lists_keys_strictly_and_filters_them(client, bought):
    sdk, seen = strict_client()
    key = LicenseKey.objects.get()
    listed = sdk.license_keys.list(page_number=0, status="active")
    assert [item.id for item in listed.items] == [key.dodo_license_key_id]
    assert not sdk.license_keys.list(page_number=0, status="disabled").items
    assert not sdk.license_keys.list(page_number=1).items
    for path, raw in seen:
        if path.rstrip("/").endswith("/license_keys") and raw:
            for item in json.loads(raw)["items"]:
                strictly(dodo_types.LicenseKey, json.dumps(item))


def test_beat_refreshes_keys_every_15_minutes():
    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    from site_config.celery import app

    migration = importlib.import_module(
        "commerce.migrations.0015_license_keys_refresh_beat_schedule"
    )
    PeriodicTask.objects.filter(task="commerce.license_keys_refresh").delete()
    migration.create_schedule(apps, None)
    task = PeriodicTask.objects.select_related("interval").get(
        task="commerce.license_keys_refresh"
    )
    assert str(task.interval) == "every 15 minutes" and task.enabled
    assert "commerce.license_keys_refresh" in app.tasks
