"""The sending tasks: notice ids in (or a paid order's), one message out each, at
most once."""

from __future__ import annotations

from django.utils import timezone

from commerce.models import OrderNotice
from outbox.reliable import reliable_task

from . import messages

# Both tasks send mail and Telegram: the same retries and backoff.
SENDING = {"effect": True, "backoff": 30, "backoff_max": 30 * 60}


@reliable_task(name="commerce.order_notice_send", **SENDING)
def order_notice_send_task(notice_id: int, *more_ids: int) -> bool:
    """Send each notice on its channel; one already sent is not sent again.

    Several ids make one message for the notices of one change. A failure retries
    the task; notices sent before it are skipped then. Returns whether anything
    was sent.
    """
    return notices_send([notice_id, *more_ids])


@reliable_task(name="commerce.order_paid_notices_send", **SENDING)
def order_paid_notices_send_task(order_id: int) -> bool:
    """A payment's receipt and new-sale notices: recorded here, then sent.

    Recorded by this task rather than in the payment's transaction (the webhook's
    hot path): the outbox row that runs it commits with the payment, and the
    notices' unique keys make a retry or a redelivery find the same ones.
    """
    from .services import order_paid_notices_record

    return notices_send([n.pk for n in order_paid_notices_record(order_id=order_id)])


def notices_send(ids: list[int]) -> bool:
    """Send the unsent notices among ``ids``, in that order; whether any went."""
    notices = OrderNotice.objects.select_related(
        "order__user", "order__product__seller"
    ).in_bulk(ids)
    sent_any = False
    for pk in ids:
        notice = notices.get(pk)
        if notice is None or notice.sent_at is not None:
            continue
        if messages.notice_send(notice):
            OrderNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
            sent_any = True
    return sent_any
