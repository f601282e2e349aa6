"""Keep Dodo's products and customers in step with ours.

No database transaction is held across a Dodo call: in development the sandbox
answers from the same server (and, on SQLite, the same database file). Two syncs
racing to create the same object are settled by a conditional update afterwards.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.html import strip_tags

from catalog.models import ProductPage
from commerce.dodo import client as dodo
from commerce.models import DodoCustomer, DodoProductSync, SyncStatus

logger = logging.getLogger(__name__)


def _product_state(
    product_id: int, status: str, error: str = "", confirmed: dict | None = None
) -> None:
    defaults = {
        "status": status,
        "last_error": error[:2000],
        "synced_at": timezone.now() if not error else None,
    }
    if confirmed is not None:
        defaults.update(
            synced_name=confirmed["name"],
            synced_price=confirmed["price"],
            synced_currency=confirmed["currency"],
        )
    DodoProductSync.objects.update_or_create(product_id=product_id, defaults=defaults)


def product_dodo_values(product: ProductPage) -> dict:
    """What Dodo must hold for a live product (the values a checkout charges)."""
    return {
        "name": product.title,
        "price": product.effective_price,
        "currency": product.currency,
    }


def product_license_key_settings(product: ProductPage) -> dodo.LicenseKeySettings:
    """The product's license key settings, as the product sync sends them."""
    return dodo.LicenseKeySettings(
        enabled=product.license_key_enabled,
        activations_limit=product.license_key_activations_limit,
        duration_days=product.license_key_duration_days,
        activation_message=product.license_key_activation_message,
    )


def product_is_current(product: ProductPage) -> bool:
    """True when Dodo confirmed this product's current name, price and currency."""
    sync = DodoProductSync.objects.filter(product_id=product.pk).first()
    return (
        bool(product.dodo_product_id)
        and sync is not None
        and sync.status == SyncStatus.SYNCED
        and {
            "name": sync.synced_name,
            "price": sync.synced_price,
            "currency": sync.synced_currency,
        }
        == product_dodo_values(product)
    )


def product_sync(*, product_id: int) -> str:
    """Create or update the product's Dodo twin (archive it when not live).

    Returns the Dodo product id ("" when archived without one).
    """
    product = ProductPage.objects.get(pk=product_id)
    if not product.live:
        return product_archive(product_id=product_id)
    sent = product_dodo_values(product)
    fields = {
        **sent,
        "description": strip_tags(product.summary or product.description)[:1000],
        "tax_category": product.tax_category,
        "license_keys": product_license_key_settings(product),
    }
    try:
        if product.dodo_product_id:
            dodo.product_update(dodo_product_id=product.dodo_product_id, **fields)
            previous = DodoProductSync.objects.filter(product_id=product_id).first()
            if previous is not None and previous.status == SyncStatus.ARCHIVED:
                dodo.product_unarchive(dodo_product_id=product.dodo_product_id)
            dodo_id = product.dodo_product_id
        else:
            new_id = dodo.product_create(**fields)
            won = ProductPage.objects.filter(pk=product_id, dodo_product_id="").update(
                dodo_product_id=new_id
            )
            if not won:
                # A concurrent sync created it first: keep theirs, retire ours.
                dodo.product_archive(dodo_product_id=new_id)
            dodo_id = ProductPage.objects.values_list("dodo_product_id", flat=True).get(
                pk=product_id
            )
    except dodo.DodoError as err:
        _product_state(product_id, SyncStatus.FAILED, str(err) or type(err).__name__)
        raise
    # Dodo confirmed what was sent; "synced" only if that is still the page's.
    now = ProductPage.objects.filter(pk=product_id).first()
    current = now is not None and product_dodo_values(now) == sent
    _product_state(
        product_id,
        SyncStatus.SYNCED if current else SyncStatus.PENDING,
        confirmed=sent,
    )
    return dodo_id


def product_archive(*, product_id: int, dodo_product_id: str | None = None) -> str:
    """Archive the Dodo product of an unpublished (or deleted) product page."""
    if dodo_product_id is None:
        dodo_product_id = (
            ProductPage.objects.filter(pk=product_id)
            .values_list("dodo_product_id", flat=True)
            .first()
            or ""
        )
    if not dodo_product_id:
        return ""
    exists = ProductPage.objects.filter(pk=product_id).exists()
    try:
        dodo.product_archive(dodo_product_id=dodo_product_id)
    except dodo.DodoError as err:
        if exists:
            _product_state(product_id, SyncStatus.FAILED, str(err) or "archive failed")
        raise
    if exists:
        _product_state(product_id, SyncStatus.ARCHIVED)
    return dodo_product_id


def customer_ensure(*, user) -> str:
    """The user's Dodo customer id, creating or updating the customer as needed."""
    mapping, _ = DodoCustomer.objects.get_or_create(user=user)
    name = user.full_name or user.email.split("@")[0]
    if (
        mapping.dodo_customer_id
        and mapping.synced_email == user.email
        and mapping.synced_name == name
    ):
        return mapping.dodo_customer_id
    try:
        if mapping.dodo_customer_id:
            dodo.customer_update(
                dodo_customer_id=mapping.dodo_customer_id, email=user.email, name=name
            )
            customer_id = mapping.dodo_customer_id
        else:
            customer_id = dodo.customer_create(
                email=user.email, name=name, user_id=user.pk
            )
            won = DodoCustomer.objects.filter(
                pk=mapping.pk, dodo_customer_id=""
            ).update(dodo_customer_id=customer_id)
            if not won:
                # Dodo matches customers by e-mail, so the other one is the same.
                mapping.refresh_from_db()
                customer_id = mapping.dodo_customer_id
    except dodo.DodoError as err:
        DodoCustomer.objects.filter(pk=mapping.pk).update(
            status=SyncStatus.FAILED, last_error=(str(err) or type(err).__name__)[:2000]
        )
        raise
    DodoCustomer.objects.filter(pk=mapping.pk).update(
        dodo_customer_id=customer_id,
        synced_email=user.email,
        synced_name=name,
        status=SyncStatus.SYNCED,
        last_error="",
        synced_at=timezone.now(),
    )
    return customer_id
