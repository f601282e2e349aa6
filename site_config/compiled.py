"""Querysets compiled to SQL once per process, for a hot path that runs them by key.

Django builds and compiles a queryset's SQL anew on every evaluation: for the
lock of one order with two of its product's columns that is ~0.5 ms of CPU on
this project's hosts, more than PostgreSQL takes to run it. ``CompiledQuery``
keeps the queryset as the one definition of the statement and has Django
compile it once per database; later calls run the same SQL with their own
values and make the rows into model instances the way the queryset's own
iteration does (the fields' converters, ``Model.from_db``, ``select_related``'s
populators, annotations as attributes), from what that one compilation found.

How the values find their place: the queryset is built once with a stand-in
for each argument, and every parameter Django compiled is either one of those
stand-ins (filled with the caller's value) or a constant of the query (kept
as compiled). A stand-in that Django changed on the way (``icontains`` wraps
it in ``%``, a field's ``get_prep_value`` converts it) is not found, and the
first run says so instead of running a wrong statement.

The same stand-ins and slots compile an UPDATE once too
(``site_config.durability.CompiledRelaxedUpdate``, the outbox's "published" mark).

Only for querysets whose shape never depends on the values (lookups by key,
``select_for_update``, ``select_related``, ``only``, annotations, slices).
Django's own ``ModelIterable`` is followed here, from the compiler's ``select``,
``klass_info`` and ``annotation_col_map``: the tests compare the order lock's
instances with the queryset's own, field by field, so a Django upgrade that
changes them fails there, not in a payment.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.transaction import TransactionManagementError

# Stand-ins by the argument's type. Within 32-bit range: Django drops an
# integer lookup that its column can't hold before compiling it (a positive or
# small integer column can't hold this one: such a query is refused at compile).
# The caller keeps its values within the column's range: this SQL sends them as
# they are, where Django would answer "no rows" without asking.
STAND_INS: dict[type, Callable[[int], Any]] = {
    int: lambda n: -1_987_654_000 - n,
    str: lambda n: f"\x1ecompiled-query-argument-{n}\x1e",
    # Found where a database takes them as they are (PostgreSQL); a database that
    # converts them (SQLite stores text) finds no stand-in, and is refused.
    uuid.UUID: lambda n: uuid.UUID(int=(0x1E << 120) + n),
    datetime: lambda n: datetime(1901, 2, 3, 4, 5, 6, n, tzinfo=UTC),
}

# Per parameter: (True, (argument's position, the type Django gave it or None))
# or (False, the constant).
Slots = tuple[tuple[bool, Any], ...]


def stand_ins_for(types: Sequence[type]) -> list[Any]:
    """One stand-in per argument, each of its argument's type and unlike the others."""
    return [STAND_INS[kind](n) for n, kind in enumerate(types)]


def check_arguments(args: tuple, types: Sequence[type]) -> None:
    if len(args) != len(types) or not all(
        isinstance(arg, kind) for arg, kind in zip(args, types, strict=False)
    ):
        # Django would convert "5" for an integer column; compiled SQL can't.
        raise TypeError(f"expected arguments of types {tuple(types)}, got {args!r}")


def parameter_slots(params: Sequence[Any], stand_ins: list[Any], sql: str) -> Slots:
    """Where each compiled parameter comes from: an argument or the query itself.

    Every argument must reach the parameters unchanged (see the module's doc),
    or only typed: Django gives PostgreSQL an integer column's value as psycopg's
    ``Int4``/``Int8`` (an ``int`` that names its column's type), and so does this.
    """
    slots, found = [], set()
    for param in params:
        position = next(
            (
                n
                for n, stand_in in enumerate(stand_ins)
                if isinstance(param, type(stand_in)) and param == stand_in
            ),
            None,
        )
        if position is None:
            slots.append((False, param))
        else:
            plain = type(param) is type(stand_ins[position])
            slots.append((True, (position, None if plain else type(param))))
        found.add(position)
    missing = set(range(len(stand_ins))) - found
    if missing:
        raise ValueError(
            f"arguments {sorted(missing)} do not reach the compiled SQL as they "
            f"are: {sql}"
        )
    return tuple(slots)


def filled(slots: Slots, args: tuple) -> list[Any]:
    """The parameters for ``args``: the compiled statement's, stand-ins replaced."""
    params = []
    for is_arg, slot in slots:
        if is_arg:
            position, typed = slot
            params.append(args[position] if typed is None else typed(args[position]))
        else:
            params.append(slot)
    return params


@dataclass(frozen=True)
class _Statement:
    sql: str
    slots: Slots
    locks: bool
    columns: int  # what the rows keep (Django may select more, for ordering)
    # (column, its converters, its expression), as the compiler found them.
    converters: tuple[tuple[int, tuple, Any], ...]
    model: type[Model] | None
    init_list: tuple[str, ...]
    model_columns: slice
    populators: tuple
    annotations: tuple[tuple[str, int], ...]


class CompiledQuery:
    """``build(*args)``'s SQL, compiled once per database and run with new ``args``.

    ``types`` names each argument's type (a key of ``STAND_INS``); ``build``
    must use each argument as a plain value of an exact lookup (``pk=``,
    ``field=``), so that it reaches the SQL unchanged.
    """

    def __init__(self, build: Callable[..., QuerySet], *types: type) -> None:
        self.build = build
        self.types = types
        self._compiled: dict[str, _Statement] = {}

    def instances(self, *args: Any, using: str = DEFAULT_DB_ALIAS) -> list[Model]:
        """The rows as the queryset would give them: model instances."""
        statement, rows = self._run(args, using)
        if statement.model is None:
            raise TypeError("a values() or values_list() query has no instances")
        found = []
        for row in rows:
            instance = statement.model.from_db(
                using, statement.init_list, row[statement.model_columns]
            )
            for populator in statement.populators:
                populator.populate(row, instance)
            for name, column in statement.annotations:
                setattr(instance, name, row[column])
            found.append(instance)
        return found

    def rows(self, *args: Any, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        """The rows as tuples of converted values, in the SELECT's column order."""
        return [tuple(row) for row in self._run(args, using)[1]]

    def _run(self, args: tuple, using: str) -> tuple[_Statement, list[list]]:
        check_arguments(args, self.types)
        connection = connections[using]
        statement = self._compiled.get(using)
        if statement is None:
            statement = self._compiled[using] = self._compile(using)
        _refuse_lock_outside_transaction(statement.locks, connection)
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, filled(statement.slots, args))
            rows = [list(row[: statement.columns]) for row in cursor.fetchall()]
        for row in rows:
            for column, converters, expression in statement.converters:
                value = row[column]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[column] = value
        return statement, rows

    def _compile(self, using: str) -> _Statement:
        stand_ins = stand_ins_for(self.types)
        queryset = self.build(*stand_ins).using(using)
        query = queryset.query
        _refuse_lock_outside_transaction(query.select_for_update, connections[using])
        compiler = query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet as err:
            # Django found the query empty for the stand-ins themselves (an
            # integer below a positive or small integer column's range).
            raise ValueError(
                f"{self.types} stand-ins {stand_ins} make the query empty: "
                "not a query CompiledQuery can keep"
            ) from err
        slots = parameter_slots(params, stand_ins, sql)
        select = compiler.select
        converters = compiler.get_converters(
            [expression for expression, _sql, _alias in select[: compiler.col_count]]
        )
        klass_info = compiler.klass_info if not query.values_select else None
        model, init_list, columns, populators = None, (), slice(0, 0), ()
        if klass_info is not None and queryset._fields is None:
            model = klass_info["model"]
            fields = klass_info["select_fields"]
            columns = slice(fields[0], fields[-1] + 1)
            init_list = tuple(f[0].target.attname for f in select[columns])
            populators = tuple(get_related_populators(klass_info, select, using))
        return _Statement(
            sql=sql,
            slots=slots,
            locks=query.select_for_update,
            columns=compiler.col_count,
            converters=tuple(
                (column, tuple(convs), expression)
                for column, (convs, expression) in converters.items()
            ),
            model=model,
            init_list=init_list,
            model_columns=columns,
            populators=populators,
            annotations=tuple((compiler.annotation_col_map or {}).items()),
        )


def _refuse_lock_outside_transaction(locks: bool, connection) -> None:
    """Where Django's compiler refuses a row lock in autocommit, so does this."""
    if (
        locks
        and connection.features.has_select_for_update
        and connection.get_autocommit()
        and connection.features.supports_transactions
    ):
        raise TransactionManagementError(
            "select_for_update cannot be used outside of a transaction."
        )
