"""Framework events we don't own → Dodo sync tasks, enqueued after commit."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from catalog.models import ProductPage

from .models import DodoCustomer
from .tasks import (
    customer_sync_to_dodo_task,
    product_archive_in_dodo_task,
    product_sync_to_dodo_task,
)


def product_published(sender, instance, **kwargs) -> None:
    pk = instance.pk
    transaction.on_commit(lambda: product_sync_to_dodo_task.delay(pk))


def product_unpublished(sender, instance, **kwargs) -> None:
    pk = instance.pk
    transaction.on_commit(lambda: product_archive_in_dodo_task.delay(pk))


def product_deleted(sender, instance, **kwargs) -> None:
    pk, dodo_id = instance.pk, instance.dodo_product_id
    if dodo_id:
        transaction.on_commit(lambda: product_archive_in_dodo_task.delay(pk, dodo_id))


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
    transaction.on_commit(lambda: customer_sync_to_dodo_task.delay(pk))


def connect() -> None:
    from django.contrib.auth import get_user_model

    page_published.connect(product_published, sender=ProductPage)
    page_unpublished.connect(product_unpublished, sender=ProductPage)
    post_delete.connect(product_deleted, sender=ProductPage)
    post_save.connect(user_saved, sender=get_user_model())
