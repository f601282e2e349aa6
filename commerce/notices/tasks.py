"""The one sending task: a notice id in, one message out, at most once."""

from __future__ import annotations

from django.utils import timezone

from commerce.models import OrderNotice
from outbox.reliable import reliable_task

from . import messages


@reliable_task(
    name="commerce.order_notice_send",
    effect=True,
    backoff=30,
    backoff_max=30 * 60,
)
def order_notice_send_task(notice_id: int, *more_ids: int) -> bool:
    """Send each notice on its channel; one already sent is not sent again.

    Several ids make one message for the notices of one change (a payment's
    receipt and sale notices: one publish in the webhook's request, not one per
    notice). A failure retries the task; notices sent before it are skipped then.
    Returns whether anything was sent.
    """
    ids = [notice_id, *more_ids]
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
