"""Dodo webhooks: verify, record by ``webhook-id``, dispatch, act.

A new delivery is acted on and recorded, with its outcome, in one transaction,
the event's insert last: a delivery of a ``webhook-id`` recorded before (or by a
concurrent delivery, whose uncommitted insert makes ours wait on the unique index)
fails that insert, and everything it did rolls back with it. If acting fails,
everything rolls back and the event is recorded anew as failed (with its error,
for staff), answered 5xx so that Dodo's retry finds it and tries again under the
event's row lock. Acting holds the payment's lock and the order's row lock, so
concurrent deliveries of the same or different events for one payment apply once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from commerce.dodo import client as dodo
from commerce.licenses.services import license_key_record
from commerce.models import Order, OrderStatus, WebhookEvent, WebhookOutcome
from commerce.services import disputes, orders, refunds
from commerce.services.payments import PaymentFacts
from site_config.cache import cache_work_gathered
from site_config.compiled import CompiledQuery
from site_config.prepared import prepared_statements

from .licenses import LicenseKeyPayloadError, license_key_facts
from .payloads import payment_facts, refund_facts

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebhookResult:
    status_code: int
    message: str


WEBHOOK_ID_MAX_LENGTH = WebhookEvent._meta.get_field("webhook_id").max_length


class PayloadError(Exception):
    """The event is authentic but unusable (no order id...): answered with 400."""


# How an outcome is answered; a failure gets a 500 so Dodo retries.
STATUS_FOR_OUTCOME = {
    WebhookOutcome.PROCESSED: 200,
    WebhookOutcome.IGNORED: 200,
    WebhookOutcome.DEFERRED: 200,
    WebhookOutcome.FLAGGED: 200,
    WebhookOutcome.FOREIGN: 200,
    WebhookOutcome.REJECTED: 400,
    WebhookOutcome.FAILED: 500,
}


def webhook_receive(*, body: bytes, headers) -> WebhookResult:
    """Handle one delivery of ``POST /webhooks/dodo/``.

    The caches a payment makes stale (the buyer's panels, the seller's dashboard)
    are told in one round trip once it has committed.
    """
    with cache_work_gathered():
        return _receive(body, headers)


def _receive(body: bytes, headers) -> WebhookResult:
    try:
        # Verify only; parsing is ours, so a parse error can never be mistaken for
        # a verified body (the library raises ValueError for malformed signature
        # headers too, before comparing anything).
        Webhook(dodo.webhook_key()).verify(body, dict(headers), json_parse=False)
    except WebhookVerificationError as err:
        status = 400 if "Missing" in str(err) else 401
        return WebhookResult(status, f"Signature rejected: {err}")
    except UnicodeDecodeError:
        return WebhookResult(400, "Body is not UTF-8.")
    except ValueError as err:
        return WebhookResult(401, f"Signature rejected: malformed header ({err}).")
    webhook_id = headers.get("webhook-id")
    if len(webhook_id) > WEBHOOK_ID_MAX_LENGTH:
        return WebhookResult(400, "webhook-id is too long.")
    # Authentic but unusable: recorded with the reason, answered 400.
    payload, problem = _parse(body)
    fields = _recorded_fields(body, payload, problem)
    event = WebhookEvent(webhook_id=webhook_id, **fields)

    def record_and_process() -> WebhookResult | None:
        nonlocal event
        event = WebhookEvent(webhook_id=webhook_id, **fields)
        return _record_and_process(event)

    try:
        # Every statement of a payment is a lookup or write by key: prepared.
        with prepared_statements():
            result = _once_more_on_conflict(record_and_process)
    except Exception as err:
        logger.exception("Dodo webhook event %s failed", webhook_id)
        _record_failure(err, new=event)
        return WebhookResult(500, "Processing failed; it will be retried.")
    if result is not None:
        return result
    # Recorded before: by an earlier delivery, or by a concurrent one that has
    # committed now (its insert made ours wait on the unique webhook-id).
    known = WebhookEvent.objects.get(webhook_id=webhook_id)
    if known.processed_at is not None and known.outcome != WebhookOutcome.FAILED:
        return WebhookResult(STATUS_FOR_OUTCOME[known.outcome], "Already received.")
    return _process(known.pk)


def _parse(body: bytes) -> tuple[Any, str]:
    """The JSON payload, or ``None`` and why it can't be used.

    PostgreSQL stores neither a NUL byte in text nor ``\\u0000`` in jsonb, so a
    body with either is refused here instead of failing the insert.
    """
    if b"\x00" in body:
        return None, "The body contains a NUL byte."
    try:
        payload = json.loads(body)
    except ValueError as err:
        return None, f"Malformed JSON body ({err})."
    if _contains_nul(payload):
        return None, "The body contains a NUL character (\\u0000)."
    return payload, ""


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


def _recorded_fields(body: bytes, payload: Any, error: str) -> dict[str, Any]:
    data = payload.get("data") if isinstance(payload, dict) else None
    return {
        # Kept for staff as received, less any NUL byte (text can't hold one).
        "body": body.decode().replace("\x00", "\ufffd"),
        "error": error,
        "payload": payload if isinstance(payload, dict) else None,
        "event_type": str(payload.get("type", ""))[:64]
        if isinstance(payload, dict)
        else "",
        "dodo_payment_id": str(data.get("payment_id") or "")[:64]
        if isinstance(data, dict)
        else "",
    }


def _record_and_process(event: WebhookEvent) -> WebhookResult | None:
    """Act on a new delivery and record it in one transaction; None if known.

    The event is inserted once, with its outcome, as the transaction's last
    write (not inserted first and updated after: a statement and a rewrite of
    its row and indexes less per payment). A known ``webhook-id`` fails the
    insert and the delivery's work rolls back unseen; a concurrent delivery of
    it acted only after this one committed (the payment's lock), found nothing
    left to do, and is refused the same way.
    """
    with transaction.atomic():
        result = _decide(event)
        try:
            event.save(force_insert=True)
        except IntegrityError:
            transaction.set_rollback(True)
            return None
        return result


def _once_more_on_conflict(act: Callable[[], WebhookResult | None]):
    """Run ``act``, one whole transaction; once more if it hit a unique conflict.

    A concurrent transaction may commit a row that this one would duplicate:
    another order of the buyer granted the same product at the same moment
    (orders.purchase_grant inserts the first grant without a savepoint). The
    insert fails and everything rolls back; acting once more sees that row and
    decides by it. (A known ``webhook-id`` is no such conflict: its insert is
    caught where it is made.)
    """
    try:
        return act()
    except IntegrityError as err:
        logger.info("Dodo webhook: acting once more after a conflict (%s)", err)
        return act()


def _process(event_id: int) -> WebhookResult:
    """Act on a recorded event again (a failed one redelivered, staff's reprocess)."""

    def act() -> WebhookResult:
        with transaction.atomic():
            event = WebhookEvent.objects.select_for_update().get(pk=event_id)
            if event.processed_at is not None and event.outcome not in (
                WebhookOutcome.FAILED,
            ):
                # A concurrent delivery of the same event got here first.
                return WebhookResult(
                    STATUS_FOR_OUTCOME[event.outcome], "Already received."
                )
            return _act(event)

    try:
        return _once_more_on_conflict(act)
    except Exception as err:
        logger.exception("Dodo webhook event %s failed", event_id)
        _record_failure(err, event_id=event_id)
        return WebhookResult(500, "Processing failed; it will be retried.")


def _act(event: WebhookEvent) -> WebhookResult:
    """Act on the row-locked recorded event again and keep its new outcome."""
    result = _decide(event)
    event.save(
        update_fields=[
            "outcome", "error", "attempts", "processed_at", "order", "dodo_payment_id",
        ]
    )  # fmt: skip
    return result


def _decide(event: WebhookEvent) -> WebhookResult:
    """Dispatch the event and set its outcome on it (the caller saves it)."""
    outcome, message = _dispatch(event)
    event.outcome = outcome
    event.error = message if outcome != WebhookOutcome.PROCESSED else ""
    event.attempts += 1
    event.processed_at = timezone.now()
    return WebhookResult(STATUS_FOR_OUTCOME[outcome], message or "OK")


def _record_failure(
    err: Exception, *, event_id: int | None = None, new: WebhookEvent | None = None
) -> None:
    """Count the failed attempt and keep its error; Dodo's retry processes it again.

    ``event_id``: an event recorded earlier; ``new``: a delivery not recorded
    yet when it was acted on (its processing rolled back, insert and all). Either
    way this is a fresh write. When the database itself is gone it fails too:
    logged, and the answer is still a 5xx.
    """
    failure = {
        "outcome": WebhookOutcome.FAILED,
        "error": f"{type(err).__name__}: {err}"[:4000],
        "processed_at": timezone.now(),
    }
    try:
        if new is None:
            WebhookEvent.objects.filter(pk=event_id).update(
                attempts=F("attempts") + 1, **failure
            )
            return
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(
                    webhook_id=new.webhook_id,
                    body=new.body,
                    payload=new.payload,
                    event_type=new.event_type,
                    dodo_payment_id=new.dodo_payment_id,
                    attempts=1,
                    **failure,
                )
        except IntegrityError:
            # Recorded already: Dodo's retry of a failed event, which failed
            # again (counted), or a concurrent delivery's, whose success stands.
            WebhookEvent.objects.filter(
                webhook_id=new.webhook_id, outcome=WebhookOutcome.FAILED
            ).update(attempts=F("attempts") + 1, **failure)
    except DatabaseError:
        logger.exception(
            "Dodo webhook event %s: failure not recorded", event_id or new.webhook_id
        )


# The amounts Dodo sends as integers in minor units (its SDK's ``Payment`` and
# ``Refund``; a ``Dispute`` amount is a string); anything else is a payload we
# can't trust to compare with the order.
AMOUNT_FIELDS = {
    "payment": ("total_amount", "settlement_amount", "tax", "settlement_tax"),
    "refund": ("amount",),
}


def _dispatch(event: WebhookEvent) -> tuple[str, str]:
    if event.payload is None:
        return WebhookOutcome.REJECTED, event.error or "Malformed JSON body."
    data = event.payload.get("data")
    handler = HANDLERS.get(event.event_type)
    if handler is None:
        logger.info("Ignoring Dodo webhook of type %r", event.event_type)
        return WebhookOutcome.IGNORED, f"Unhandled event type {event.event_type!r}."
    if not isinstance(data, dict):
        return WebhookOutcome.REJECTED, "The event has no data object."
    for name in AMOUNT_FIELDS.get(event.event_type.partition(".")[0], ()):
        value = data.get(name)
        if value is not None and type(value) is not int:
            return (
                WebhookOutcome.REJECTED,
                f"{name} is not an amount in minor units: {value!r:.80}.",
            )
    try:
        return handler(event, data)
    except PayloadError as err:
        return WebhookOutcome.REJECTED, str(err)


def payment_apply(*, order_id: int, payment: PaymentFacts) -> str:
    """Apply a Dodo payment's state to its order (webhook and reconciliation).

    A success also applies the refund and dispute events that arrived before it.
    A row that a concurrent transaction committed first (another order of the
    buyer granted the same product at the same moment: orders.purchase_grant)
    aborts the transaction with ``IntegrityError``: run on its own (reconciliation,
    re-import), the payment is applied once more and sees that row; inside a
    caller's transaction, the caller does the same (the webhook:
    ``_once_more_on_conflict``).
    """
    if transaction.get_connection().in_atomic_block:
        return _payment_apply(order_id=order_id, payment=payment)
    try:
        return _payment_apply(order_id=order_id, payment=payment)
    except IntegrityError:
        logger.info("Payment %s: applying it again", payment.payment_id)
        return _payment_apply(order_id=order_id, payment=payment)


@transaction.atomic(savepoint=False)
def _payment_apply(*, order_id: int, payment: PaymentFacts) -> str:
    if payment.status == "succeeded":
        orders.payment_lock(payment.payment_id)
        outcome = orders.order_mark_paid(order_id=order_id, payment=payment)
        if outcome in (orders.APPLIED, orders.UNCHANGED):
            webhook_deferred_apply(payment_id=payment.payment_id)
        return outcome
    if payment.status in ("failed", "cancelled"):
        failed = payment.status == "failed"
        return orders.order_mark_failed(
            order_id=order_id,
            status=OrderStatus.FAILED if failed else OrderStatus.CANCELLED,
            reason="Payment failed." if failed else "Payment cancelled.",
        )
    # Processing and the like: the order waits (if it is ours at all).
    exists = Order.objects.filter(pk=order_id).exists()
    return orders.UNCHANGED if exists else orders.NOT_FOUND


def _on_payment(status: str) -> Callable[[WebhookEvent, dict], tuple[str, str]]:
    def handle(event: WebhookEvent, data: dict[str, Any]) -> tuple[str, str]:
        facts = payment_facts(data, status=status)
        if not facts.payment_id:
            raise PayloadError("The payment has no payment_id.")
        event.dodo_payment_id = facts.payment_id
        if facts.order_id is None:
            # A payment link, a dashboard test, another integration: authentic,
            # acknowledged (so Dodo does not retry for a day), never granted.
            return (
                WebhookOutcome.FOREIGN,
                f"Payment {facts.payment_id} names no order of this store.",
            )
        outcome = payment_apply(order_id=facts.order_id, payment=facts)
        if outcome == orders.NOT_FOUND:
            return WebhookOutcome.FLAGGED, f"No order #{facts.order_id} here."
        event.order_id = facts.order_id
        if outcome == orders.FLAGGED:
            return WebhookOutcome.FLAGGED, "Payment does not match the order."
        return WebhookOutcome.PROCESSED, ""

    return handle


def _order_for_payment(event: WebhookEvent, data: dict[str, Any]) -> Order | None:
    payment_id = str(data.get("payment_id") or "")
    if not payment_id:
        raise PayloadError("The event has no payment_id.")
    event.dodo_payment_id = payment_id
    # Taken before the lookup: a concurrent payment.succeeded either committed
    # already (we see the order) or waits and then applies us as deferred.
    orders.payment_lock(payment_id)
    order = Order.objects.filter(dodo_payment_id=payment_id).only("pk").first()
    if order is not None:
        event.order_id = order.pk
    return order


def _on_refund(event: WebhookEvent, data: dict[str, Any]) -> tuple[str, str]:
    order = _order_for_payment(event, data)
    if order is None:
        return WebhookOutcome.DEFERRED, "Waiting for the payment to be recorded."
    status = event.event_type.split(".", 1)[1]  # the event says how it ended
    refund = refund_facts(data, status=status)
    if not refund.refund_id:
        refund = replace(refund, refund_id=event.webhook_id)
    if status == "failed":
        refunds.order_record_refund_failure(order_id=order.pk, refund=refund)
    else:
        refunds.order_record_refund(order_id=order.pk, refund=refund)
    return WebhookOutcome.PROCESSED, ""


def _on_dispute(event: WebhookEvent, data: dict[str, Any]) -> tuple[str, str]:
    order = _order_for_payment(event, data)
    if order is None:
        return WebhookOutcome.DEFERRED, "Waiting for the payment to be recorded."
    status = str(data.get("dispute_status") or "")
    if not status:
        # An older payload without the state: the event type says it.
        status = "dispute_" + event.event_type.split(".", 1)[1]
    disputes.order_record_dispute(
        order_id=order.pk,
        dispute_status=status,
        dispute_id=str(data.get("dispute_id") or ""),
    )
    return WebhookOutcome.PROCESSED, ""


def _on_license_key_created(
    event: WebhookEvent, data: dict[str, Any]
) -> tuple[str, str]:
    try:
        facts = license_key_facts(data)
    except LicenseKeyPayloadError as err:
        raise PayloadError(str(err)) from err
    if not facts.payment_id:
        return WebhookOutcome.FOREIGN, "The license key names no payment."
    order = _order_for_payment(event, data)
    if order is None:
        return WebhookOutcome.DEFERRED, "Waiting for the payment to be recorded."
    license_key_record(order_id=order.pk, facts=facts)
    return WebhookOutcome.PROCESSED, ""


HANDLERS: dict[str, Callable[[WebhookEvent, dict], tuple[str, str]]] = {
    "payment.succeeded": _on_payment("succeeded"),
    "payment.processing": _on_payment("processing"),
    "payment.failed": _on_payment("failed"),
    "payment.cancelled": _on_payment("cancelled"),
    "refund.succeeded": _on_refund,
    "refund.failed": _on_refund,
    "dispute.opened": _on_dispute,
    "dispute.challenged": _on_dispute,
    "dispute.won": _on_dispute,
    "dispute.lost": _on_dispute,
    "dispute.accepted": _on_dispute,
    "dispute.cancelled": _on_dispute,
    "dispute.expired": _on_dispute,
    "license_key.created": _on_license_key_created,
}


def webhooks_deferred_sweep() -> int:
    """Backstop for reconciliation: apply deferred events whose payment is known now."""
    payment_ids = (
        WebhookEvent.objects.filter(outcome=WebhookOutcome.DEFERRED)
        .exclude(dodo_payment_id="")
        .values_list("dodo_payment_id", flat=True)
        .distinct()
    )
    known = Order.objects.filter(dodo_payment_id__in=list(payment_ids)).values_list(
        "dodo_payment_id", flat=True
    )
    applied = 0
    for payment_id in known:
        with transaction.atomic():
            orders.payment_lock(payment_id)
            applied += webhook_deferred_apply(payment_id=payment_id)
    return applied


def _deferred_events(payment_id: str):
    return WebhookEvent.objects.filter(
        dodo_payment_id=payment_id, outcome=WebhookOutcome.DEFERRED
    )


# Asked by every payment that succeeds: compiled once per process.
_DEFERRED_ONE = CompiledQuery(
    lambda payment_id: _deferred_events(payment_id).order_by().values("pk")[:1], str
)


def webhook_deferred_apply(*, payment_id: str) -> int:
    """Apply events that arrived before their payment (a refund before its success)."""
    # Almost every payment has none: ask the cheap question first.
    if not _DEFERRED_ONE.rows(payment_id):
        return 0
    deferred = list(
        _deferred_events(payment_id).select_for_update().order_by("received_at", "pk")
    )
    for event in deferred:
        outcome, message = _dispatch(event)
        event.outcome = outcome
        event.error = message if outcome != WebhookOutcome.PROCESSED else ""
        event.processed_at = timezone.now()
        event.save(update_fields=["outcome", "error", "processed_at", "order"])
    return len(deferred)


def webhook_event_reprocess(*, event_id: int) -> WebhookResult:
    """Staff action: run a recorded event again (services are idempotent)."""
    event = WebhookEvent.objects.get(pk=event_id)
    if event.payload is None and event.body:
        payload, _problem = _parse(event.body.encode())
        if isinstance(payload, dict):
            WebhookEvent.objects.filter(pk=event_id).update(
                payload=payload, event_type=str(payload.get("type", ""))[:64]
            )
    WebhookEvent.objects.filter(pk=event_id).update(processed_at=None)
    return _process(event_id)
