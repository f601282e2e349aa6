"""Writes whose commit need not wait for the disk (site_config.durability)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from psycopg import ClientCursor

from outbox.models import OutboxMessage
from site_config.durability import (
    CompiledRelaxedUpdate,
    _one_statement,
    update_without_waiting_for_disk,
)


def _assert_the_setting_was_the_statements_own() -> None:
    """The next statement commits as usual, waiting for the disk."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


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
    _assert_the_setting_was_the_statements_own()


@pytest.mark.django_db
def test_inside_a_transaction_it_is_an_ordinary_update():
    message = OutboxMessage.objects.create(task_name="x")
    pending = OutboxMessage.objects.filter(pk=message.pk, published_at=None)
    assert update_without_waiting_for_disk(pending, attempts=3) == 1
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 3


def _mark():
    from outbox.services import _MARK_PUBLISHED

    return _MARK_PUBLISHED


@pytest.mark.django_db(transaction=True)
def test_the_compiled_mark_is_the_relaxed_statement_with_each_calls_values(
    requires_postgres,
):
    first, second = (OutboxMessage.objects.create(task_name="x") for _ in range(2))
    earlier, now = timezone.now() - timedelta(minutes=1), timezone.now()
    assert _mark()(first.pk, earlier, 1) == 1  # compiled by now, with these values
    with CaptureQueriesContext(connection) as ctx:
        assert _mark()(second.pk, now, 4) == 1
    (statement,) = [query["sql"] for query in ctx.captured_queries]
    # The statement Django compiles for the same update, with the same values.
    expected = _one_statement(
        OutboxMessage.objects.filter(pk=second.pk, published_at=None),
        {"published_at": now, "attempts": 4},
    )
    assert statement == ClientCursor(connection.connection).mogrify(*expected)
    assert "set_config('synchronous_commit', 'off', true)" in statement
    rows = OutboxMessage.objects.in_bulk([first.pk, second.pk])
    assert (rows[first.pk].published_at, rows[first.pk].attempts) == (earlier, 1)
    assert (rows[second.pk].published_at, rows[second.pk].attempts) == (now, 4)
    # Published already: nothing left to mark.
    assert _mark()(second.pk, timezone.now(), 5) == 0
    assert OutboxMessage.objects.get(pk=second.pk).attempts == 4
    _assert_the_setting_was_the_statements_own()


@pytest.mark.django_db
def test_inside_a_transaction_or_on_sqlite_the_mark_is_the_ordinary_update():
    message = OutboxMessage.objects.create(task_name="x")
    now = timezone.now()
    with CaptureQueriesContext(connection) as ctx:
        assert _mark()(message.pk, now, 1) == 1
    assert all("set_config" not in query["sql"] for query in ctx.captured_queries)
    message.refresh_from_db()
    assert (message.published_at, message.attempts) == (now, 1)
    assert _mark()(message.pk, now, 2) == 0
    with pytest.raises(TypeError, match="expected arguments of types"):
        _mark()(str(message.pk), now, 1)  # Django would convert it; SQL can't


@pytest.mark.django_db(transaction=True)
def test_an_update_that_cant_be_one_statement_is_refused_at_compile(
    requires_postgres,
):
    message = OutboxMessage.objects.create(task_name="x")
    changed = CompiledRelaxedUpdate(
        lambda error: (
            OutboxMessage.objects.filter(last_error__contains=error),
            {"attempts": 1},
        ),
        str,
    )
    with pytest.raises(ValueError, match="do not reach the compiled SQL"):
        changed("boom")
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 0
