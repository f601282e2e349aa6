from datetime import timedelta
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.dodo import reconcile, refunds
from commerce.dodo.sandbox.models import SandboxObject
from commerce.models import (
    DodoCustomer,
    DodoProductSync,
    Order,
    OrderStatus,
    PurchasedProduct,
)
from commerce.tasks import reconcile_pending_orders_task

pytestmark = pytest.mark.django_db


def _paid_in_sandbox_without_webhook(client, product):
    """Checkout and Pay, but the webhook is lost (on-commit delivery discarded)."""
    buyer = UserFactory()
    client.force_login(buyer)
    response = client.post(f"/checkout/{product.pk}/", {"country": "US"})
    client.post(urlparse(response["Location"]).path, {"action": "pay"})
    order = Order.objects.get(user=buyer)
    assert order.status == OrderStatus.PENDING
    return order


def test_reconcile_command_heals_an_order_whose_webhook_never_came(client):
    order = _paid_in_sandbox_without_webhook(client, ProductPageFactory())
    Order.objects.filter(pk=order.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    out = StringIO()
    call_command("reconcile_payments", stdout=out)
    assert "applied: 1" in out.getvalue()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert PurchasedProduct.objects.active().filter(order=order).count() == 1
    # Running again changes nothing.
    call_command("reconcile_payments", stdout=StringIO())
    assert PurchasedProduct.objects.filter(order=order).count() == 1


def test_reconcile_task_skips_recent_orders_and_unpaid_sessions(client):
    fresh = _paid_in_sandbox_without_webhook(client, ProductPageFactory())
    client.post(f"/checkout/{ProductPageFactory().pk}/", {"country": "US"})
    unpaid = Order.objects.exclude(pk=fresh.pk).get()
    Order.objects.filter(pk=unpaid.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    assert reconcile_pending_orders_task.delay().get() == {"unchanged": 1}
    fresh.refresh_from_db()
    assert fresh.status == OrderStatus.PENDING  # too recent to bother Dodo


def test_publish_syncs_the_product_and_unpublish_archives_it(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        product = ProductPageFactory(title="Icons", price=1500)
    product.refresh_from_db()
    assert product.dodo_product_id.startswith("pdt_")
    remote = SandboxObject.objects.get(object_id=product.dodo_product_id).data
    assert remote["name"] == "Icons"
    assert remote["price"] == {
        "type": "one_time_price", "price": 1500, "currency": "USD"
    }  # fmt: skip
    assert remote["tax_category"] == "digital_products"
    assert DodoProductSync.objects.get(product=product).status == "synced"

    with django_capture_on_commit_callbacks(execute=True):
        product.selling_price = 900
        product.save_revision().publish()
    remote = SandboxObject.objects.get(object_id=product.dodo_product_id).data
    assert remote["price"]["price"] == 900

    with django_capture_on_commit_callbacks(execute=True):
        product.unpublish()
    remote = SandboxObject.objects.get(object_id=product.dodo_product_id).data
    assert remote["archived"] is True
    assert DodoProductSync.objects.get(product=product).status == "archived"

    with django_capture_on_commit_callbacks(execute=True):
        product.save_revision().publish()
    assert (
        SandboxObject.objects.get(object_id=product.dodo_product_id).data["archived"]
        is False
    )


def test_deleting_an_unsold_product_archives_it_in_dodo(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        product = ProductPageFactory()
    product.refresh_from_db()
    dodo_id = product.dodo_product_id
    with django_capture_on_commit_callbacks(execute=True):
        product.delete()
    assert SandboxObject.objects.get(object_id=dodo_id).data["archived"] is True


def test_user_creation_and_changes_sync_the_dodo_customer(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        user = UserFactory(email="ana@example.com", full_name="Ana")
    mapping = DodoCustomer.objects.get(user=user)
    assert mapping.status == "synced"
    remote = SandboxObject.objects.get(object_id=mapping.dodo_customer_id).data
    assert (remote["email"], remote["name"]) == ("ana@example.com", "Ana")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        user.last_login = timezone.now()
        user.save()
    assert callbacks == []  # nothing Dodo knows changed

    with django_capture_on_commit_callbacks(execute=True):
        user.full_name = "Ana Lima"
        user.save()
    remote = SandboxObject.objects.get(object_id=mapping.dodo_customer_id).data
    assert remote["name"] == "Ana Lima"


def test_sync_failure_is_recorded_for_the_admin(settings):
    product = ProductPageFactory()
    settings.DODO_SANDBOX_IN_PROCESS = False
    settings.SITE_URL = "http://127.0.0.1:9"
    from commerce.tasks import product_sync_to_dodo_task

    product_sync_to_dodo_task.delay(product.pk)  # eager: records, does not raise
    state = DodoProductSync.objects.get(product=product)
    assert state.status == "failed"
    assert state.last_error


def test_refund_request_goes_through_dodo_and_the_webhook_revokes(
    client, django_capture_on_commit_callbacks
):
    order = _paid_in_sandbox_without_webhook(client, ProductPageFactory())
    reconcile.order_reconcile(order_id=order.pk)
    with django_capture_on_commit_callbacks(execute=True):
        refunds.refund_request(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert not PurchasedProduct.objects.active().filter(order=order).exists()


def test_a_refund_dodo_answers_succeeded_is_recorded_without_the_webhook(client):
    order = _paid_in_sandbox_without_webhook(client, ProductPageFactory())
    reconcile.order_reconcile(order_id=order.pk)
    refunds.refund_request(order_id=order.pk)  # webhook not delivered
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert len(order.dodo_refund_ids) == 1
    assert not PurchasedProduct.objects.active().filter(order=order).exists()
