"""Celery tasks: ids in, a service call, retries with backoff on Dodo errors."""

from __future__ import annotations

import logging

from celery import shared_task

from commerce import services
from commerce.dodo import client as dodo

logger = logging.getLogger(__name__)

MAX_RETRIES = 6


def _retry(task, err: Exception) -> None:
    """Retry with exponential backoff; inline (eager) runs keep the recorded error."""
    if task.request.is_eager or task.request.retries >= MAX_RETRIES:
        logger.warning("%s gave up: %s", task.name, err)
        return
    raise task.retry(exc=err, countdown=min(30 * 2**task.request.retries, 3600))


@shared_task(bind=True, name="commerce.product_sync_to_dodo", max_retries=MAX_RETRIES)
def product_sync_to_dodo_task(self, product_id: int) -> None:
    try:
        services.product_sync(product_id=product_id)
    except dodo.DodoError as err:
        _retry(self, err)


@shared_task(
    bind=True, name="commerce.product_archive_in_dodo", max_retries=MAX_RETRIES
)
def product_archive_in_dodo_task(
    self, product_id: int, dodo_product_id: str | None = None
) -> None:
    try:
        services.product_archive(product_id=product_id, dodo_product_id=dodo_product_id)
    except dodo.DodoError as err:
        _retry(self, err)


@shared_task(bind=True, name="commerce.customer_sync_to_dodo", max_retries=MAX_RETRIES)
def customer_sync_to_dodo_task(self, user_id: int) -> None:
    from accounts.models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    try:
        services.customer_ensure(user=user)
    except dodo.DodoError as err:
        _retry(self, err)


@shared_task(name="commerce.reconcile_pending_orders")
def reconcile_pending_orders_task() -> dict[str, int]:
    return services.orders_reconcile_pending()


from commerce.dodo.sandbox.tasks import sandbox_webhook_deliver_task  # noqa: F401, E402
