"""The notification boundary: message texts, Telegram through python-telegram-bot, mail.

Tasks call these with loaded rows; nothing here touches the state of a request.
"""

from __future__ import annotations

import asyncio
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from telegram import Bot
from telegram.error import TimedOut
from telegram.request import HTTPXRequest

from site_config.base_url import absolute_url

from .models import SellerSupportSettings, SupportMessage, SupportRequest

logger = logging.getLogger(__name__)


def seller_admin_url(support_request: SupportRequest) -> str:
    path = reverse("support_supportrequest_modeladmin_edit", args=[support_request.pk])
    return absolute_url(path)


def customer_url(support_request: SupportRequest) -> str:
    path = reverse("support:detail", args=[support_request.pk])
    return absolute_url(path)


def seller_telegram_text(
    support_request: SupportRequest, message: SupportMessage | None = None
) -> str:
    """What the seller reads in Telegram about a new request or a new message."""
    if message is None:
        head = f"New support request #{support_request.pk}"
        body = f"Subject: {support_request.subject}\n\n{support_request.message}"
    else:
        head = f"New message on support request #{support_request.pk}"
        body = f"Subject: {support_request.subject}\n\n{message.body}"
    return (
        f"{head} for {support_request.product.title}\n"
        f"From: {support_request.customer.email}\n"
        f"{body}\n\n"
        f"Open: {seller_admin_url(support_request)}"
    )


def seller_chat_id(support_request: SupportRequest) -> str:
    """The seller's own chat id, else the store's default one."""
    own = (
        SellerSupportSettings.objects.filter(
            seller_id=support_request.product.seller_id
        )
        .values_list("telegram_chat_id", flat=True)
        .first()
    )
    return own or settings.TELEGRAM_CHAT_ID


def telegram_send(*, chat_id: str, text: str) -> bool:
    """Send ``text`` with the configured bot; False (and a log line) when unconfigured.

    Raises ``telegram.error.TelegramError`` subclasses on failure; the task retries
    ``NetworkError`` (timeouts and 5xx answers).
    """
    token = settings.TELEGRAM_BOT_TOKEN
    if not token or not chat_id:
        logger.info(
            "Telegram not configured (token set: %s, chat id set: %s); skipped.",
            bool(token),
            bool(chat_id),
        )
        return False
    kwargs = {}
    if settings.TELEGRAM_API_BASE_URL:
        kwargs["base_url"] = settings.TELEGRAM_API_BASE_URL
    # One deadline for the whole exchange (getMe, sendMessage, shutdown), each
    # HTTP step bounded too; a timeout is ``TimedOut``, a NetworkError the task
    # retries.
    deadline = settings.TELEGRAM_TIMEOUT_SECONDS
    request = HTTPXRequest(
        connect_timeout=deadline,
        read_timeout=deadline,
        write_timeout=deadline,
        pool_timeout=deadline,
    )

    async def _send() -> None:
        async with Bot(token, request=request, **kwargs) as bot:
            await bot.send_message(chat_id=chat_id, text=text)

    try:
        asyncio.run(asyncio.wait_for(_send(), deadline))
    except TimeoutError as err:
        raise TimedOut(f"Telegram did not answer within {deadline:g} s") from err
    return True


def _mail(*, to: str, template: str, context: dict) -> None:
    """Text, and HTML in the shop's look where the template exists."""
    context = {"site_name": settings.WAGTAIL_SITE_NAME, **context}
    subject = render_to_string(f"support/email/{template}_subject.txt", context)
    body = render_to_string(f"support/email/{template}.txt", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to]
    )
    try:
        html = render_to_string(f"support/email/{template}.html", context)
    except TemplateDoesNotExist:
        html = ""
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def seller_email_send(
    support_request: SupportRequest, message: SupportMessage | None = None
) -> None:
    _mail(
        to=support_request.product.seller.email,
        template="seller_new_message" if message else "seller_new_request",
        context={
            "support_request": support_request,
            "message": message,
            "url": seller_admin_url(support_request),
        },
    )


def customer_status_email_send(support_request: SupportRequest, transition) -> None:
    _mail(
        to=support_request.customer.email,
        template="customer_status",
        context={
            "support_request": support_request,
            "transition": transition,
            "url": customer_url(support_request),
        },
    )


def customer_message_email_send(message: SupportMessage) -> None:
    support_request = message.request
    _mail(
        to=support_request.customer.email,
        template="customer_new_message",
        context={
            "support_request": support_request,
            "message": message,
            "url": customer_url(support_request),
        },
    )
