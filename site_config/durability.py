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

from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import QuerySet, sql

from .compiled import (
    Slots,
    check_arguments,
    filled,
    parameter_slots,
    stand_ins_for,
)


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
    statement = _one_statement(queryset, values)
    if statement is None:
        with transaction.atomic(using=queryset.db):
            commit_without_waiting_for_disk()
            return queryset.update(**values)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(*statement)
        return cursor.rowcount


def _applies(using: str) -> bool:
    """Whether the one relaxed statement can be used: PostgreSQL, in autocommit."""
    found = connections[using]
    return found.vendor == "postgresql" and not found.in_atomic_block


def _one_statement(queryset: QuerySet, values: dict) -> tuple[str, list] | None:
    """The UPDATE as one statement that commits without waiting, or None where
    it can't be one (another database, inside a transaction, an inherited
    parent's fields among ``values``)."""
    if not _applies(queryset.db):
        return None
    update = queryset.query.chain(sql.UpdateQuery)
    update.add_update_values(values)
    update.clear_select_clause()
    if update.related_updates:
        return None
    statement, params = update.get_compiler(queryset.db).as_sql()
    # UPDATE t SET ... WHERE ...  ->  WITH relaxed AS (...) UPDATE t SET ...
    # FROM relaxed WHERE ...: the CTE is evaluated once, before the commit.
    head, where, tail = statement.partition(" WHERE ")
    # Django's compiled SQL around the CTE; the values stay parameters.
    relaxed = f"{RELAXED_CTE} {head} FROM relaxed{where}{tail}"  # noqa: S608
    return relaxed, list(params)


class CompiledRelaxedUpdate:
    """``update_without_waiting_for_disk`` for a hot path that updates by key, its
    statement compiled once per process and database (site_config.compiled).

    ``build(*args)`` returns the queryset and the values to set; ``types`` names
    each argument's type. Every argument must reach the SQL unchanged: a plain
    value of an exact lookup or a value set. Where the one statement does not
    apply (inside a transaction, on SQLite) it is the ordinary call, built anew.
    """

    def __init__(
        self, build: Callable[..., tuple[QuerySet, dict[str, Any]]], *types: type
    ) -> None:
        self.build = build
        self.types = types
        self._compiled: dict[str, tuple[str, Slots]] = {}

    def __call__(self, *args: Any, using: str = DEFAULT_DB_ALIAS) -> int:
        """The number of rows updated."""
        check_arguments(args, self.types)
        if not _applies(using):
            queryset, values = self.build(*args)
            return update_without_waiting_for_disk(queryset.using(using), **values)
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        statement, slots = compiled
        with connections[using].cursor() as cursor:
            cursor.execute(statement, filled(slots, args))
            return cursor.rowcount

    def _compile(self, using: str) -> tuple[str, Slots]:
        stand_ins = stand_ins_for(self.types)
        queryset, values = self.build(*stand_ins)
        statement = _one_statement(queryset.using(using), values)
        if statement is None:
            raise ValueError("not an update CompiledRelaxedUpdate can keep as one")
        relaxed, params = statement
        return relaxed, parameter_slots(params, stand_ins, relaxed)
