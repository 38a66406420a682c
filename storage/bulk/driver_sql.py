"""Statements SQLAlchemy writes once and the driver runs: the import's per-batch queries.

SQLAlchemy compiles each statement (names quoted, the driver's placeholders) once per process
and dialect; running it through the driver skips SQLAlchemy's per-execution work, which for a
batch's thousand values cost more than the index search itself. A list of values is one
parameter, so a statement has one shape whatever the batch: a JSON array read by `json_each`
on SQLite, an array on PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, CursorResult, any_, bindparam, func, select
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler


class DriverStatement:
    """A Core statement compiled for one dialect, run with values by parameter name, each as
    the driver takes it (no bind processing: give amounts and dates as their column stores
    them)."""

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        self.sql = compiled.string
        self._order = compiled.positiontup  # the names in order, for a positional paramstyle

    def execute(self, connection: Connection, **values: Any) -> CursorResult[*tuple[Any, ...]]:
        if self._order is None:
            return connection.exec_driver_sql(self.sql, values)
        return connection.exec_driver_sql(self.sql, tuple(values[name] for name in self._order))


def among(column: ColumnElement[Any], name: str, dialect: Dialect) -> ColumnElement[bool]:
    """`column` is one of the list given as parameter `name` (made by `values_of`)."""
    if dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    listed = func.json_each(bindparam(name)).table_valued("value")
    return column.in_(select(listed.c.value))


def values_of(dialect: Dialect) -> Callable[[Sequence[Any]], Any]:
    """How a list goes to `among`'s parameter through the driver."""
    return list if dialect.name == "postgresql" else json.dumps


def compiled_for(
    make: Callable[[Dialect], ClauseElement],
) -> Callable[[Dialect], DriverStatement]:
    """`make`'s statement compiled once per dialect kind (the first call pays for it)."""
    made: dict[tuple[str, str], DriverStatement] = {}

    def statement(dialect: Dialect) -> DriverStatement:
        key = (dialect.name, dialect.paramstyle)
        found = made.get(key)
        if found is None:
            found = made[key] = DriverStatement(make(dialect), dialect)
        return found

    return statement
