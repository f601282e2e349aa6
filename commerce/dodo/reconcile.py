"""Heal orders whose webhook never came by asking Dodo about their payment.

Two ways in, one way to apply: ``order_reconcile`` starts from a pending order
(Beat, every 10 minutes), ``payments_reimport`` from Dodo's list of payments since
a moment (after a database restore, docs/runbook.md). Both hand the payment to
``payment_apply``, the webhook's own service, so a payment grants at most once
however many times it is applied.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from commerce.dodo import client as dodo
from commerce.models import Order, OrderStatus
from commerce.services import disputes, orders, refunds
from commerce.services.orders import APPLIED, FLAGGED, UNCHANGED

from .payloads import payment_facts, refund_facts
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


# What ``payment_reimport`` reports besides the services' own outcomes.
FOREIGN = "foreign"  # names no order of this store (a payment link, a test)
MISSING = "missing"  # names an order this database does not hold


def payment_reimport(*, payment_id: str) -> tuple[str, int | None]:
    """Apply one Dodo payment, its refunds and its dispute to its order.

    Returns ``(outcome, order id)``. The payment goes through ``payment_apply``; a
    granted order then gets the refunds and the dispute state Dodo holds for it,
    through the same services as their webhooks (each keyed by Dodo's ids, so a
    second run changes nothing).
    """
    data = dodo.payment_retrieve(payment_id=payment_id).model_dump(mode="json")
    facts = payment_facts(data)
    if facts.order_id is None:
        return FOREIGN, None
    if not Order.objects.filter(pk=facts.order_id).exists():
        return MISSING, facts.order_id
    outcome = payment_apply(order_id=facts.order_id, payment=facts)
    order = Order.objects.only("dodo_payment_id").get(pk=facts.order_id)
    if outcome == FLAGGED or order.dodo_payment_id != payment_id:
        return outcome, facts.order_id
    with transaction.atomic():
        # As the refund and dispute webhooks do: serialised with this payment's.
        orders.payment_lock(payment_id)
        changed = [
            refunds.order_record_refund(
                order_id=order.pk,
                refund=refund_facts({**refund, "payment_id": payment_id}),
            )
            for refund in data.get("refunds") or []
            if refund.get("status") == "succeeded"
        ]
        dispute_list = data.get("disputes") or []
        if dispute_list:
            latest = max(dispute_list, key=lambda d: str(d.get("created_at") or ""))
            changed.append(
                disputes.order_record_dispute(
                    order_id=order.pk,
                    dispute_status=str(latest.get("dispute_status") or ""),
                )
            )
    if outcome == UNCHANGED and APPLIED in changed:
        outcome = APPLIED
    return outcome, facts.order_id


def payments_reimport(*, since, until=None, report=None) -> dict[str, int]:
    """Apply every payment Dodo took or refunded in ``[since, until]``; a tally.

    ``report(payment_id, outcome, order_id)`` is called for each payment (the
    management command prints it). A Dodo error on one payment is counted and the
    rest go on; an error listing the payments stops the run (rerun it: it is
    idempotent).
    """
    tally: dict[str, int] = {}
    for payment_id in dodo.payment_ids_changed(since=since, until=until):
        try:
            outcome, order_id = payment_reimport(payment_id=payment_id)
        except dodo.DodoError as err:
            logger.warning("Re-import of payment %s failed: %s", payment_id, err)
            outcome, order_id = "error", None
        if report is not None:
            report(payment_id, outcome, order_id)
        tally[outcome] = tally.get(outcome, 0) + 1
    return tally
