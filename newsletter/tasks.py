"""The confirmation e-mail, sent through the outbox by Celery (``outbox.reliable``)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from outbox.reliable import reliable_task
from site_config.base_url import absolute_url

from .models import Subscriber
from .tokens import CONFIRMATION_LINK_MAX_AGE, confirmation_token_make

logger = logging.getLogger(__name__)


@reliable_task(
    name="newsletter.confirmation_send", effect=True, backoff=30, backoff_max=30 * 60
)
def subscription_confirmation_send_task(subscriber_id: int) -> bool:
    """Send the confirm link to a subscriber still waiting for it."""
    subscriber = Subscriber.objects.filter(
        pk=subscriber_id, status=Subscriber.Status.PENDING
    ).first()
    if subscriber is None:
        logger.info("confirmation e-mail skipped for subscriber %s", subscriber_id)
        return False
    token = confirmation_token_make(subscriber)
    context = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "subscriber": subscriber,
        "confirm_url": absolute_url(reverse("newsletter:confirm", args=[token])),
        "valid_days": CONFIRMATION_LINK_MAX_AGE.days,
    }
    subject = render_to_string("newsletter/email/confirm_subject.txt", context)
    text = render_to_string("newsletter/email/confirm_body.txt", context)
    html = render_to_string("newsletter/email/confirm_body.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()), text, to=[subscriber.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return True
