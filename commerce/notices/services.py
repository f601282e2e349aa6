"""Record a notice with the change that causes it; the outbox sends it after commit."""

from __future__ import annotations

from django.conf import settings

from commerce.models import NoticeKind, Order, OrderNotice
from outbox.services import enqueue

from .tasks import order_notice_send_task


def order_notice_record(
    *, order: Order, kind: str, event: str = "", data: dict | None = None
) -> OrderNotice | None:
    """Record one notice and enqueue its sending; None if this event already has one.

    Call inside the transaction that changes the order, so the notice exists if and
    only if the change does. ``event`` tells apart several notices of one kind on
    one order (Dodo's refund id, the dispute's state).
    """
    key = _key(order, kind, event)
    notice, created = OrderNotice.objects.get_or_create(
        key=key, defaults={"order": order, "kind": kind, "data": data or {}}
    )
    if not created:
        return None
    enqueue(order_notice_send_task, notice.pk)
    return notice


def _key(order: Order, kind: str, event: str = "") -> str:
    return f"{kind}:{order.pk}:{event}"[:160]


def order_paid_notices_record(*, order: Order) -> None:
    """The buyer's receipt and the seller's new-sale notice (Telegram if set up).

    Two statements whatever the number of notices (the webhook's hot path): insert
    them, one outbox message for them. No lookup of existing ones: the caller is
    ``order_mark_paid`` at the order's one transition to paid (a paid order never
    becomes unpaid), under the order's row lock; should that ever not hold, the
    unique key refuses the second set and the payment's transaction with it.
    """
    kinds = [NoticeKind.RECEIPT, NoticeKind.SALE_EMAIL]
    if settings.TELEGRAM_BOT_TOKEN:
        kinds.append(NoticeKind.SALE_TELEGRAM)
    notices = OrderNotice.objects.bulk_create(
        [
            OrderNotice(key=_key(order, kind), order=order, kind=kind, data={})
            for kind in kinds
        ]
    )
    enqueue(order_notice_send_task, *(notice.pk for notice in notices))
