"""Many rows into one table at once, inside the caller's transaction.

Values go straight into tuples in the table's column order, each converted by its column
type's own bind processor (memoized where equal values convert equally); SQLite gets
multi-row INSERTs, PostgreSQL COPY.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any, Final, TypeVar

from sqlalchemy import Boolean, Connection, Date, DateTime, Table, func, insert, select, text
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault
from sqlalchemy.types import JSON

from storage.types import Money, UtcDateTime

Convert = Callable[[Any], Any]
_K = TypeVar("_K")
_V = TypeVar("_V")

# Column types whose bind processor gives equal results for equal values: their results are
# memoized (a file repeats a few hundred amounts and dates thousands of times).
_PURE_TYPES: Final = (Money, UtcDateTime, Date, DateTime, Boolean)
MEMO_SIZE: Final = 4096
_SQLITE_ROWS: Final = 1024  # rows per multi-row INSERT at most: more saves nothing
_SQLITE_STEP: Final = 64  # multi-row INSERT sizes (see BulkInsert._insert_sqlite)
_SQLITE_VARIABLES: Final = sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
# Callable column defaults a bulk insert may compute once for all its rows.
_CONSTANT_FACTORIES: Final = (list, dict)


def column_names(table: Table) -> tuple[str, ...]:
    """The table's columns in the order its definition (storage/models.py) gives them."""
    return tuple(column.name for column in table.columns)


class BulkInsert:
    """INSERT of many rows of `table` without SQLAlchemy's per-row work: COPY on PostgreSQL,
    multi-row INSERTs on SQLite (see `_insert_sqlite`), the two backends the bot runs on.

    A row is built by column name (`row`) as a tuple of the values of `columns`, each as the
    driver is to receive it: the caller converts the values of the `converted` columns with
    `convert(name)`, the column type's bind processor (the one SQLAlchemy itself applies, so
    rows are stored exactly as an ORM insert would store them), and gives the `json_text`
    columns as the text `json.dumps` makes of their value. The columns left out that have a
    default get it, as with an ORM insert; the others are left NULL.
    """

    def __init__(
        self,
        table: Table,
        columns: Collection[str],
        connection: Connection,
        *,
        converted: Collection[str] = (),
        json_text: Collection[str] = (),
    ) -> None:
        self._dialect = dialect = connection.dialect
        if dialect.name not in ("sqlite", "postgresql"):
            raise ValueError(f"bulk insert: {dialect.name} is neither SQLite nor PostgreSQL")
        unknown = set(columns) - set(table.c.keys())
        if unknown:
            raise ValueError(f"bulk insert into {table.name}: no column {sorted(unknown)}")
        if len(columns) < 2:
            raise ValueError(f"bulk insert into {table.name}: one column is not worth it")
        self.table = table.name
        self._table = table
        self._converters: dict[str, Convert] = {}
        for name in columns:
            self._add_converter(table, name, name in converted, name in json_text)
        # The columns left out that have a default get it (made once: the same for all rows).
        self._defaults = {
            column.name: self._default(table, column.name)
            for column in table.columns
            if column.name not in columns and column.default is not None
        }
        # In the table's order, as SQLAlchemy compiles its INSERT.
        self.columns = tuple(
            name for name in column_names(table) if name in columns or name in self._defaults
        )
        self._named = itemgetter(*self.columns)
        self._one_row: str | None = None  # SQLAlchemy's INSERT of one row (SQLite)
        self._multi_row: dict[int, str] = {}

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        """The row `execute` takes, from `values` by column name: one for each column given
        to the constructor (a name missing raises KeyError; others are not read). The
        defaults of the columns left out are added to `values`."""
        for name, default in self._defaults.items():
            values.setdefault(name, default)
        row: tuple[Any, ...] = self._named(values)
        return row

    def convert(self, name: str) -> Convert:
        """How a value of column `name` goes to the driver (unchanged when it needs nothing)."""
        return self._converters.get(name, _same)

    def _add_converter(self, table: Table, name: str, converted: bool, json_text: bool) -> None:
        column = table.c[name]
        process = column.type.dialect_impl(self._dialect).bind_processor(self._dialect)
        if json_text:
            if not isinstance(column.type, JSON):
                raise ValueError(f"bulk insert into {table.name}: {name} is not JSON")
            if process is not None and self._dialect._json_serializer is not None:
                # Another serializer than json.dumps: let it write the value itself.
                self._converters[name] = _from_json_text(process)
        elif process is not None:
            if not converted:
                raise ValueError(f"bulk insert into {table.name}: {name} needs converting")
            pure = isinstance(column.type, _PURE_TYPES)
            self._converters[name] = _memoized(process) if pure else process

    def _default(self, table: Table, name: str) -> Any:
        """The converted default of column `name`: the same for every row, so made once."""
        column = table.c[name]
        default = column.default
        factory = (
            getattr(default, "arg", None) if isinstance(default, CallableColumnDefault) else None
        )
        factory = getattr(factory, "__wrapped__", None)  # the no-argument callable it wraps
        if isinstance(default, ScalarElementColumnDefault):
            value = default.arg
        elif factory in _CONSTANT_FACTORIES:
            value = factory()
        else:
            raise ValueError(f"bulk insert into {table.name}: no value for {name}")
        process = column.type.dialect_impl(self._dialect).bind_processor(self._dialect)
        return value if process is None else process(value)

    def execute(
        self, connection: Connection, rows: Sequence[tuple[Any, ...]], *, awaited: bool = False
    ) -> None:
        """Insert rows (made by `row`), in order.

        `awaited`: the caller waits for this insert doing nothing else (see `_insert_sqlite`).
        """
        if not rows:
            return
        if connection.dialect.name == "postgresql":
            # COPY: one stream instead of one statement per row.
            from psycopg import sql  # only PostgreSQL's import pays for it

            driver: Any = connection.connection.driver_connection
            copy_from = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
                table=sql.Identifier(self.table),
                columns=sql.SQL(", ").join(sql.Identifier(name) for name in self.columns),
            )
            with driver.cursor() as cursor, cursor.copy(copy_from) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        self._insert_sqlite(connection, rows, awaited=awaited)

    def _insert_sqlite(
        self, connection: Connection, rows: Sequence[tuple[Any, ...]], *, awaited: bool
    ) -> None:
        """Rows in a few multi-row INSERTs, as many rows each as SQLite takes parameters.

        Row for row it costs what executemany costs, but sqlite3 runs a whole statement without
        holding the GIL (executemany takes it back after each row), so another thread can work
        meanwhile (see ImportWriter), and each statement takes the GIL back once. The sizes are
        multiples of 64 but for the last rows: sqlite3 keeps each statement it ran prepared, and
        one of hundreds of rows is large, so they must not come in hundreds of sizes.

        Preparing a statement costs in proportion to its rows (about 7 ms for 1,024 claims) and
        running a prepared one far less. When the caller is `awaited` (the last batch of an
        import), rows short of a full statement go 64 at a time: one small statement prepared
        once, rather than a large one of a new size prepared while the caller waits. Otherwise
        fewer statements are better: each one takes the GIL back from the busy caller.
        """
        driver: Any = connection.connection.driver_connection
        most = max(1, min(_SQLITE_ROWS, driver.getlimit(_SQLITE_VARIABLES) // len(self.columns)))
        start = 0
        while start < len(rows):
            left = len(rows) - start
            if left >= most:
                size = most
            elif awaited or left < _SQLITE_STEP:
                size = min(left, _SQLITE_STEP)
            else:
                size = left - left % _SQLITE_STEP
            chunk = rows[start : start + size]
            connection.exec_driver_sql(self._multi_row_sql(size), tuple(chain(*chunk)))
            start += size

    def _multi_row_sql(self, rows: int) -> str:
        """The INSERT of `rows` rows: the one SQLAlchemy compiles for one row (names quoted
        by the dialect, sqlite3's `?` placeholders), its VALUES group repeated."""
        sql = self._multi_row.get(rows)
        if sql is None:
            one = self._one_row
            if one is None:
                statement = insert(self._table).compile(
                    dialect=self._dialect, column_keys=list(self.columns)
                )
                if tuple(statement.positiontup or ()) != self.columns:
                    raise ValueError(f"bulk insert into {self.table}: columns out of order")
                one = self._one_row = statement.string
            values = one[one.rindex(" VALUES ") + len(" VALUES ") :]
            sql = self._multi_row[rows] = ", ".join([one, *[values] * (rows - 1)])
        return sql


def _same(value: Any) -> Any:
    return value


def _memoized(process: Convert) -> Convert:
    """`process` remembering its last few thousand answers (for pure conversions of hashable
    values): a hit is one dict lookup in C."""
    return Memo(process).__getitem__


class Memo(dict[_K, _V]):
    """Values of a one-argument function, computed on first use; emptied when it fills up."""

    def __init__(self, function: Callable[[_K], _V]) -> None:
        super().__init__()
        self._function = function

    def __missing__(self, key: _K) -> _V:
        if len(self) >= MEMO_SIZE:
            self.clear()
        value = self[key] = self._function(key)
        return value


def _from_json_text(process: Convert) -> Convert:
    def convert(value: str) -> Any:
        return process(json.loads(value))

    return convert


def table_of(model: Any) -> Table:
    """The Core table of an ORM model (the import writes through Core only)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def insert_one(connection: Connection, table: Table, **values: Any) -> int:
    """Insert one row (defaults and conversions as with any Core insert); its new id."""
    key = connection.execute(insert(table).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def allocate_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """`count` new primary keys for `table`, ascending: the ids the database would give.

    PostgreSQL draws them from the column's sequence. SQLite gives max(id) + 1; the caller's
    transaction must already hold SQLite's write lock (have written something), so no other
    connection can insert into `table` before the transaction ends.
    """
    if count <= 0:
        return []
    if connection.dialect.name == "postgresql":
        drawn = connection.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": table.name, "n": count},
        ).scalars()
        return sorted(drawn)
    last = connection.execute(select(func.max(table.c.id))).scalar()
    start = (last or 0) + 1
    return list(range(start, start + count))
