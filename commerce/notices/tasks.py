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
def order_notice_send_task(notice_id: int) -> bool:
    """Send the notice on its channel; a notice already sent is not sent again."""
    notice = (
        OrderNotice.objects.select_related("order__user", "order__product__seller")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None or notice.sent_at is not None:
        return False
    sent = messages.notice_send(notice)
    if sent:
        OrderNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
    return sent
