"""Framework events we don't own → Dodo sync tasks, recorded in the outbox."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from catalog.models import ProductPage
from outbox.services import enqueue

from .models import DodoCustomer, DodoProductSync, SyncStatus
from .tasks import (
    customer_sync_to_dodo_task,
    product_archive_in_dodo_task,
    product_sync_to_dodo_task,
)
from .updates.services import release_announce


def product_published(sender, instance, **kwargs) -> None:
    pk = instance.pk
    # Not "synced" until Dodo confirmed what was just published ("archived" stays:
    # the sync task reads it to unarchive the Dodo product).
    DodoProductSync.objects.filter(product_id=pk, status=SyncStatus.SYNCED).update(
        status=SyncStatus.PENDING
    )
    enqueue(product_sync_to_dodo_task, pk)
    # A new current release is announced to buyers once (commerce.updates).
    release_announce(product_id=pk)


def product_unpublished(sender, instance, **kwargs) -> None:
    pk = instance.pk
    enqueue(product_archive_in_dodo_task, pk)


def product_deleted(sender, instance, **kwargs) -> None:
    pk, dodo_id = instance.pk, instance.dodo_product_id
    if dodo_id:
        enqueue(product_archive_in_dodo_task, pk, dodo_id)


def user_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    if not created:
        synced = (
            DodoCustomer.objects.filter(user_id=instance.pk)
            .values_list("synced_email", "synced_name")
            .first()
        )
        # Only a user Dodo knows, whose name or e-mail changed, needs an update.
        name = instance.full_name or instance.email.split("@")[0]
        if synced is None or synced == (instance.email, name):
            return
    pk = instance.pk
    enqueue(customer_sync_to_dodo_task, pk)


def connect() -> None:
    from django.contrib.auth import get_user_model

    page_published.connect(product_published, sender=ProductPage)
    page_unpublished.connect(product_unpublished, sender=ProductPage)
    post_delete.connect(product_deleted, sender=ProductPage)
    post_save.connect(user_saved, sender=get_user_model())
