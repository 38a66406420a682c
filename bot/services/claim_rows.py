"""Turn importer records into database rows (plain dicts for bulk inserts)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

from bot.domain.findings import Deadline, DenialFinding
from bot.domain.payer_rules import PayerRule
from bot.domain.records import Adjustment, ClaimRecord, Payer, ServiceLine


class BulkInsert:
    """INSERT of many rows of `table` through the driver's own executemany.

    `prepare` converts a row (a dict with exactly `columns`) in place with the column types'
    bind processors, the ones SQLAlchemy itself applies, so rows are stored exactly as an ORM
    insert would store them; other columns with a default get it, as with an ORM insert. A
    prepared row holds only plain values (no lists), which the garbage collector need not
    follow while a batch waits. `execute` sends prepared rows without the ORM's per-row work.
    """

    def __init__(
        self,
        table: Table,
        columns: Sequence[str],
        connection: Connection,
        *,
        late: Sequence[str] = ("id",),
    ) -> None:
        """`late` columns are set after `prepare` (ids drawn at insert time): they must need
        no conversion."""
        dialect = connection.dialect
        compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
        names = list(compiled.positiontup or ()) if compiled.positional else list(compiled.binds)
        self.defaults: dict[str, Any] = {}
        for name in names:
            if name in columns:
                continue
            default = table.c[name].default
            if isinstance(default, ScalarElementColumnDefault | CallableColumnDefault):
                self.defaults[name] = default
            else:
                raise ValueError(f"bulk insert into {table.name}: no value for {name}")
        if sorted(set(names) - set(self.defaults)) != sorted(columns):
            raise ValueError(f"bulk insert into {table.name}: columns {names} != {columns}")
        self.sql = compiled.string
        self.table = table.name
        self.positional = compiled.positional
        self.names = names
        self.processors: list[tuple[str, Callable[[Any], Any]]] = []
        for name in names:
            column_type = table.c[name].type
            process = column_type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                if name in late:
                    raise ValueError(f"bulk insert into {table.name}: {name} needs converting")
                self.processors.append((name, process))
        if len(names) < 2:
            raise ValueError(f"bulk insert into {table.name}: one column is not worth it")

    def prepare(self, row: dict[str, Any]) -> dict[str, Any]:
        """`row` with the defaults added and every value as the driver is to receive it."""
        for name, default in self.defaults.items():
            if isinstance(default, CallableColumnDefault):
                make: Any = default.arg  # wraps a no-argument callable such as `list`
                row[name] = make(None)
            else:
                row[name] = default.arg
        for name, process in self.processors:
            row[name] = process(row[name])
        return row

    def execute(self, connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
        """Insert prepared rows, in order."""
        if not rows:
            return
        take = itemgetter(*self.names)
        if connection.dialect.name == "postgresql":
            # COPY: one stream instead of one statement per row.
            driver: Any = connection.connection.driver_connection
            columns = ", ".join(f'"{name}"' for name in self.names)
            with (
                driver.cursor() as cursor,
                cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy,
            ):
                for row in rows:
                    copy.write_row(take(row))
            return
        if self.positional:
            params: list[Any] = [take(row) for row in rows]
        else:
            params = list(rows)
        connection.exec_driver_sql(self.sql, params)


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
    start = (connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1
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


def claim_row(
    claim: ClaimRecord,
    *,
    import_id: int,
    remittance_id: int,
    imported_on: date,
    finding: DenialFinding | None,
) -> dict[str, Any]:
    return {
        "import_id": import_id,
        "remittance_id": remittance_id,
        "payer_key": payer_key(claim.remittance.payer),
        "claim_number": claim.claim_number,
        "payer_claim_number": claim.payer_claim_number,
        "status_code": claim.status_code,
        "kind": claim.kind.value,
        "billed": claim.billed,
        "paid": claim.paid,
        "patient_responsibility": claim.patient_responsibility,
        "service_date": claim.service_date,
        "notice_date": notice_date(claim, imported_on),
        "rendering_npi": claim.rendering_provider.identifier,
        "rendering_name": claim.rendering_provider.name or None,
        "patient_name": claim.patient.name or None,
        "member_id": claim.patient.identifier,
        "original_reference": claim.original_reference,
        "adjustments": [_adjustment(a) for a in claim.adjustments],
        "remarks": list(claim.remarks),
        "lines": [_line(line) for line in claim.lines],
        "is_denied": finding is not None,
        "denied_amount": finding.denied_amount if finding else Decimal(0),
        "reversed_by_id": None,
        "source_line": claim.source_line,
    }


def denial_row(
    claim: ClaimRecord,
    finding: DenialFinding,
    deadline: Deadline,
    rule: PayerRule,
    *,
    claim_id: int,
    import_id: int,
    now: datetime,
) -> dict[str, Any]:
    payer = payer_key(claim.remittance.payer)
    provider = claim.rendering_provider
    main_code = finding.carcs[0] if finding.carcs else "-"
    return {
        "claim_id": claim_id,
        "import_id": import_id,
        "post_id": None,
        "claim_number": claim.claim_number,
        "payer_claim_number": claim.payer_claim_number,
        "payer_key": payer,
        "payer_name": claim.remittance.payer.name or rule.name,
        "provider_npi": provider.identifier,
        "provider_name": provider.name or None,
        "service_date": claim.service_date,
        "denial_date": deadline.anchor,
        "anchor_source": deadline.anchor_source.value,
        "deadline": deadline.due,
        "deadline_kind": deadline.kind.value,
        "rule_key": deadline.rule_key,
        "cpts": list(finding.cpts),
        "carcs": list(finding.carcs),
        "rarcs": list(finding.rarcs),
        "reasons": [
            {
                "code": r.code,
                "rarcs": list(r.rarcs),
                "amount": str(r.amount),
                "procedure": r.procedure,
                "category": r.category.value,
                "explanation": r.explanation,
            }
            for r in finding.reasons
        ],
        "explanation": finding.explanation,
        "billed_amount": claim.billed,
        "paid_amount": claim.paid,
        "denied_amount": finding.denied_amount,
        "recovered_amount": None,
        "suggested_category": finding.category.value,
        "category": finding.category.value,
        "category_source": "auto",
        "category_set_by": None,
        "no_appeal_reason": finding.no_appeal_reason if finding.no_appeal else None,
        "patient_liable": finding.patient_liable,
        "status": "new",
        "closed": False,
        "assignee": None,
        "pattern_key": pattern_key(
            payer, finding.category.value, main_code, provider.identifier or provider.name
        ),
        "superseded_by_id": None,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "closed_at": None,
    }


def _adjustment(adjustment: Adjustment) -> dict[str, Any]:
    return {
        "group": adjustment.group,
        "carc": adjustment.carc,
        "amount": str(adjustment.amount),
        "quantity": None if adjustment.quantity is None else str(adjustment.quantity),
    }


def _line(line: ServiceLine) -> dict[str, Any]:
    return {
        "procedure": line.procedure,
        "modifiers": list(line.modifiers),
        "qualifier": line.qualifier,
        "original_procedure": line.original_procedure,
        "billed": str(line.billed),
        "paid": str(line.paid),
        "units": None if line.units is None else str(line.units),
        "service_date": line.service_date.isoformat() if line.service_date else None,
        "line_control": line.line_control,
        "adjustments": [_adjustment(a) for a in line.adjustments],
        "remarks": list(line.remarks),
    }
