"""Turn importer records into database rows: tuples ready for the driver's bulk insert.

A row is built once per claim, so this module trades a little generality for speed: values go
straight into a tuple in the table's column order, each converted by its column type's own
bind processor (`BulkInsert.convert`), and the JSON columns are written as text by small
encoders that give exactly what `json.dumps` gives for the same lists and dicts (the `*_json`
functions; tests hold them to it).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from itertools import chain
from json.encoder import encode_basestring_ascii
from typing import Any, Final, TypeVar

from sqlalchemy import Boolean, Connection, Date, DateTime, Table, insert, text
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault
from sqlalchemy.types import JSON

from bot.domain.findings import Deadline, DenialFinding, DenialReason
from bot.domain.payer_rules import PayerRule
from bot.domain.records import Adjustment, ClaimRecord, Payer, ServiceLine
from storage.types import Money, UtcDateTime

Convert = Callable[[Any], Any]
_K = TypeVar("_K")
_V = TypeVar("_V")

# Column types whose bind processor gives equal results for equal values: their results are
# memoized (a file repeats a few hundred amounts and dates thousands of times).
_PURE_TYPES: Final = (Money, UtcDateTime, Date, DateTime, Boolean)
_MEMO_SIZE: Final = 4096
_SQLITE_ROWS: Final = 1024  # rows per multi-row INSERT at most: more saves nothing
_SQLITE_STEP: Final = 64  # multi-row INSERT sizes (see BulkInsert._insert_sqlite)
_SQLITE_VARIABLES: Final = sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
# Callable column defaults a bulk insert may compute once for all its rows.
_CONSTANT_FACTORIES: Final = (list, dict)


class BulkInsert:
    """INSERT of many rows of `table` without SQLAlchemy's per-row work: COPY on PostgreSQL,
    multi-row INSERTs on SQLite (see `_insert_sqlite`), the two backends the bot runs on.

    A row is a tuple of the values of `columns`, in that order, each as the driver is to
    receive it: the caller converts the values of the `converted` columns with
    `convert(name)`, the column type's bind processor (the one SQLAlchemy itself applies, so
    rows are stored exactly as an ORM insert would store them), and gives the `json_text`
    columns as the text `json.dumps` makes of their value. The columns left out that have a
    default get it, as with an ORM insert; the others are left NULL.
    """

    def __init__(
        self,
        table: Table,
        columns: Sequence[str],
        connection: Connection,
        *,
        converted: Collection[str] = (),
        json_text: Collection[str] = (),
    ) -> None:
        self._dialect = dialect = connection.dialect
        if dialect.name not in ("sqlite", "postgresql"):
            raise ValueError(f"bulk insert: {dialect.name} is neither SQLite nor PostgreSQL")
        self.table = table.name
        self._converters: dict[str, Convert] = {}
        for name in columns:
            self._add_converter(table, name, name in converted, name in json_text)
        left_out = [
            column.name
            for column in table.columns
            if column.name not in columns and column.default is not None
        ]
        self.defaults = tuple(self._default(table, name) for name in left_out)
        self.columns = (*columns, *left_out)
        if len(self.columns) < 2:
            raise ValueError(f"bulk insert into {table.name}: one column is not worth it")
        # Built here rather than compiled by SQLAlchemy: a fresh process (the CLI) pays for
        # each compilation, and this one is plain.
        quoted = ", ".join(f'"{name}"' for name in self.columns)
        self._insert_into = f'INSERT INTO "{table.name}" ({quoted}) VALUES '  # noqa: S608
        self._multi_row: dict[int, str] = {}

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

    def execute(self, connection: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert rows (tuples of the constructor's `columns`), in order."""
        if not rows:
            return
        defaults = self.defaults
        if connection.dialect.name == "postgresql":
            # COPY: one stream instead of one statement per row.
            driver: Any = connection.connection.driver_connection
            columns = ", ".join(f'"{name}"' for name in self.columns)
            with (
                driver.cursor() as cursor,
                cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy,
            ):
                for row in rows:
                    copy.write_row(row + defaults)
            return
        self._insert_sqlite(connection, [row + defaults for row in rows] if defaults else rows)

    def _insert_sqlite(self, connection: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        """Rows in a few multi-row INSERTs, as many rows each as SQLite takes parameters.

        Row for row it costs what executemany costs, but sqlite3 runs a whole statement without
        holding the GIL (executemany takes it back after each row), so another thread can work
        meanwhile (see ImportWriter), and each statement takes the GIL back once. The sizes are
        multiples of 64 but for the last rows: sqlite3 keeps each statement it ran prepared, and
        one of hundreds of rows is large, so they must not come in hundreds of sizes.
        """
        driver: Any = connection.connection.driver_connection
        most = max(1, min(_SQLITE_ROWS, driver.getlimit(_SQLITE_VARIABLES) // len(self.columns)))
        start = 0
        while start < len(rows):
            size = min(most, len(rows) - start)
            if size >= _SQLITE_STEP:
                size -= size % _SQLITE_STEP
            chunk = rows[start : start + size]
            connection.exec_driver_sql(self._multi_row_sql(size), tuple(chain(*chunk)))
            start += size

    def _multi_row_sql(self, rows: int) -> str:
        """The INSERT of `rows` rows, with sqlite3's `?` placeholders."""
        sql = self._multi_row.get(rows)
        if sql is None:
            values = "(" + ", ".join(["?"] * len(self.columns)) + ")"
            sql = self._multi_row[rows] = self._insert_into + ", ".join([values] * rows)
        return sql


def _same(value: Any) -> Any:
    return value


def _memoized(process: Convert) -> Convert:
    """`process` remembering its last few thousand answers (for pure conversions of hashable
    values): a hit is one dict lookup in C."""
    return _Memo(process).__getitem__


class _Memo(dict[_K, _V]):
    """Values of a one-argument function, computed on first use; emptied when it fills up."""

    def __init__(self, function: Callable[[_K], _V]) -> None:
        super().__init__()
        self._function = function

    def __missing__(self, key: _K) -> _V:
        if len(self) >= _MEMO_SIZE:
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
    # Plain SQL: one statement less for SQLAlchemy to compile in a fresh process (the CLI).
    last = connection.exec_driver_sql(f"SELECT max(id) FROM {table.name}").scalar()  # noqa: S608
    start = (last or 0) + 1
    return list(range(start, start + count))


@lru_cache(maxsize=1024)  # a remittance has one payer; every claim on it asks
def payer_key(payer: Payer) -> str:
    """Payer identity for matching a claim's adjudications: the payer id, else its name."""
    if payer.identifier:
        return f"id:{payer.identifier.strip().upper()}"
    return "name:" + " ".join(payer.name.upper().split())


def pattern_key(payer: str, category: str, code: str, provider: str | None) -> str:
    """Repeat pattern: payer + root cause + main reason code + rendering provider."""
    return "|".join((payer, category, code, provider or "-"))


def notice_date(claim: ClaimRecord, imported_on: date) -> date:
    """When the payer adjudicated the claim: earliest remittance date we can trust."""
    info = claim.remittance
    dates = [d for d in (info.production_date, info.payment_date) if d is not None]
    if dates:
        return min(dates)
    return info.file_date or info.report_date or imported_on


# -- rows ---------------------------------------------------------------------------------------

# The table's columns in its order. `id` (and a denial's `claim_id`) come first: they are drawn
# when the batch is written, so a waiting row holds the rest and is written as `(id, *rest)`.
CLAIM_COLUMNS: Final = (
    "id",
    "import_id",
    "remittance_id",
    "payer_key",
    "claim_number",
    "payer_claim_number",
    "status_code",
    "kind",
    "billed",
    "paid",
    "patient_responsibility",
    "service_date",
    "notice_date",
    "rendering_npi",
    "rendering_name",
    "patient_name",
    "member_id",
    "original_reference",
    "adjustments",
    "remarks",
    "lines",
    "is_denied",
    "denied_amount",
    "reversed_by_id",
    "source_line",
)
DENIAL_COLUMNS: Final = (
    "id",
    "claim_id",
    "import_id",
    "post_id",
    "claim_number",
    "payer_claim_number",
    "payer_key",
    "payer_name",
    "provider_npi",
    "provider_name",
    "service_date",
    "denial_date",
    "anchor_source",
    "deadline",
    "deadline_kind",
    "rule_key",
    "cpts",
    "carcs",
    "rarcs",
    "reasons",
    "explanation",
    "billed_amount",
    "paid_amount",
    "denied_amount",
    "recovered_amount",
    "suggested_category",
    "category",
    "category_source",
    "category_set_by",
    "no_appeal_reason",
    "patient_liable",
    "status",
    "closed",
    "assignee",
    "pattern_key",
    "superseded_by_id",
    "version",
    "created_at",
    "updated_at",
    "closed_at",
)
_CONVERTED: Final = frozenset(
    {
        "billed",
        "paid",
        "patient_responsibility",
        "denied_amount",
        "billed_amount",
        "paid_amount",
        "recovered_amount",
        "service_date",
        "notice_date",
        "denial_date",
        "deadline",
        "is_denied",
        "patient_liable",
        "closed",
        "created_at",
        "updated_at",
        "closed_at",
    }
)


def claims_insert(table: Table, connection: Connection) -> BulkInsert:
    json_text = ("adjustments", "remarks", "lines")
    return BulkInsert(table, CLAIM_COLUMNS, connection, converted=_CONVERTED, json_text=json_text)


def denials_insert(table: Table, connection: Connection) -> BulkInsert:
    json_text = ("cpts", "carcs", "rarcs", "reasons")
    return BulkInsert(table, DENIAL_COLUMNS, connection, converted=_CONVERTED, json_text=json_text)


class ClaimRows:
    """The `claims` and `denials` rows of one import, less their leading ids.

    Each value is what the column's bind processor makes of what the ORM model would hold.
    """

    def __init__(
        self, claims: BulkInsert, denials: BulkInsert, *, import_id: int, now: datetime
    ) -> None:
        self._import_id = import_id
        self._claim_money = claims.convert("billed")  # every Money column converts alike,
        self._claim_date = claims.convert("service_date")  # every Date column too
        self._claim_flag = claims.convert("is_denied")
        self._no_denial = (self._claim_flag(False), self._claim_money(Decimal(0)))
        self._denial_money = denials.convert("billed_amount")
        self._denial_date = denials.convert("denial_date")
        self._denial_flag = denials.convert("patient_liable")
        self._created = denials.convert("created_at")(now)
        self._updated = denials.convert("updated_at")(now)
        self._open = denials.convert("closed")(False)
        self._recovered = denials.convert("recovered_amount")(None)
        self._closed_at = denials.convert("closed_at")(None)

    def claim(
        self,
        claim: ClaimRecord,
        finding: DenialFinding | None,
        remittance_id: int,
        payer: str,
        notice: Any,
    ) -> tuple[Any, ...]:
        """The claims row after `id`. `payer` is its payer_key and `notice` its notice_date as
        converted by `claim_date`: both are the same for every claim of a remittance."""
        money, day = self._claim_money, self._claim_date
        provider, patient = claim.rendering_provider, claim.patient
        if finding is None:
            is_denied, denied = self._no_denial
        else:
            is_denied, denied = self._claim_flag(True), money(finding.denied_amount)
        return (
            self._import_id,
            remittance_id,
            payer,
            claim.claim_number,
            claim.payer_claim_number,
            claim.status_code,
            claim.kind.value,
            money(claim.billed),
            money(claim.paid),
            money(claim.patient_responsibility),
            day(claim.service_date),
            notice,
            provider.identifier,
            provider.name or None,
            patient.name or None,
            patient.identifier,
            claim.original_reference,
            adjustments_json(claim.adjustments),
            strings_json(claim.remarks),
            lines_json(claim.lines),
            is_denied,
            denied,
            None,  # reversed_by_id
            claim.source_line,
        )

    def claim_date(self, value: date) -> Any:
        return self._claim_date(value)

    def denial(
        self,
        claim: ClaimRecord,
        finding: DenialFinding,
        deadline: Deadline,
        rule: PayerRule,
        payer: str,
    ) -> tuple[Any, ...]:
        """The denials row after `id` and `claim_id`; `payer` is the claim's payer_key."""
        money, day = self._denial_money, self._denial_date
        provider = claim.rendering_provider
        category = finding.category.value
        main_code = finding.carcs[0] if finding.carcs else "-"
        return (
            self._import_id,
            None,  # post_id
            claim.claim_number,
            claim.payer_claim_number,
            payer,
            claim.remittance.payer.name or rule.name,
            provider.identifier,
            provider.name or None,
            day(claim.service_date),
            day(deadline.anchor),
            deadline.anchor_source.value,
            day(deadline.due),
            deadline.kind.value,
            deadline.rule_key,
            strings_json(finding.cpts),
            strings_json(finding.carcs),
            strings_json(finding.rarcs),
            reasons_json(finding.reasons),
            finding.explanation,
            money(claim.billed),
            money(claim.paid),
            money(finding.denied_amount),
            self._recovered,
            category,  # suggested_category
            category,
            "auto",  # category_source
            None,  # category_set_by
            finding.no_appeal_reason if finding.no_appeal else None,
            self._denial_flag(finding.patient_liable),
            "new",  # status
            self._open,
            None,  # assignee
            pattern_key(payer, category, main_code, provider.identifier or provider.name),
            None,  # superseded_by_id
            1,  # version
            self._created,
            self._updated,
            self._closed_at,
        )


# -- JSON columns -------------------------------------------------------------------------------
# Each encoder writes what json.dumps (default separators, ensure_ascii) writes for the list or
# dict in its docstring. Strings go through json's own quoting; a Decimal's str() holds only
# digits, ".", "-", "+" and letters, which JSON never escapes.

_quote: Final = encode_basestring_ascii


def strings_json(values: Sequence[str]) -> str:
    """`list(values)`."""
    return "[" + ", ".join(map(_quote, values)) + "]" if values else "[]"


# Modifiers and remark codes come in a few hundred combinations: their text by value.
_codes_json = _Memo(strings_json).__getitem__


def _optional(value: str | None) -> str:
    return "null" if value is None else _quote(value)


def _amount(value: Decimal | None) -> str:
    return "null" if value is None else f'"{value!s}"'


def adjustments_json(adjustments: Sequence[Adjustment]) -> str:
    """`[{"group", "carc", "amount": str, "quantity": str | None}, …]`."""
    if len(adjustments) == 1:
        return "[" + _adjustment(adjustments[0]) + "]"
    if not adjustments:
        return "[]"
    return "[" + ", ".join([_adjustment(a) for a in adjustments]) + "]"


def _adjustment(adjustment: Adjustment) -> str:
    # The 835 reader shares one instance per distinct CAS triplet, so most adjustments of a file
    # are a few hundred objects: their text is kept by identity. An entry holds its adjustment,
    # so the id cannot be reused while it is kept.
    known = _adjustment_texts.get(id(adjustment))
    if known is not None and known[0] is adjustment:
        return known[1]
    text = (
        f'{{"group": {_quote(adjustment.group)}, "carc": {_quote(adjustment.carc)}, '
        f'"amount": "{adjustment.amount!s}", "quantity": {_amount(adjustment.quantity)}}}'
    )
    if len(_adjustment_texts) >= _MEMO_SIZE:
        _adjustment_texts.clear()
    _adjustment_texts[id(adjustment)] = (adjustment, text)
    return text


_adjustment_texts: dict[int, tuple[Adjustment, str]] = {}


def lines_json(lines: Sequence[ServiceLine]) -> str:
    """`[{"procedure", "modifiers": [...], "qualifier", "original_procedure", "billed": str,
    "paid": str, "units": str | None, "service_date": ISO date | None, "line_control",
    "adjustments": [...], "remarks": [...]}, …]`."""
    if not lines:
        return "[]"
    return "[" + ", ".join([_line(line) for line in lines]) + "]"


def _line(line: ServiceLine) -> str:
    # Hot: once per service line, so the common cases (no modifier, no remark) stay inline.
    units, day, control = line.units, line.service_date, line.line_control
    adjustments, remarks = line.adjustments, line.remarks
    return (
        _procedure_json((line.procedure, line.modifiers, line.qualifier, line.original_procedure))
        + f'"billed": "{line.billed!s}", "paid": "{line.paid!s}", '
        f'"units": {"null" if units is None else _decimal(units)}, '
        f'"service_date": {"null" if day is None else _day(day)}, '
        f'"line_control": {"null" if control is None else _quote(control)}, '
        f'"adjustments": {adjustments_json(adjustments) if adjustments else "[]"}, '
        f'"remarks": {_codes_json(remarks) if remarks else "[]"}}}'
    )


def _procedure_text(procedure: tuple[str, tuple[str, ...], str, str | None]) -> str:
    """A line's JSON up to its amounts: a practice bills a few hundred code combinations."""
    code, modifiers, qualifier, original = procedure
    return (
        f'{{"procedure": {_quote(code)}, "modifiers": {strings_json(modifiers)}, '
        f'"qualifier": {_quote(qualifier)}, "original_procedure": {_optional(original)}, '
    )


_procedure_json = _Memo(_procedure_text).__getitem__


def _decimal(value: Decimal) -> str:
    return f'"{value!s}"'


def _day_text(day: date) -> str:
    """A date as JSON: its ISO string (a file has a few hundred service dates)."""
    return _quote(day.isoformat())


_day = _Memo(_day_text).__getitem__


def reasons_json(reasons: Sequence[DenialReason]) -> str:
    """`[{"code", "rarcs": [...], "amount": str, "procedure", "category", "explanation"}, …]`."""
    if not reasons:
        return "[]"
    return "[" + ", ".join([_reason(reason) for reason in reasons]) + "]"


def _reason(reason: DenialReason) -> str:
    return (
        f'{{"code": {_quote(reason.code)}, "rarcs": {strings_json(reason.rarcs)}, '
        f'"amount": "{reason.amount!s}", "procedure": {_optional(reason.procedure)}, '
        f'"category": {_quote(reason.category.value)}, '
        f'"explanation": {_quote(reason.explanation)}}}'
    )
