"""A message the broker lost after it was published is published again, once.

kombu's Redis transport takes a message with BRPOP and records it as unacknowledged
in a second command; a worker killed between the two drops it. Here a consumer
takes the message the way BRPOP does (RPOP on the queue, nothing recorded) and is
gone: only the outbox's relay can bring it back. A real Redis, kombu and a real
worker throughout.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import redis
from django.core import mail
from django.db import transaction

from accounts.tasks import verification_email_send_task
from accounts.tests.factories import UserFactory
from outbox import services
from outbox.models import OutboxMessage
from site_config.tests.faults import wait_for

pytestmark = [pytest.mark.chaos, pytest.mark.django_db(transaction=True)]

NOW = timedelta(0)


def _verification_for(user) -> OutboxMessage:
    with transaction.atomic():
        message = services.enqueue(verification_email_send_task, user.pk)
    message.refresh_from_db()
    assert message.published_at is not None, "published when the change committed"
    return message


def _take(url: str, message: OutboxMessage) -> None:
    """What BRPOP does for a worker: the message leaves its queue (and the worker,
    killed before recording it as unacknowledged, never runs it)."""
    broker = redis.Redis.from_url(url)
    try:
        for raw in broker.lrange("notifications", 0, -1):
            if json.loads(raw)["headers"]["id"] == str(message.pk):
                assert broker.lrem("notifications", 1, raw) == 1
                return
        raise AssertionError(f"{message.pk} is not in its queue")
    finally:
        broker.close()


def _ids_waiting(url: str) -> list[str]:
    broker = redis.Redis.from_url(url)
    try:
        raws = broker.lrange("notifications", 0, -1)
    finally:
        broker.close()
    return [json.loads(raw)["headers"]["id"] for raw in raws]


def _to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def test_a_message_taken_by_a_worker_that_died_is_published_again_and_sent_once(
    chaos_celery,
):
    user = UserFactory()
    message = _verification_for(user)
    _take(chaos_celery.url, message)
    assert str(message.pk) not in _ids_waiting(chaos_celery.url)
    first_published = message.published_at

    assert services.redeliver() == 0, "a message published just now is left alone"
    assert services.redeliver(min_age=NOW) == 1
    assert _ids_waiting(chaos_celery.url).count(str(message.pk)) == 1
    message.refresh_from_db()
    assert message.published_at > first_published and message.done_at is None

    with chaos_celery.worker():
        assert wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).done_at)
    assert len(_to(user)) == 1
    assert "/account/verify/" in _to(user)[0].body
    # Done: never published again, though the broker no longer holds it.
    assert services.redeliver(min_age=NOW) == 0
    assert str(message.pk) not in _ids_waiting(chaos_celery.url)


def test_the_relay_publishes_again_what_was_lost_and_the_worker_marks_it_done(
    chaos_celery,
):
    user = UserFactory()
    message = _verification_for(user)
    _take(chaos_celery.url, message)
    OutboxMessage.objects.filter(pk=message.pk).update(
        published_at=message.published_at
        - services.REDELIVER_MIN_AGE
        - timedelta(seconds=1)
    )
    counts = services.relay()
    assert counts == {"published": 0, "redelivered": 1, "pending": 0}
    with chaos_celery.worker():
        assert wait_for(lambda: _to(user))
        assert wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).done_at)
    assert len(_to(user)) == 1


def test_messages_lost_with_a_redis_restarted_without_its_data_are_sent_once(
    chaos_celery,
):
    users = [UserFactory(), UserFactory()]
    messages = [_verification_for(user) for user in users]
    chaos_celery.redis.stop()  # no AOF, no snapshot: every queued message is gone
    chaos_celery.redis.start()
    assert _ids_waiting(chaos_celery.url) == []

    # Every message published and not done was lost (the users' Dodo syncs too).
    in_flight = OutboxMessage.objects.filter(done_at=None)
    assert {m.pk for m in messages} <= set(in_flight.values_list("pk", flat=True))
    assert services.redeliver(min_age=NOW) == in_flight.count()
    assert set(_ids_waiting(chaos_celery.url)) == {str(m.pk) for m in messages}
    with chaos_celery.worker():
        assert wait_for(
            lambda: (
                not OutboxMessage.objects.filter(
                    pk__in=[m.pk for m in messages], done_at=None
                ).exists()
            )
        )
    assert [len(_to(user)) for user in users] == [1, 1]


def test_messages_waiting_or_delivered_and_not_acked_are_left_alone(chaos_celery):
    waiting = _verification_for(UserFactory())
    delivered = _verification_for(UserFactory())
    with chaos_celery.app.connection_for_read() as connection:
        channel = connection.default_channel
        # A worker takes one as kombu does: popped and recorded as unacknowledged.
        taken = channel.basic_get("notifications", no_ack=False)
        assert taken.headers["id"] in {str(waiting.pk), str(delivered.pk)}
        assert services.redeliver(min_age=NOW) == 0
        assert len(_ids_waiting(chaos_celery.url)) == 1
        held = channel.held_task_ids(["notifications"], limit=100)
    assert {str(waiting.pk), str(delivered.pk)} <= held
    assert not OutboxMessage.objects.filter(attempts__gt=1).exists()


def test_with_a_backlog_the_broker_is_not_read_and_nothing_is_published_again(
    chaos_celery, monkeypatch
):
    lost = _verification_for(UserFactory())
    _take(chaos_celery.url, lost)
    _verification_for(UserFactory())
    _verification_for(UserFactory())
    waiting = len(_ids_waiting(chaos_celery.url))
    monkeypatch.setattr(services, "BROKER_SCAN_LIMIT", waiting - 1)
    assert services.redeliver(min_age=NOW) == 0
    assert len(_ids_waiting(chaos_celery.url)) == waiting
    monkeypatch.undo()
    assert services.redeliver(min_age=NOW) == 1
    lost.refresh_from_db()
    assert lost.attempts == 2


@pytest.mark.parametrize(
    ("state", "done"),
    [
        ("SUCCESS", True),
        ("FAILURE", True),  # failed for good: running it again would not help
        ("IGNORED", True),
        ("RETRY", False),  # a retry is on its way: still followed
        # Put back in its queue, or dropped because the broker refused its retry.
        ("REJECTED", False),
    ],
)
def test_only_a_final_state_marks_the_message_done(state, done):
    message = OutboxMessage.objects.create(task_name=verification_email_send_task.name)
    services.task_finished(
        task_id=str(message.pk), task=verification_email_send_task, state=state
    )
    message.refresh_from_db()
    assert (message.done_at is not None) is done


def test_a_task_that_is_not_the_outboxs_is_ignored():
    services.task_finished(
        task_id="celery-beat-task", task=verification_email_send_task, state="SUCCESS"
    )
    assert not OutboxMessage.objects.exists()
