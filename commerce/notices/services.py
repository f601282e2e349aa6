"""Record a notice with the change that causes it; the outbox sends it after commit.

A payment's notices are the exception: the payment's transaction queues one
task (an outbox row), which records them and sends them (``order_paid_notices_*``).
"""

from __future__ import annotations

from django.conf import settings

from commerce.models import NoticeKind, Order, OrderNotice
from outbox.services import enqueue

from .tasks import order_notice_send_task, order_paid_notices_send_task


def order_notice_record(
    *, order: Order, kind: str, event: str = "", data: dict | None = None
) -> OrderNotice | None:
    """Record one notice and enqueue its sending; None if this event already has one.

    Call inside the transaction that changes the order, so the notice exists if and
    only if the change does. ``event`` tells apart several notices of one kind on
    one order (Dodo's refund id, the dispute's state).
    """
    key = _key(order.pk, kind, event)
    notice, created = OrderNotice.objects.get_or_create(
        key=key, defaults={"order": order, "kind": kind, "data": data or {}}
    )
    if not created:
        return None
    enqueue(order_notice_send_task, notice.pk)
    return notice


def _key(order_id: int, kind: str, event: str = "") -> str:
    return f"{kind}:{order_id}:{event}"[:160]


def order_paid_notices_queue(*, order: Order) -> None:
    """Queue the buyer's receipt and the seller's new-sale notice (Telegram if set up).

    One statement in the payment's transaction (the webhook's hot path): the
    outbox row of the task that records the notices and sends them. The caller
    is ``order_mark_paid`` at the order's one transition to paid.
    """
    enqueue(order_paid_notices_send_task, order.pk)


def order_paid_notices_record(*, order_id: int) -> list[OrderNotice]:
    """The paid order's notices, recorded on the first call; the same ones after.

    Their keys are unique: a retried or redelivered task inserts nothing new, and
    finds what an earlier run sent (``sent_at``) so it is not sent again.
    """
    kinds = [NoticeKind.RECEIPT, NoticeKind.SALE_EMAIL]
    if settings.TELEGRAM_BOT_TOKEN:
        kinds.append(NoticeKind.SALE_TELEGRAM)
    keys = [_key(order_id, kind) for kind in kinds]
    OrderNotice.objects.bulk_create(
        [
            OrderNotice(key=key, order_id=order_id, kind=kind, data={})
            for key, kind in zip(keys, kinds, strict=True)
        ],
        ignore_conflicts=True,
    )
    by_key = OrderNotice.objects.in_bulk(keys, field_name="key")
    return [by_key[key] for key in keys]
