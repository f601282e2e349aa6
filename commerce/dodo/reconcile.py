"""Heal orders whose webhook never came by asking Dodo about their payment."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone

from commerce.dodo import client as dodo
from commerce.models import Order, OrderStatus
from commerce.services.orders import UNCHANGED

from .payloads import payment_facts
from .webhooks import payment_apply, webhooks_deferred_sweep

logger = logging.getLogger(__name__)

RECONCILE_AFTER = timedelta(minutes=5)
RECONCILE_WINDOW = timedelta(days=2)


def order_reconcile(*, order_id: int) -> str:
    """Re-check one pending order with Dodo (session → payment) and apply it."""
    order = Order.objects.get(pk=order_id)
    if order.status != OrderStatus.PENDING or not order.dodo_checkout_session_id:
        return UNCHANGED
    session = dodo.checkout_session_retrieve(session_id=order.dodo_checkout_session_id)
    if not session.payment_id:
        return UNCHANGED
    payment = dodo.payment_retrieve(payment_id=session.payment_id)
    data = payment.model_dump(mode="json")
    metadata = data.get("metadata") or {}
    if str(metadata.get("order_id")) != str(order.pk):
        logger.warning(
            "Payment %s does not name order %s", payment.payment_id, order.pk
        )
        return UNCHANGED
    return payment_apply(order_id=order.pk, payment=payment_facts(data))


def orders_reconcile_pending(*, now=None) -> dict[str, int]:
    """Re-check every pending order older than a few minutes; returns a tally."""
    now = now or timezone.now()
    pending = Order.objects.filter(
        status=OrderStatus.PENDING,
        created_at__lte=now - RECONCILE_AFTER,
        created_at__gte=now - RECONCILE_WINDOW,
    ).exclude(dodo_checkout_session_id="")
    tally: dict[str, int] = {}
    for order_id in pending.values_list("pk", flat=True).iterator():
        try:
            outcome = order_reconcile(order_id=order_id)
        except dodo.DodoError:
            outcome = "error"
        tally[outcome] = tally.get(outcome, 0) + 1
    deferred = webhooks_deferred_sweep()
    if deferred:
        tally["deferred_applied"] = deferred
    return tally
