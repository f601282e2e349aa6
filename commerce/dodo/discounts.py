"""Discount codes at Dodo: one function per call, and the sync that mirrors ours.

A code's Dodo twin is always restricted to Dodo ids of the seller's own products:
every seller sells through one Dodo business, and an unrestricted Dodo discount
would apply to any product on Dodo's hosted page (where the buyer may type codes).
So a code none of whose products has a Dodo id is not sent at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from commerce.discounts.models import DiscountCode, DiscountKind, DiscountSyncStatus

from . import client as dodo
from .sync import product_sync

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DodoDiscountState:
    """What Dodo holds for a code, as the checkout checks it."""

    discount_id: str
    code: str
    restricted_to: tuple[str, ...]
    times_used: int
    usage_limit: int | None
    starts_at: datetime | None
    expires_at: datetime | None

    def refusal(self, *, dodo_product_id: str, now: datetime | None = None) -> str:
        """Why Dodo would not apply this code to the product, or ""."""
        now = now or timezone.now()
        if self.restricted_to and dodo_product_id not in self.restricted_to:
            return "does not apply to this product"
        if self.starts_at is not None and self.starts_at > now:
            return "is not active yet"
        if self.expires_at is not None and self.expires_at <= now:
            return "has expired"
        if self.usage_limit is not None and self.times_used >= self.usage_limit:
            return "has been used up"
        return ""


def _state(discount) -> DodoDiscountState:
    return DodoDiscountState(
        discount_id=discount.discount_id,
        code=discount.code,
        restricted_to=tuple(discount.restricted_to or ()),
        times_used=discount.times_used,
        usage_limit=discount.usage_limit,
        starts_at=discount.starts_at,
        expires_at=discount.expires_at,
    )


def discount_params(code: DiscountCode, restricted_to: list[str]) -> dict[str, Any]:
    """Our code as ``discounts.create``/``update`` take it."""
    params: dict[str, Any] = {
        "code": code.code,
        "name": code.code,
        "starts_at": code.starts_at,
        "expires_at": code.expires_at,
        "usage_limit": code.usage_limit,
        "restricted_to": restricted_to,
        "metadata": {"seller_id": str(code.seller_id), "code_id": str(code.pk)},
    }
    if code.kind == DiscountKind.PERCENTAGE:
        params.update(type="percentage", amount=code.basis_points)
    else:
        # A flat code's deduction is its currency option (Dodo requires a default
        # row); ``amount`` carries the same minor units.
        params.update(
            type="flat",
            amount=code.amount_off,
            currency_options=[
                {
                    "currency": code.currency,
                    "is_default": True,
                    "max_amount_possible": code.amount_off,
                    "minimum_subtotal": 0,
                }
            ],
        )
    return params


def discount_create(*, params: dict[str, Any]) -> str:
    try:
        discount = dodo.get_client(max_retries=0).discounts.create(**params)
    except dodo.DodoError as err:
        dodo._logged("discounts.create", code=params.get("code"))(err)
        raise
    return discount.discount_id


def discount_update(*, dodo_discount_id: str, params: dict[str, Any]) -> None:
    try:
        dodo.get_client(max_retries=0).discounts.update(dodo_discount_id, **params)
    except dodo.DodoError as err:
        dodo._logged("discounts.update", id=dodo_discount_id)(err)
        raise


def discount_delete(*, dodo_discount_id: str) -> None:
    """Delete the Dodo twin; one already gone counts as deleted."""
    try:
        dodo.get_client(max_retries=0).discounts.delete(dodo_discount_id)
    except dodo.DodoError as err:
        if getattr(err, "status_code", None) == 404:
            return
        dodo._logged("discounts.delete", id=dodo_discount_id)(err)
        raise


def discount_retrieve(*, dodo_discount_id: str) -> DodoDiscountState:
    try:
        return _state(dodo.get_client().discounts.retrieve(dodo_discount_id))
    except dodo.DodoError as err:
        dodo._logged("discounts.retrieve", id=dodo_discount_id)(err)
        raise


def _restricted_to(code: DiscountCode) -> list[str]:
    """Dodo ids of the code's live products, syncing any not at Dodo yet."""
    ids = []
    for product in code.products.all():
        dodo_id = product.dodo_product_id
        if not dodo_id and product.live:
            dodo_id = product_sync(product_id=product.pk)
        if dodo_id and product.live:
            ids.append(dodo_id)
    return sorted(ids)


def _record(code_id: int, status: str, error: str = "", **fields) -> None:
    DiscountCode.objects.filter(pk=code_id).update(
        sync_status=status,
        sync_error=error[:2000],
        synced_at=timezone.now() if status == DiscountSyncStatus.SYNCED else None,
        **fields,
    )


def discount_sync(*, code_id: int) -> str:
    """Create or update the code's Dodo twin; returns its Dodo id.

    Raises ``DodoError`` (the task retries) when Dodo fails or when no product
    of the code is at Dodo yet.
    """
    code = DiscountCode.objects.prefetch_related("products").filter(pk=code_id).first()
    if code is None:
        return ""
    sent_at = code.updated_at
    try:
        restricted_to = _restricted_to(code)
        if not restricted_to:
            raise dodo.DodoError("none of the code's products is live at Dodo")
        params = discount_params(code, restricted_to)
        if code.dodo_discount_id:
            discount_update(dodo_discount_id=code.dodo_discount_id, params=params)
            dodo_id = code.dodo_discount_id
        else:
            dodo_id = discount_create(params=params)
            won = DiscountCode.objects.filter(pk=code_id, dodo_discount_id="").update(
                dodo_discount_id=dodo_id
            )
            if not won:
                # A concurrent sync created one first: keep theirs, remove ours.
                discount_delete(dodo_discount_id=dodo_id)
                return discount_sync(code_id=code_id)
    except dodo.DodoError as err:
        _record(code_id, DiscountSyncStatus.FAILED, str(err) or type(err).__name__)
        raise
    # "At Dodo" only if nobody edited the code while Dodo was being told.
    current = DiscountCode.objects.filter(pk=code_id, updated_at=sent_at).exists()
    _record(
        code_id,
        DiscountSyncStatus.SYNCED if current else DiscountSyncStatus.PENDING,
    )
    return dodo_id
