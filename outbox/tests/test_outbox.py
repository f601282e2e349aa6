"""The transactional outbox: rows with the change, publish on commit, the relay."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.tasks import verification_email_send_task
from accounts.tests.factories import UserFactory
from outbox import services
from outbox.models import EffectDelivery, OutboxMessage
from site_config.celery import app

pytestmark = pytest.mark.django_db

EMAIL = "accounts.verification_email_send"


def test_a_rolled_back_change_leaves_no_message_and_sends_nothing(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.enqueue(verification_email_send_task, user.pk)
            raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.filter(task_name=EMAIL).exists()
    assert mail.outbox == []


def test_committed_message_is_published_once_and_marked(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        message = services.enqueue(verification_email_send_task, user.pk)
    message.refresh_from_db()
    assert message.published_at is not None and message.attempts == 1
    # Run inline (no broker): done as soon as published, nothing to follow.
    assert message.done_at == message.published_at
    assert len(mail.outbox) == 1
    # The row id is the task id: the effect is recorded under it.
    assert EffectDelivery.objects.filter(key=str(message.pk)).exists()
    # Published again (the relay racing the commit hook): no second mail.
    services.publish(message)
    assert len(mail.outbox) == 1


def _pending(age: timedelta, user) -> OutboxMessage:
    OutboxMessage.objects.exclude(task_name=EMAIL).delete()  # the customer sync
    return OutboxMessage.objects.create(
        task_name=EMAIL,
        args=[user.pk],
        created_at=timezone.now() - age,
    )


def test_relay_publishes_old_pending_messages_and_leaves_young_ones():
    user = UserFactory()
    old = _pending(timedelta(minutes=5), user)
    young = _pending(timedelta(seconds=1), user)
    counts = services.relay()
    assert counts == {"published": 1, "redelivered": 0, "pending": 1}
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.published_at and not young.published_at
    assert len(mail.outbox) == 1


class BrokerDown(Exception):
    pass


def test_relay_stops_at_the_first_broker_failure_and_counts_it(monkeypatch):
    user = UserFactory()
    first = _pending(timedelta(minutes=5), user)
    _pending(timedelta(minutes=4), user)
    monkeypatch.setitem(app.conf, "task_always_eager", False)

    def refuse(*args, **kwargs):
        raise BrokerDown("Connection refused")

    monkeypatch.setattr(app, "send_task", refuse)
    assert services.relay() == {"published": 0, "redelivered": 0, "pending": 2}
    first.refresh_from_db()
    assert first.attempts == 1 and "Connection refused" in first.last_error


def test_relay_command_reports_and_fails_while_messages_stay_pending(monkeypatch):
    user = UserFactory()
    _pending(timedelta(seconds=0), user)
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(
        app, "send_task", lambda *a, **k: (_ for _ in ()).throw(BrokerDown("down"))
    )
    with pytest.raises(SystemExit):
        call_command("outbox_relay")
    monkeypatch.undo()
    call_command("outbox_relay")
    assert not OutboxMessage.objects.filter(published_at=None).exists()
    assert len(mail.outbox) == 1


def test_purge_forgets_old_published_rows_and_effects():
    now = timezone.now()
    OutboxMessage.objects.create(task_name="x", published_at=now - timedelta(days=8))
    kept = OutboxMessage.objects.create(task_name="x", published_at=now)
    pending = OutboxMessage.objects.create(
        task_name="x", created_at=now - timedelta(days=60)
    )
    EffectDelivery.objects.create(key="old", task_name="x")
    EffectDelivery.objects.filter(key="old").update(
        delivered_at=now - timedelta(days=31)
    )
    assert services.purge() == 2
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {
        kept.pk,
        pending.pk,
    }
    assert not EffectDelivery.objects.exists()


def test_beat_runs_the_relay_every_minute():
    # A transactional test elsewhere may have flushed the kept test database:
    # start from no row and run the migration's own function.
    PeriodicTask.objects.filter(task="outbox.relay").delete()
    importlib.import_module(
        "outbox.migrations.0003_relay_beat_schedule"
    ).create_schedule(apps, None)
    task = PeriodicTask.objects.get(task="outbox.relay")
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (1, "minutes")
    app.loader.import_default_modules()
    assert "outbox.relay" in app.tasks
