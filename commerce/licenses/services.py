"""Record issued keys; say when a key must follow its grant (on or off at Dodo).

These services never call Dodo: they record what should be and enqueue the
provider's sync task (``commerce.license_keys_sync``, in ``commerce.tasks``) in the
outbox with the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from accounts.panel_cache import panel_changed
from commerce.models import Order, PurchasedProduct
from outbox.services import enqueue

from .models import LicenseKey

# Named, not imported: the task lives with the provider package, which this
# service must not import (the outbox records a task by its name).
LICENSE_KEYS_SYNC_TASK = SimpleNamespace(name="commerce.license_keys_sync")


@dataclass(frozen=True)
class LicenseKeyFacts:
    """A license key as Dodo reports it, in our words."""

    license_key_id: str
    key: str
    status: str
    payment_id: str
    activations_limit: int | None
    instances_count: int
    expires_at: datetime | None


def _grant_active(purchase: PurchasedProduct | None) -> bool:
    return purchase is not None and purchase.is_active


@transaction.atomic
def license_key_record(*, order_id: int, facts: LicenseKeyFacts) -> LicenseKey:
    """Store a key Dodo issued for a paid order (a redelivery updates the same row).

    A key that arrives after its purchase was refunded or suspended is switched
    off at Dodo at once.
    """
    order = Order.objects.select_for_update().get(pk=order_id)
    purchase = (
        PurchasedProduct.objects.filter(order_id=order.pk)
        .order_by("revoked_at", "-pk")
        .first()
    )
    wanted = _grant_active(purchase)
    key, created = LicenseKey.objects.update_or_create(
        dodo_license_key_id=facts.license_key_id,
        defaults={
            "order": order,
            "purchase": purchase,
            "user_id": order.user_id,
            "product_id": order.product_id,
            "key": facts.key,
            "status": facts.status,
            "activations_limit": facts.activations_limit,
            "instances_count": facts.instances_count,
            "expires_at": facts.expires_at,
            "should_be_enabled": wanted,
            "synced_at": timezone.now(),
        },
    )
    if not wanted and facts.status == "active":
        enqueue(LICENSE_KEYS_SYNC_TASK, order.pk)
    return key


def license_keys_follow_grant(*, order_id: int) -> int:
    """The order's grant changed (revoked, suspended, restored): keys follow it.

    Called inside the service's transaction; returns how many keys must change.
    """
    purchase = (
        PurchasedProduct.objects.filter(order_id=order_id)
        .order_by("revoked_at", "-pk")
        .first()
    )
    wanted = _grant_active(purchase)
    changed = (
        LicenseKey.objects.filter(order_id=order_id)
        .exclude(should_be_enabled=wanted)
        .update(should_be_enabled=wanted)
    )
    if changed:
        enqueue(LICENSE_KEYS_SYNC_TASK, order_id)
    return changed


def license_key_state_record(*, license_key_id: int, facts: LicenseKeyFacts) -> None:
    """What Dodo answered after a sync: status, activations, expiry."""
    # The buyer's library shows these (QuerySet.update sends no post_save).
    panel_changed(
        *LicenseKey.objects.filter(pk=license_key_id).values_list("user_id", flat=True)
    )
    LicenseKey.objects.filter(pk=license_key_id).update(
        status=facts.status,
        instances_count=facts.instances_count,
        activations_limit=facts.activations_limit,
        expires_at=facts.expires_at,
        last_error="",
        synced_at=timezone.now(),
    )
