"""Announce a new release once, fan it out in batches, send each e-mail once.

``release_announce`` runs after every publish of a product; the database's unique
(product, version) makes the first publish of a release the only one that
announces it. The fan-out and the batches are tasks recorded in the outbox with
the rows that cause them.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.releases.selectors import release_current
from outbox.services import enqueue

from .models import ProductUpdateOptOut, ReleaseAnnouncement, ReleaseEmail
from .selectors import release_recipient_ids, release_recipient_still_wanted

logger = logging.getLogger(__name__)


@transaction.atomic
def release_announce(*, product_id: int) -> ReleaseAnnouncement | None:
    """Announce the product's current release unless it was announced before."""
    from .tasks import release_announcement_fan_out_task

    current = release_current(product_id=product_id)
    if current is None:
        return None
    announcement, created = ReleaseAnnouncement.objects.get_or_create(
        product_id=product_id,
        version=current.version,
        defaults={"release": current, "notify": current.notify_buyers},
    )
    if created and announcement.notify:
        enqueue(release_announcement_fan_out_task, announcement.pk)
    return announcement


@transaction.atomic
def release_announcement_fan_out(*, announcement_id: int) -> int:
    """One e-mail row per recipient (unique), then send tasks in batches.

    A redelivered fan-out adds nobody twice and only re-queues unsent rows.
    """
    from .tasks import release_email_batch_send_task

    announcement = ReleaseAnnouncement.objects.filter(pk=announcement_id).first()
    if announcement is None or not announcement.notify:
        return 0
    user_ids = release_recipient_ids(product_id=announcement.product_id)
    ReleaseEmail.objects.bulk_create(
        [ReleaseEmail(announcement=announcement, user_id=pk) for pk in user_ids],
        ignore_conflicts=True,
        batch_size=500,
    )
    emails = ReleaseEmail.objects.filter(announcement=announcement)
    ReleaseAnnouncement.objects.filter(pk=announcement.pk).update(
        recipients=emails.count()
    )
    pending = list(
        emails.filter(sent_at__isnull=True, skipped="").values_list("pk", flat=True)
    )
    size = settings.RELEASE_EMAIL_BATCH_SIZE
    for start in range(0, len(pending), size):
        enqueue(release_email_batch_send_task, pending[start : start + size])
    return len(pending)


def release_email_send(*, email_id: int) -> bool:
    """Send one buyer's e-mail unless sent already or no longer wanted.

    The row is claimed with a conditional UPDATE before sending, so two workers
    holding the same batch send it once; a failed send releases the claim.
    """
    from .emails import release_email_deliver

    email = (
        ReleaseEmail.objects.select_related(
            "user", "announcement__product", "announcement__release"
        )
        .filter(pk=email_id, sent_at__isnull=True, skipped="")
        .first()
    )
    if email is None:
        return False
    product_id = email.announcement.product_id
    if not release_recipient_still_wanted(user=email.user, product_id=product_id):
        ReleaseEmail.objects.filter(pk=email.pk).update(skipped="no longer wanted")
        return False
    claimed = ReleaseEmail.objects.filter(pk=email.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        release_email_deliver(email)
    except Exception:
        ReleaseEmail.objects.filter(pk=email.pk).update(sent_at=None)
        raise
    return True


def product_updates_unsubscribe(*, user_id: int, product_id: int) -> bool:
    """Stop update e-mails about one product for one buyer (idempotent)."""
    from catalog.models import ProductPage

    if not ProductPage.objects.filter(pk=product_id).exists():
        return False
    ProductUpdateOptOut.objects.get_or_create(user_id=user_id, product_id=product_id)
    return True
