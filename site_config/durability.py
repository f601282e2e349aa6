"""Commits that need not wait for the disk, where losing them in a crash is harmless.

PostgreSQL flushes the write-ahead log to disk at every commit (``synchronous_commit
= on``): on this project's hosts that is 4–5 ms, more than everything else a webhook
does. ``SET LOCAL synchronous_commit TO OFF`` lets one transaction commit without
waiting; the database stays consistent whatever happens, and a crash can only lose
the last fraction of a second of such commits. The write-ahead log is sequential, so
the next ordinary commit on the server flushes them too.

Use it only where a lost commit is redone by design: the outbox's "published" mark
(a lost mark makes the relay publish the message again, and tasks are idempotent,
outbox.reliable).

Never for a change of money or access.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import QuerySet, sql


def commit_without_waiting_for_disk() -> None:
    """Inside ``transaction.atomic()``: this transaction's commit won't wait for the
    disk (PostgreSQL; other databases keep their own behaviour)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


RELAXED_CTE = "WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))"


def update_without_waiting_for_disk(queryset: QuerySet, **values) -> int:
    """``queryset.update(**values)`` in a transaction whose commit won't wait for
    the disk; the number of rows updated.

    On PostgreSQL outside a transaction that is one statement: the setting is made
    by a ``set_config(..., is_local => true)`` joined into the UPDATE, which then
    commits on its own, rather than BEGIN, SET LOCAL, UPDATE and COMMIT.
    """
    update = queryset.query.chain(sql.UpdateQuery)
    update.add_update_values(values)
    update.clear_select_clause()
    single = not update.related_updates  # no inherited parent's fields among values
    if connection.vendor != "postgresql" or connection.in_atomic_block or not single:
        with transaction.atomic():
            commit_without_waiting_for_disk()
            return queryset.update(**values)
    statement, params = update.get_compiler(queryset.db).as_sql()
    # UPDATE t SET ... WHERE ...  ->  WITH relaxed AS (...) UPDATE t SET ...
    # FROM relaxed WHERE ...: the CTE is evaluated once, before the commit.
    head, where, tail = statement.partition(" WHERE ")
    # Django's compiled SQL around the CTE; the values stay parameters.
    relaxed = f"{RELAXED_CTE} {head} FROM relaxed{where}{tail}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(relaxed, params)
        return cursor.rowcount
