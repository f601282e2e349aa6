"""Writes for sign-ups: ask for a confirmation, confirm."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from accounts.models import normalize_email_address
from outbox.services import enqueue

from .models import Subscriber
from .tasks import subscription_confirmation_send_task

# A second sign-up with the same address within this time sends nothing new: the
# first link still works, and a form can't be used to flood someone's inbox.
CONFIRMATION_RESEND_INTERVAL = timedelta(minutes=10)


@transaction.atomic
def subscription_request(*, email: str, topic: str, source_page: Page | None) -> None:
    """Record a sign-up and queue its confirmation e-mail (double opt-in).

    The caller answers the same whatever happens here (new address, waiting one,
    already confirmed), so the form never tells who is on a list.
    """
    subscriber, _created = Subscriber.objects.get_or_create(
        email=normalize_email_address(email),
        topic=topic,
        defaults={"source_page": source_page},
    )
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.is_confirmed:
        return
    now = timezone.now()
    sent_at = subscriber.confirmation_sent_at
    if sent_at is not None and now - sent_at < CONFIRMATION_RESEND_INTERVAL:
        return
    subscriber.confirmation_sent_at = now
    subscriber.save(update_fields=["confirmation_sent_at"])
    enqueue(subscription_confirmation_send_task, subscriber.pk)


@transaction.atomic
def subscription_confirm(*, subscriber: Subscriber) -> Subscriber:
    """Mark the address confirmed; every confirmation link for it dies with this."""
    subscriber.status = Subscriber.Status.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.save(update_fields=["status", "confirmed_at"])
    return subscriber
