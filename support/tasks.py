"""Support notifications: thin tasks that load rows and call ``notifications``.

Each channel is its own task so a Telegram retry never sends the e-mail twice.
"""

from __future__ import annotations

import logging

from celery import shared_task

from outbox.reliable import reliable_task

from . import notifications
from .models import SupportMessage, SupportRequest, SupportTransition

logger = logging.getLogger(__name__)

# Transient errors (SMTP, network, Telegram 5xx, the database) are retried; each
# task sends at most once per task id (outbox.reliable).
RETRY = {"effect": True, "backoff": 10, "backoff_max": 600, "max_retries": 5}


def _request(support_request_id: int) -> SupportRequest:
    return SupportRequest.objects.select_related(
        "customer", "product", "product__seller"
    ).get(pk=support_request_id)


def _message(message_id: int | None) -> SupportMessage | None:
    if message_id is None:
        return None
    return SupportMessage.objects.select_related("author").get(pk=message_id)


@reliable_task(**RETRY)
def support_seller_telegram_task(
    support_request_id: int, message_id: int | None = None
) -> bool:
    """Tell the seller on Telegram about a new request or a customer's message."""
    support_request = _request(support_request_id)
    text = notifications.seller_telegram_text(support_request, _message(message_id))
    return notifications.telegram_send(
        chat_id=notifications.seller_chat_id(support_request), text=text
    )


@reliable_task(**RETRY)
def support_seller_email_task(
    support_request_id: int, message_id: int | None = None
) -> None:
    """E-mail the seller about a new request or a customer's message."""
    notifications.seller_email_send(_request(support_request_id), _message(message_id))


@reliable_task(**RETRY)
def support_status_email_task(transition_id: int) -> None:
    """E-mail the customer that their request changed status."""
    transition = SupportTransition.objects.get(pk=transition_id)
    notifications.customer_status_email_send(
        _request(transition.request_id), transition
    )


@reliable_task(**RETRY)
def support_customer_message_email_task(message_id: int) -> None:
    """E-mail the customer that the seller replied."""
    message = SupportMessage.objects.select_related(
        "request__customer", "request__product"
    ).get(pk=message_id)
    notifications.customer_message_email_send(message)


@shared_task(name="support.close_idle_requests")
def support_close_idle_requests_task() -> int:
    """Beat: close active requests with no activity for SUPPORT_AUTO_CLOSE_DAYS."""
    from .services import support_requests_close_idle

    return support_requests_close_idle()
