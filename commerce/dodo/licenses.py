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
