"""Writes whose commit need not wait for the disk (site_config.durability)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outbox.models import OutboxMessage
from site_config.durability import update_without_waiting_for_disk


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_update_is_one_relaxed_statement(
    requires_postgres,
):
    message = OutboxMessage.objects.create(task_name="x")
    pending = OutboxMessage.objects.filter(pk=message.pk, published_at=None)
    now = timezone.now()
    with CaptureQueriesContext(connection) as ctx:
        assert update_without_waiting_for_disk(pending, published_at=now) == 1
    (statement,) = [query["sql"] for query in ctx.captured_queries]
    assert "set_config('synchronous_commit', 'off', true)" in statement
    assert OutboxMessage.objects.get(pk=message.pk).published_at == now
    assert update_without_waiting_for_disk(pending, published_at=now) == 0
    # The setting was the statement's own: the next one commits as usual.
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db
def test_inside_a_transaction_it_is_an_ordinary_update():
    message = OutboxMessage.objects.create(task_name="x")
    pending = OutboxMessage.objects.filter(pk=message.pk, published_at=None)
    assert update_without_waiting_for_disk(pending, attempts=3) == 1
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 3
