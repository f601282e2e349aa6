"""Celery tasks: ids in, a service call, retries with backoff on Dodo errors.

Syncs are idempotent (they push the current state), so a redelivery is harmless.
"""

from __future__ import annotations

import logging

from celery import shared_task

from commerce.dodo import client as dodo
from commerce.dodo import discounts, licenses, reconcile, sync

# Registered with the worker through this module (autodiscovery reads tasks.py).
from commerce.notices.tasks import (  # noqa: F401
    order_notice_send_task,
    order_paid_notices_send_task,
)
from outbox.reliable import reliable_task

logger = logging.getLogger(__name__)

MAX_RETRIES = 6
# Dodo errors and transient ones (network, database) are retried with backoff; an
# inline (eager) run keeps the recorded error and gives up.
DODO_RETRY = {"retry_on": (dodo.DodoError,), "max_retries": MAX_RETRIES, "backoff": 30}


@reliable_task(name="commerce.product_sync_to_dodo", **DODO_RETRY)
def product_sync_to_dodo_task(product_id: int) -> None:
    sync.product_sync(product_id=product_id)


@reliable_task(name="commerce.product_archive_in_dodo", **DODO_RETRY)
def product_archive_in_dodo_task(
    product_id: int, dodo_product_id: str | None = None
) -> None:
    sync.product_archive(product_id=product_id, dodo_product_id=dodo_product_id)


@reliable_task(name="commerce.customer_sync_to_dodo", **DODO_RETRY)
def customer_sync_to_dodo_task(user_id: int) -> None:
    from accounts.models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    sync.customer_ensure(user=user)


@reliable_task(name="commerce.discount_sync_to_dodo", **DODO_RETRY)
def discount_sync_to_dodo_task(code_id: int) -> None:
    discounts.discount_sync(code_id=code_id)


@reliable_task(name="commerce.discount_delete_in_dodo", **DODO_RETRY)
def discount_delete_in_dodo_task(dodo_discount_id: str) -> None:
    discounts.discount_delete(dodo_discount_id=dodo_discount_id)


@reliable_task(name="commerce.license_keys_sync", **DODO_RETRY)
def license_keys_sync_task(order_id: int) -> int:
    """Disable or re-enable the order's license keys at Dodo as its grant says."""
    return licenses.license_keys_sync(order_id=order_id)


@shared_task(name="commerce.license_keys_refresh")
def license_keys_refresh_task() -> int:
    """Activation counts and statuses back from Dodo (Beat, every 15 minutes)."""
    return licenses.license_keys_refresh()


@shared_task(name="commerce.heal_dodo_drift")
def heal_dodo_drift_task() -> dict[str, int]:
    """Compare every product with its Dodo twin; re-sync the ones that differ."""
    from commerce.dodo.drift import products_heal_drift

    return products_heal_drift()


@shared_task(name="commerce.reconcile_pending_orders")
def reconcile_pending_orders_task() -> dict[str, int]:
    return reconcile.orders_reconcile_pending()
