"""Dodo's license keys read into ``LicenseKeyFacts``; keys switched on or off at Dodo.

The ``license_key.created`` webhook's ``data`` and ``license_keys.update``'s answer
are the same object, the SDK's ``dodopayments.types.LicenseKey``; both are validated
with that model, so a payload Dodo's SDK would not accept is refused.
"""

from __future__ import annotations

import logging
from typing import Any

from dodopayments.types import LicenseKey as DodoLicenseKey
from pydantic import ValidationError

from commerce.licenses.models import LicenseKey
from commerce.licenses.services import LicenseKeyFacts, license_key_state_record

from . import client as dodo

logger = logging.getLogger(__name__)


class LicenseKeyPayloadError(ValueError):
    """The object is not a license key as Dodo's SDK defines it."""


def license_key_facts(data: dict[str, Any] | DodoLicenseKey) -> LicenseKeyFacts:
    try:
        key = (
            data
            if isinstance(data, DodoLicenseKey)
            else DodoLicenseKey.model_validate(data)
        )
    except ValidationError as err:
        raise LicenseKeyPayloadError(f"Not a license key: {err}") from err
    return LicenseKeyFacts(
        license_key_id=key.id,
        key=key.key,
        status=key.status,
        payment_id=key.payment_id or "",
        activations_limit=key.activations_limit,
        instances_count=key.instances_count,
        expires_at=key.expires_at,
    )


def license_keys_sync(*, order_id: int) -> int:
    """Push each of the order's keys to the state its grant wants; returns calls made.

    Idempotent: a key whose Dodo status already matches is left alone, so a
    redelivered task changes nothing. No transaction is held across the call.
    """
    calls = 0
    for key in LicenseKey.objects.filter(order_id=order_id):
        enabled_at_dodo = key.status != "disabled"
        if key.should_be_enabled == enabled_at_dodo:
            continue
        if key.should_be_enabled and key.status == "expired":
            continue  # an expired key stays expired; nothing to re-enable
        try:
            answer = dodo.license_key_set_enabled(
                license_key_id=key.dodo_license_key_id, enabled=key.should_be_enabled
            )
        except dodo.DodoError as err:
            LicenseKey.objects.filter(pk=key.pk).update(last_error=str(err)[:2000])
            raise
        calls += 1
        license_key_state_record(license_key_id=key.pk, facts=license_key_facts(answer))
    return calls


# A merchant with more keys than this is refreshed over several runs' worth of
# pages: the newest keys first, which are the ones buyers are activating.
REFRESH_MAX_PAGES = 50


def license_keys_refresh(
    *, max_pages: int = REFRESH_MAX_PAGES, page_size: int = 100
) -> int:
    """Read every key's status and activation count back from Dodo (Beat).

    Dodo sends no webhook when a buyer's software activates or deactivates a key,
    so the library's "2 of 3 activations" would only move on our own syncs.
    Returns how many of our keys changed. Keys Dodo lists that we don't hold
    (another shop on the same account, a key issued before its webhook arrived)
    are left to ``license_key.created``.
    """
    changed = 0
    for number in range(max_pages):
        items = dodo.license_keys_page(page_number=number, page_size=page_size)
        if not items:
            break
        ours = {
            key.dodo_license_key_id: key
            for key in LicenseKey.objects.filter(
                dodo_license_key_id__in=[item.id for item in items]
            )
        }
        for item in items:
            row = ours.get(item.id)
            if row is None:
                continue
            facts = license_key_facts(item)
            if (
                row.status,
                row.instances_count,
                row.activations_limit,
                row.expires_at,
            ) != (
                facts.status,
                facts.instances_count,
                facts.activations_limit,
                facts.expires_at,
            ):
                license_key_state_record(license_key_id=row.pk, facts=facts)
                changed += 1
    return changed
