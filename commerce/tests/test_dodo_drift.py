"""Drift healing and the price guard: Dodo's product always ends up as the page says."""

import importlib

import pytest
from django.apps import apps
from django_celery_beat.models import PeriodicTask

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.dodo import client as dodo
from commerce.dodo.drift import product_drift, products_heal_drift
from commerce.dodo.sandbox.models import SandboxObject
from commerce.dodo.sync import product_is_current, product_sync
from commerce.models import DodoProductSync, Order, OrderStatus, SyncStatus
from commerce.tasks import heal_dodo_drift_task
from site_config.tests.faults import free_port

pytestmark = pytest.mark.django_db

BILLING = {"country": "DE", "street": "Str 1", "city": "Berlin", "zipcode": "10115"}


@pytest.fixture
def synced():
    product = ProductPageFactory(title="Kit", price=1000, currency="USD")
    product_sync(product_id=product.pk)
    product.refresh_from_db()
    return product


def _remote(product) -> dict:
    return SandboxObject.objects.get(object_id=product.dodo_product_id).data


def _edit_remote(product, **changes) -> None:
    row = SandboxObject.objects.get(object_id=product.dodo_product_id)
    price = changes.pop("price", None)
    if price is not None:
        row.data["price"]["price"] = price
    row.data.update(changes)
    row.save()


def test_a_sync_records_what_dodo_confirmed(synced):
    sync = DodoProductSync.objects.get(product=synced)
    assert sync.status == SyncStatus.SYNCED
    assert (sync.synced_name, sync.synced_price, sync.synced_currency) == (
        "Kit",
        1000,
        "USD",
    )
    assert product_is_current(synced)
    assert product_drift(synced) == []


def test_a_publish_is_not_synced_until_dodo_confirms(synced):
    synced.price = 2000
    synced.save_revision().publish()  # the sync task waits for the commit
    synced.refresh_from_db()
    assert DodoProductSync.objects.get(product=synced).status == SyncStatus.PENDING
    assert not product_is_current(synced)
    assert product_drift(synced) == ["price"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"price": 1}, "price"),
        ({"name": "Other"}, "name"),
        ({"archived": True}, "archived"),
    ],
)
def test_drift_made_in_dodo_is_found_and_healed(synced, change, field):
    _edit_remote(synced, **change)
    assert product_drift(synced) == [field]

    assert products_heal_drift() == {"checked": 1, "healed": 1, "failed": 0}

    remote = _remote(synced)
    assert (remote["name"], remote["price"]["price"], remote["archived"]) == (
        "Kit",
        1000,
        False,
    )
    assert product_drift(synced) == []
    assert DodoProductSync.objects.get(product=synced).status == SyncStatus.SYNCED
    # In step now: the next run changes nothing.
    assert heal_dodo_drift_task() == {"checked": 1, "healed": 0, "failed": 0}


def test_an_unpublished_product_is_archived_in_dodo(synced):
    synced.unpublish()  # its archive task waits for the commit
    synced.refresh_from_db()
    assert product_drift(synced) == ["archived"]
    assert products_heal_drift()["healed"] == 1
    assert _remote(synced)["archived"] is True


def test_a_live_product_dodo_never_got_is_created():
    product = ProductPageFactory(price=700)
    assert products_heal_drift() == {"checked": 1, "healed": 1, "failed": 0}
    product.refresh_from_db()
    assert _remote(product)["price"]["price"] == 700


def test_checkout_syncs_a_changed_price_before_starting(client, synced):
    synced.price = 2000
    synced.save_revision().publish()
    client.force_login(UserFactory())
    response = client.post(f"/checkout/{synced.pk}/", BILLING)
    assert response.status_code == 303
    assert _remote(synced)["price"]["price"] == 2000
    order = Order.objects.get()
    assert order.amount == 2000
    assert DodoProductSync.objects.get(product=synced).status == SyncStatus.SYNCED


def test_checkout_is_refused_clearly_when_the_price_cannot_be_confirmed(
    client, synced, settings
):
    synced.price = 2000
    synced.save_revision().publish()
    # Dodo unreachable (nothing listens there): the sync fails at once.
    settings.DODO_SANDBOX_IN_PROCESS = False
    settings.SITE_URL = f"http://127.0.0.1:{free_port()}"
    client.force_login(UserFactory())
    response = client.post(f"/checkout/{synced.pk}/", BILLING, follow=True)
    assert b"price of this product is being updated" in response.content
    assert Order.objects.get().status == OrderStatus.FAILED
    assert _remote(synced)["price"]["price"] == 1000  # no session at the old price
    assert not SandboxObject.objects.filter(kind="checkout_session").exists()


def test_unreachable_dodo_counts_as_failed_not_healed(synced, settings):
    settings.DODO_SANDBOX_IN_PROCESS = False
    settings.SITE_URL = f"http://127.0.0.1:{free_port()}"
    assert products_heal_drift() == {"checked": 1, "healed": 0, "failed": 1}


def test_beat_heals_drift_every_15_minutes():
    PeriodicTask.objects.filter(task="commerce.heal_dodo_drift").delete()
    importlib.import_module(
        "commerce.migrations.0008_drift_beat_schedule"
    ).create_schedule(apps, None)
    task = PeriodicTask.objects.get(task="commerce.heal_dodo_drift")
    assert (task.interval.every, task.interval.period) == (15, "minutes")
    assert dodo.product_retrieve  # the SDK call it makes
