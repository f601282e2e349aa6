"""After a restore: ``reimport_payments`` brings back what Dodo did since the backup.

The sandbox keeps its objects in the same database as the store, so the restore
test carries them across it by hand: real Dodo is not inside our backup.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import dodopayments
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.dodo import client as dodo
from commerce.dodo import refunds
from commerce.dodo.sandbox import events
from commerce.dodo.sandbox import testing as sandbox
from commerce.dodo.sandbox.models import SandboxObject
from commerce.models import Order, OrderStatus, PurchasedProduct
from maintenance.backups import backup_create, backup_restore

from .test_sandbox_conformance import strict_client


def _checkout(client, product) -> Order:
    buyer = UserFactory()
    client.force_login(buyer)
    assert client.post(f"/checkout/{product.pk}/", {"country": "US"}).status_code == 303
    return Order.objects.get(user=buyer)


def _created(object_id: str, moment: datetime) -> None:
    """Move a sandbox object's creation time (Dodo's ``created_at``)."""
    row = SandboxObject.objects.get(object_id=object_id)
    row.data["created_at"] = moment.isoformat().replace("+00:00", "Z")
    row.save(update_fields=["data"])


def _grants(order_id: int) -> int:
    return PurchasedProduct.objects.active().filter(order_id=order_id).count()


@pytest.mark.django_db
def test_the_sandbox_lists_payments_and_refunds_by_creation_time(client):
    sdk, seen = strict_client()
    base = datetime(2026, 12, 1, tzinfo=UTC)
    ids = []
    for hour in range(3):
        order = _checkout(client, ProductPageFactory(price=1000 + hour))
        payment = sandbox.pay(order.dodo_checkout_session_id)
        _created(payment["payment_id"], base + timedelta(hours=hour))
        ids.append(payment["payment_id"])

    listed = sdk.payments.list(
        created_at_gte=base + timedelta(hours=1),
        created_at_lte=base + timedelta(hours=2),
    )
    assert [p.payment_id for p in listed.items] == [ids[2], ids[1]]  # newest first
    assert [
        p.payment_id
        for p in sdk.payments.list(created_at_gte="2026-12-01T01:00:00Z").items
    ] == [ids[2], ids[1]]
    assert sdk.payments.list(currency="EUR").items == []
    assert len(sdk.payments.list(currency="USD", status="succeeded").items) == 3
    # Pages are 0-based and exact.
    pages = [
        [p.payment_id for p in sdk.payments.list(page_size=2, page_number=n).items]
        for n in range(3)
    ]
    assert pages == [[ids[2], ids[1]], [ids[0]], []]
    with pytest.raises(dodopayments.UnprocessableEntityError):
        sdk.payments.list(created_at_gte="the first of December")

    refund = sdk.refunds.create(payment_id=ids[0], reason="test")
    _created(refund.refund_id, base + timedelta(hours=5))
    assert [r.refund_id for r in sdk.refunds.list(created_at_gte=base).items] == [
        refund.refund_id
    ]
    assert sdk.refunds.list(created_at_lte=base + timedelta(hours=4)).items == []
    # Every list answer validates strictly against the SDK's page model.
    assert any(path.endswith("/payments") for path, _body in seen)


@pytest.mark.django_db(transaction=True)
def test_restore_then_reimport_grants_what_was_paid_and_revokes_what_was_refunded(
    client, settings, tmp_path, monkeypatch
):
    monkeypatch.setattr(dodo, "LIST_PAGE_SIZE", 1)  # every payment on its own page
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "backups", "base_url": None},
        },
    }
    kept = _checkout(client, ProductPageFactory(price=1500))
    kept_payment = sandbox.pay(kept.dodo_checkout_session_id)["payment_id"]
    pending = _checkout(client, ProductPageFactory(price=2500))
    before_backup = timezone.now()
    backup = backup_create().name

    # After the backup: one pending order is paid, the kept one is refunded, and a
    # new buyer orders and pays (an order the backup never saw).
    sandbox.pay(pending.dodo_checkout_session_id)
    with events.delivered_at_once():
        refunds.refund_request(order_id=kept.pk)
    lost = _checkout(client, ProductPageFactory(price=3500))
    lost_payment = sandbox.pay(lost.dodo_checkout_session_id)["payment_id"]
    assert Order.objects.get(pk=pending.pk).status == OrderStatus.PAID
    assert Order.objects.get(pk=kept.pk).status == OrderStatus.REFUNDED

    dodo_side = list(SandboxObject.objects.values())
    backup_restore(name=backup)
    SandboxObject.objects.all().delete()
    SandboxObject.objects.bulk_create(SandboxObject(**row) for row in dodo_side)
    assert Order.objects.get(pk=pending.pk).status == OrderStatus.PENDING
    assert Order.objects.get(pk=kept.pk).status == OrderStatus.PAID
    assert not Order.objects.filter(pk=lost.pk).exists()

    out, err = StringIO(), StringIO()
    since = (before_backup - timedelta(minutes=1)).isoformat()
    call_command("reimport_payments", "--since", since, stdout=out, stderr=err)

    assert Order.objects.get(pk=pending.pk).status == OrderStatus.PAID
    assert _grants(pending.pk) == 1
    assert Order.objects.get(pk=kept.pk).status == OrderStatus.REFUNDED
    assert _grants(kept.pk) == 0
    assert f"{kept_payment}: applied (order #{kept.pk})" in out.getvalue()
    assert f"{lost_payment}: missing (order #{lost.pk})" in out.getvalue()
    assert "applied: 2" in out.getvalue() and "missing: 1" in out.getvalue()
    assert lost_payment in err.getvalue()

    # Idempotent: a second run changes nothing.
    again = StringIO()
    call_command("reimport_payments", "--since", since, stdout=again, stderr=StringIO())
    assert "unchanged: 2" in again.getvalue()
    assert _grants(pending.pk) == 1
    assert PurchasedProduct.objects.filter(order_id=pending.pk).count() == 1


@pytest.mark.django_db
def test_a_payment_outside_the_window_is_left_alone(client):
    order = _checkout(client, ProductPageFactory())
    payment = sandbox.pay(order.dodo_checkout_session_id)
    _created(payment["payment_id"], datetime(2026, 1, 1, tzinfo=UTC))
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PENDING, paid_at=None)

    out = StringIO()
    call_command("reimport_payments", "--since", "2026-06-01", stdout=out)

    assert "(none)" in out.getvalue()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_the_window_needs_a_time_zone():
    with pytest.raises(CommandError, match="no time zone"):
        call_command("reimport_payments", "--since", "2026-12-01T03:00")
    with pytest.raises(CommandError, match="not an ISO 8601"):
        call_command("reimport_payments", "--since", "yesterday")


@pytest.mark.django_db
def test_dodo_down_is_a_clear_error(settings):
    settings.DODO_SANDBOX_IN_PROCESS = False
    settings.SITE_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    with pytest.raises(CommandError, match="Dodo did not list the payments"):
        call_command("reimport_payments", "--since", "2026-12-01T00:00Z")


@pytest.mark.django_db
def test_sdk_auto_pagination_skips_page_one_so_the_store_asks_by_number(client):
    """Why ``client.payment_ids_changed`` numbers pages itself: iterating the SDK's
    page object asks for page 0, then 2 (``None or 1`` + 1), and never for 1."""
    sdk, _seen = strict_client()
    ids = []
    for n in range(3):
        order = _checkout(client, ProductPageFactory(price=1000 + n))
        ids.append(sandbox.pay(order.dodo_checkout_session_id)["payment_id"])

    auto = [p.payment_id for p in sdk.payments.list(page_size=1)]
    ours = list(dodo.payment_ids_changed(since=datetime(2000, 1, 1, tzinfo=UTC)))

    assert len(auto) == 2  # one payment is never listed
    assert sorted(ours) == sorted(ids)
