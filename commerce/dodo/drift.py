"""Drift healing: compare each product with its Dodo twin and re-sync what differs.

Run by Beat (``commerce.heal_dodo_drift``). A publish whose sync task was lost, a
change made in Dodo's dashboard, a sync that failed for good: the next run finds the
difference (name, price, currency, archived) and pushes our values again. A product
whose Dodo twin matches gets its sync row confirmed ("synced" with the values Dodo
holds).
"""

from __future__ import annotations

import logging

from catalog.models import ProductPage
from commerce.dodo import client as dodo
from commerce.models import SyncStatus

from .sync import _product_state, product_dodo_values, product_sync

logger = logging.getLogger(__name__)


def product_drift(product: ProductPage) -> list[str]:
    """The fields on which Dodo differs from the page (empty: in step)."""
    remote = dodo.product_retrieve(dodo_product_id=product.dodo_product_id)
    differs = []
    if product.live:
        values = product_dodo_values(product)
        for field in ("name", "price", "currency"):
            if getattr(remote, field) != values[field]:
                differs.append(field)
    if remote.archived is not None and remote.archived == product.live:
        differs.append("archived")
    return differs


def products_heal_drift() -> dict[str, int]:
    """Check every product Dodo knows (and every live one it should); heal drift."""
    counts = {"checked": 0, "healed": 0, "failed": 0}
    products = ProductPage.objects.exclude(dodo_product_id="") | (
        ProductPage.objects.live().filter(dodo_product_id="")
    )
    for product in products.order_by("pk"):
        counts["checked"] += 1
        try:
            differs = product_drift(product) if product.dodo_product_id else ["missing"]
            if differs:
                logger.warning(
                    "Dodo product of %s (%s) differs on %s: re-syncing",
                    product.pk,
                    product.dodo_product_id or "none",
                    ", ".join(differs),
                )
                if "archived" in differs and product.live:
                    dodo.product_unarchive(dodo_product_id=product.dodo_product_id)
                product_sync(product_id=product.pk)
                counts["healed"] += 1
            elif product.live:
                _product_state(
                    product.pk,
                    SyncStatus.SYNCED,
                    confirmed=product_dodo_values(product),
                )
        except dodo.DodoError as err:
            logger.warning("Dodo drift check of %s failed: %s", product.pk, err)
            counts["failed"] += 1
    return counts
