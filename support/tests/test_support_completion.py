"""The seller completes delivered work; the customer reopens by replying within the
window; idle requests are closed by the Beat task. All of it lands in the history."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from support import services
from support.models import SupportRequest, SupportStatus, SupportTransition
from support.tasks import support_close_idle_requests_task

S = SupportStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def in_progress(customer, product, purchase):
    support_request = services.support_request_create(
        customer=customer, product=product, subject="Install help", message="Help."
    )
    SupportRequest.objects.filter(pk=support_request.pk).update(
        status=S.IN_PROGRESS, in_progress_at=timezone.now()
    )
    support_request.refresh_from_db()
    return support_request


def complete(support_request, seller, capture):
    with capture(execute=True):
        services.support_request_transition(
            support_request=support_request, actor=seller, to_status=S.COMPLETED
        )
    support_request.refresh_from_db()
    return support_request


def age(support_request, **delta):
    SupportRequest.objects.filter(pk=support_request.pk).update(
        completed_at=timezone.now() - timedelta(**delta)
        if support_request.completed_at
        else None,
        updated_at=timezone.now() - timedelta(**delta),
    )
    support_request.refresh_from_db()


def test_seller_completes_and_the_customer_is_told_how_to_reopen(
    in_progress, seller, customer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    done = complete(in_progress, seller, django_capture_on_commit_callbacks)
    assert done.status == S.COMPLETED and done.completed_at is not None
    log = SupportTransition.objects.latest("pk")
    assert (log.actor, log.from_status, log.to_status) == (
        seller,
        S.IN_PROGRESS,
        S.COMPLETED,
    )
    (message,) = [m for m in mail.outbox if m.to == [customer.email]]
    assert message.subject == f"Your support request #{done.pk} is completed"
    until = (done.completed_at + timedelta(days=7)).strftime("%-d %B %Y")
    assert "marked your support request" in message.body
    assert f"Reply on the request before {until} and it reopens." in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f"<strong>{until}</strong>" in html


def test_seller_completes_from_the_admin(client, in_progress, seller):
    client.force_login(seller)
    url = f"/admin/support/supportrequest/edit/{in_progress.pk}/"
    assert 'value="COMPLETED"' in client.get(url).content.decode()
    client.post(url, {"action": "transition", "to_status": "COMPLETED"})
    in_progress.refresh_from_db()
    assert in_progress.status == S.COMPLETED


def test_a_reply_within_the_window_reopens(
    client, in_progress, seller, customer, django_capture_on_commit_callbacks
):
    done = complete(in_progress, seller, django_capture_on_commit_callbacks)
    age(done, days=6)
    client.force_login(customer)
    page = client.get(f"/support/{done.pk}/").content.decode()
    assert "Reply before" in page and 'name="body"' in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/support/{done.pk}/messages/", {"body": "Still broken."})
    done.refresh_from_db()
    assert done.status == S.IN_PROGRESS and done.completed_at is None
    log = SupportTransition.objects.latest("pk")
    assert (log.actor, log.from_status, log.to_status, log.note) == (
        customer,
        S.COMPLETED,
        S.IN_PROGRESS,
        "Reopened by the customer's reply",
    )
    assert done.messages.get().body == "Still broken."
    # The seller hears of the reply.
    assert [m.to for m in mail.outbox] == [[seller.email]]
    page = client.get(f"/support/{done.pk}/").content.decode()
    assert "Reopened by the customer&#x27;s reply" in page


def test_after_the_window_a_reply_is_refused(
    in_progress, seller, customer, django_capture_on_commit_callbacks
):
    done = complete(in_progress, seller, django_capture_on_commit_callbacks)
    age(done, days=7, minutes=1)
    with pytest.raises(services.SupportClosed):
        services.support_message_add(
            support_request=done, author=customer, body="Hello?"
        )
    done.refresh_from_db()
    assert done.status == S.COMPLETED
    # The seller cannot reopen it by writing either.
    age(done, days=1)
    with pytest.raises(services.SupportClosed):
        services.support_message_add(support_request=done, author=seller, body="Hi")


def test_idle_requests_are_closed_by_the_beat_task(
    in_progress,
    customer,
    product,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SUPPORT_AUTO_CLOSE_DAYS = 10
    age(in_progress, days=10, minutes=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert support_close_idle_requests_task.apply().result == 1
    in_progress.refresh_from_db()
    assert in_progress.status == S.CANCELLED
    log = SupportTransition.objects.latest("pk")
    assert (log.actor, log.from_status, log.to_status, log.note) == (
        None,
        S.IN_PROGRESS,
        S.CANCELLED,
        "Closed automatically after 10 days without activity",
    )
    (message,) = mail.outbox
    assert message.to == [customer.email]
    assert message.subject == (
        f"Your support request #{in_progress.pk} was closed for inactivity"
    )
    assert "closed automatically after 10 days without activity" in message.body
    # Run again: nothing left to close.
    assert support_close_idle_requests_task.apply().result == 0


def test_recent_activity_keeps_a_request_open(in_progress, customer, settings):
    settings.SUPPORT_AUTO_CLOSE_DAYS = 10
    age(in_progress, days=11)
    services.support_message_add(
        support_request=in_progress, author=customer, body="Any news?"
    )
    assert support_close_idle_requests_task.apply().result == 0
    in_progress.refresh_from_db()
    assert in_progress.status == S.IN_PROGRESS


def test_history_names_the_shop_for_automatic_closes(
    client, in_progress, customer, seller, settings
):
    settings.SUPPORT_AUTO_CLOSE_DAYS = 1
    age(in_progress, days=2)
    support_close_idle_requests_task.apply()
    client.force_login(customer)
    page = client.get(f"/support/{in_progress.pk}/").content.decode()
    assert "by the shop &middot; Closed automatically after 1 days" in page
    client.force_login(seller)
    admin = client.get(f"/admin/support/supportrequest/edit/{in_progress.pk}/")
    assert "the shop (automatic)" in admin.content.decode()


def test_the_beat_schedule_is_created_by_the_migration():
    # Called directly: a transactional test elsewhere may have flushed the row the
    # migration wrote when the test database was built.
    from importlib import import_module

    from django.apps import apps

    migration = import_module("support.migrations.0003_close_idle_beat_schedule")
    PeriodicTask.objects.filter(task="support.close_idle_requests").delete()
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)  # idempotent
    task = PeriodicTask.objects.get(name="Close idle support requests")
    assert task.task == "support.close_idle_requests" and task.enabled
    assert (task.interval.every, task.interval.period) == (1, "hours")
