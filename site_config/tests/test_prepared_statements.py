"""Statements prepared inside ``prepared_statements()`` blocks, and only there."""

import pytest
from django.db import connection
from django.test import override_settings

from outbox.models import OutboxMessage
from site_config.prepared import prepared_statements


def _prepared(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall() if f'"{table}"' in row[0]]


def _task_name(pk) -> str:
    return OutboxMessage.objects.get(pk=pk).task_name


@pytest.mark.django_db
def test_a_statement_run_twice_in_the_block_is_prepared_and_only_there(
    requires_postgres,
):
    first, second = (OutboxMessage.objects.create(task_name=n) for n in "ab")
    assert connection.features.uses_server_side_binding
    # Outside a block: nothing is prepared, however often it runs.
    assert [_task_name(first.pk) for _ in range(3)] == ["a"] * 3
    assert not _prepared("outbox_outboxmessage")
    with prepared_statements():
        assert _task_name(first.pk) == "a"
        assert _task_name(second.pk) == "b"
        (statement,) = _prepared("outbox_outboxmessage")
        # One text for every value ($1, bound by the server): each run its own.
        assert '"outbox_outboxmessage"."id" = $1' in statement
        assert (_task_name(first.pk), _task_name(second.pk)) == ("a", "b")
    assert connection.connection.prepare_threshold is None
    # After the block a query of the same text is planned for its own values.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        before = cursor.fetchone()[0]
    assert _task_name(second.pk) == "b"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == before


@pytest.mark.django_db
@override_settings(DATABASE_PREPARE_THRESHOLD=None)
def test_off_prepares_nothing(requires_postgres):
    message = OutboxMessage.objects.create(task_name="a")
    with prepared_statements():
        assert [_task_name(message.pk) for _ in range(3)] == ["a"] * 3
    assert not _prepared("outbox_outboxmessage")
