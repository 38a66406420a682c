"""The import's fast write path stores exactly what the ORM-style rows stored, on both backends.

Rows are built by column name with the column types' own bind processors and JSON written as
text (storage/bulk/claim_rows.py), inserted on a writing thread in batches (import_writer.py):
these tests hold each of those to the plain, slow reference.
"""

from __future__ import annotations

import gc
import io
import json
import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Table, event, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import JSON

import storage.bulk.import_writer as import_writer
from bot.domain.findings import Deadline, DenialFinding
from bot.domain.records import ClaimRecord
from bot.domain.rulebook import Rulebook
from bot.importers.x835 import read_835
from bot.services.importing import ImportContext, import_file
from storage.bulk.claim_rows import (
    ClaimRows,
    claims_insert,
    denials_insert,
    notice_date,
    pattern_key,
)
from storage.bulk.insert import BulkInsert, column_names, table_of
from storage.models import Base, Claim, Denial, SlackPost
from tests.conftest import DATA, empty_database
from tests.support.reference_rows import adjustment_dict, line_dict
from tests.support.x835 import ClaimSpec, Line, denied, make_835, paid

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
PAYER = 5  # the payer's id, as the import's PayerDirectory gives it
TODAY = date(2026, 11, 30)
SAMPLES = sorted(
    path
    for path in (DATA / "x12").rglob("*")
    if path.is_file() and path.suffix != ".md" and path.parent.name != "LICENSES"
)


@pytest.fixture
def context(sessions: sessionmaker[Session], rulebook: Rulebook) -> ImportContext:
    return ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=NOW, today=TODAY
    )


# -- the reference: the dict rows the import built before, converted by the column types -------


def claim_dict(claim: ClaimRecord, finding: DenialFinding | None) -> dict[str, Any]:
    return {
        "import_id": 7,
        "remittance_id": 3,
        "payer_id": PAYER,
        "claim_number": claim.claim_number,
        "payer_claim_number": claim.payer_claim_number,
        "status_code": claim.status_code,
        "kind": claim.kind.value,
        "billed": claim.billed,
        "paid": claim.paid,
        "patient_responsibility": claim.patient_responsibility,
        "service_date": claim.service_date,
        "notice_date": notice_date(claim, TODAY),
        "rendering_npi": claim.rendering_provider.identifier,
        "rendering_name": claim.rendering_provider.name or None,
        "patient_name": claim.patient.name or None,
        "member_id": claim.patient.identifier,
        "original_reference": claim.original_reference,
        "adjustments": [adjustment_dict(a) for a in claim.adjustments],
        "remarks": list(claim.remarks),
        "lines": [line_dict(line) for line in claim.lines],
        "is_denied": finding is not None,
        "denied_amount": finding.denied_amount if finding else Decimal(0),
        "reversed_by_id": None,
        "source_line": claim.source_line,
    }


def denial_dict(claim: ClaimRecord, finding: DenialFinding, deadline: Deadline) -> dict[str, Any]:
    provider = claim.rendering_provider
    main_code = finding.carcs[0] if finding.carcs else "-"
    return {
        "import_id": 7,
        "post_id": None,
        "claim_number": claim.claim_number,
        "payer_claim_number": claim.payer_claim_number,
        "payer_id": PAYER,
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
            PAYER, finding.category.value, main_code, provider.identifier or provider.name
        ),
        "superseded_by_id": None,
        "created_at": NOW,
        "updated_at": NOW,
        "closed_at": None,
    }


def converted(table: Table, row: dict[str, Any], engine: Engine) -> dict[str, Any]:
    """What the driver received for `row` through SQLAlchemy (JSON as json.dumps' text)."""
    dialect = engine.dialect
    values = {}
    for name, value in row.items():
        column_type = table.c[name].type
        if isinstance(column_type, JSON):
            values[name] = json.dumps(value)
            continue
        process = column_type.dialect_impl(dialect).bind_processor(dialect)
        values[name] = value if process is None else process(value)
    return values


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_rows_are_what_the_column_types_make_of_the_reference_rows(
    engine: Engine, rulebook: Rulebook, path: Path
) -> None:
    claims, denials = table_of(Claim), table_of(Denial)
    with engine.connect() as connection:
        rows = ClaimRows(
            claims_insert(connection), denials_insert(connection), import_id=7, now=NOW
        )
    with path.open("rb") as stream:
        try:
            records = [r for r in read_835(stream) if isinstance(r, ClaimRecord)]
        except Exception:  # the refused samples: what they yielded before is enough
            records = []
    for claim in records:
        judged = rulebook.judge(claim, imported_on=TODAY)
        finding = judged[0] if judged else None
        notice = rows.claim_date(notice_date(claim, TODAY))
        row = rows.claim(claim, finding, 3, PAYER, notice)
        assert row == converted(claims, claim_dict(claim, finding), engine)
        if judged is not None:
            finding, deadline, _ = judged
            expected = denial_dict(claim, finding, deadline)
            assert rows.denial(claim, finding, deadline, PAYER) == converted(
                denials, expected, engine
            )


def test_rows_name_every_column_of_their_table_but_the_ids_drawn_when_written(
    engine: Engine, rulebook: Rulebook
) -> None:
    """The table definition is the one list of columns: a column added to the model and not
    to the rows fails here (and the version is the model's default, never set by hand)."""
    claims, denials = set(column_names(table_of(Claim))), set(column_names(table_of(Denial)))
    (claim,) = read_835(io.BytesIO(make_835([denied("D1")])))
    assert isinstance(claim, ClaimRecord)
    judged = rulebook.judge(claim, imported_on=TODAY)
    assert judged is not None
    finding, deadline, _ = judged
    assert set(claim_dict(claim, finding)) == claims - {"id", "fingerprint"}
    assert set(denial_dict(claim, finding, deadline)) == denials - {"id", "claim_id", "version"}
    with engine.connect() as connection:
        assert set(claims_insert(connection).columns) == claims
        assert set(denials_insert(connection).columns) == denials


# -- bulk inserts -------------------------------------------------------------------------------


@pytest.mark.parametrize("awaited", [False, True])
@pytest.mark.parametrize("count", [1, 63, 64, 65, 200, 1100])
def test_a_bulk_insert_writes_every_row_in_order_as_the_orm_would(
    engine: Engine, sessions: sessionmaker[Session], count: int, awaited: bool
) -> None:
    posts = table_of(SlackPost)
    with sessions() as session, session.begin():
        session.add(SlackPost(kind="card", created_at=NOW))  # the reference row, id 1
        session.flush()
        connection = session.connection()
        bulk = BulkInsert(
            posts, ("id", "kind", "import_id", "created_at"), connection, converted=["created_at"]
        )
        created = bulk.convert("created_at")(NOW)
        row = {"kind": "card", "import_id": None, "created_at": created}
        rows = [bulk.row({"id": 2 + i, **row}) for i in range(count)]
        bulk.execute(connection, rows, awaited=awaited)
    with engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT * FROM slack_posts ORDER BY id").all()
    assert [row[0] for row in stored] == list(range(1, count + 2))
    assert all(tuple(row[1:]) == tuple(stored[0][1:]) for row in stored)


@pytest.mark.parametrize(
    ("awaited", "statement_rows"),
    [
        (False, [1024, 256, 20]),  # the caller is busy: few statements
        (True, [1024, 64, 64, 64, 64, 20]),  # the caller waits: no large statement to prepare
    ],
)
def test_a_bulk_insert_on_sqlite_sizes_its_statements_for_whoever_waits(
    engine: Engine, sessions: sessionmaker[Session], awaited: bool, statement_rows: list[int]
) -> None:
    if engine.dialect.name == "postgresql":
        statement_rows = []  # one COPY, no INSERT at all
    posts = table_of(SlackPost)
    inserts: list[int] = []

    def count_rows(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO slack_posts "):
            inserts.append(statement.count("(?"))

    event.listen(engine, "before_cursor_execute", count_rows)
    try:
        with sessions() as session, session.begin():
            connection = session.connection()
            columns = ("id", "kind", "import_id", "created_at")
            bulk = BulkInsert(posts, columns, connection, converted=["created_at"])
            created = bulk.convert("created_at")(NOW)
            row = {"kind": "card", "import_id": None, "created_at": created}
            rows = [bulk.row({"id": 1 + i, **row}) for i in range(1300)]
            bulk.execute(connection, rows, awaited=awaited)
    finally:
        event.remove(engine, "before_cursor_execute", count_rows)
    assert inserts == statement_rows
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM slack_posts").scalar() == 1300


# -- the writing thread -------------------------------------------------------------------------


def writer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("import-writer")]


def stored_counts(sessions: sessionmaker[Session]) -> tuple[int, int]:
    with sessions() as session:
        files = session.execute(text("SELECT count(*) FROM import_files")).scalar_one()
        claims = session.execute(text("SELECT count(*) FROM claims")).scalar_one()
    return files, claims


def many_claims(count: int) -> list[ClaimSpec]:
    return [denied(f"D{i}") if i % 5 == 0 else paid(f"P{i}") for i in range(count)]


def test_a_file_refused_after_batches_were_written_stores_nothing(
    context: ImportContext,
) -> None:
    data = make_835([*many_claims(2500), paid("LAST", amount="12A")])

    outcome = import_file(data, context, file_name="bad-at-the-end.835")

    assert outcome.status == "refused"
    assert "12A" in outcome.reason
    assert stored_counts(context.sessions) == (0, 0)
    assert writer_threads() == []
    assert gc.get_freeze_count() == 0


def test_an_insert_failing_on_the_writing_thread_refuses_the_file(
    context: ImportContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_writer.ImportWriter, "_insert", fail)

    outcome = import_file(make_835(many_claims(1500)), context, file_name="a.835")

    assert outcome.status == "refused"
    assert "internal error" in outcome.reason
    assert "RuntimeError" in outcome.reason
    assert stored_counts(context.sessions) == (0, 0)
    assert writer_threads() == []
    assert gc.get_freeze_count() == 0


def test_the_garbage_collector_has_every_object_back_after_an_import(
    context: ImportContext,
) -> None:
    outcome = import_file(make_835(many_claims(30)), context, file_name="a.835")

    assert outcome.status == "imported"
    assert gc.get_freeze_count() == 0


# -- batches ------------------------------------------------------------------------------------


def readjudications() -> tuple[bytes, bytes]:
    """An earlier file of denials, and a file that reverses, pays and denies them again, each
    claim's adjudications spread over several batches when a batch is a few claims."""
    earlier = make_835([denied(f"R{i}", amount="80") for i in range(12)], check="A")
    claims: list[ClaimSpec] = []
    for i in range(12):
        reversal = ClaimSpec(
            number=f"R{i}",
            status="22",
            billed="-80",
            paid="0",
            lines=[Line(billed="-80", paid="0", cas=[("CO", "197", "-80")])],
        )
        again = paid(f"R{i}", amount="80") if i % 2 else denied(f"R{i}", carc="16", amount="80")
        claims += [denied(f"N{i}"), reversal, paid(f"N{i}", amount="100"), again]
    later = make_835(claims, check="B", production_date="20261110")
    return earlier, later


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    tables = sorted(t.name for t in Base.metadata.sorted_tables)
    with engine.connect() as connection:
        return {
            name: [
                tuple(row)
                for row in connection.exec_driver_sql(f"SELECT * FROM {name} ORDER BY id")  # noqa: S608
            ]
            for name in tables
        }


def test_batch_boundaries_change_nothing_stored(
    engine: Engine, context: ImportContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier, later = readjudications()
    stored = []
    for batch in (import_writer.BATCH, 3, 1):
        monkeypatch.setattr(import_writer, "BATCH", batch)
        empty_database(engine)
        assert import_file(earlier, context, file_name="a.835").status == "imported"
        outcome = import_file(later, context, file_name="b.835")
        # 6 of the earlier file's denials; its own N claims, denied and paid in the same
        # transaction set, are two statements of one remittance: no recovery (readjudication)
        assert outcome.recovered == 6
        stored.append(dump(engine))
    assert stored[0] == stored[1] == stored[2]
    actions = sorted({row[3] for row in stored[0]["audit_events"]})
    assert actions == ["recovered_by_remittance", "superseded_by_readjudication"]
    with engine.connect() as connection:
        reversed_by = connection.exec_driver_sql("SELECT reversed_by_id FROM claims").scalars()
        assert len([claim for claim in reversed_by if claim is not None]) == 12


def several_remittances() -> bytes:
    """One interchange, three checks (ST..SE each) from two payers, a few claims each."""
    transactions = []
    for number, (check, payer, count) in enumerate(
        [("CHK-A", "AETNA", 5), ("CHK-B", "CIGNA", 4), ("CHK-C", "AETNA", 6)], start=1
    ):
        claims = [denied(f"{check}-{i}") if i % 2 else paid(f"{check}-{i}") for i in range(count)]
        text = make_835(claims, check=check, payer=payer, payer_id=f"P{payer}").decode()
        body = text[text.index("ST*835*0001~") : text.index("GE*1*1~")]
        transactions.append(
            body.replace("ST*835*0001~", f"ST*835*000{number}~").replace("*0001~", f"*000{number}~")
        )
    head = make_835([]).decode()
    envelope = head[: head.index("ST*835*0001~")]
    return (envelope + "".join(transactions) + "GE*3*1~IEA*1*000000001~").encode()


def test_claims_of_several_remittances_point_at_their_own_remittance_whatever_the_batches(
    engine: Engine, context: ImportContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = []
    for batch in (import_writer.BATCH, 3, 1):
        monkeypatch.setattr(import_writer, "BATCH", batch)
        empty_database(engine)
        outcome = import_file(several_remittances(), context, file_name="three-checks.835")
        assert outcome.status == "imported", outcome.summary_line()
        assert outcome.warnings == []
        stored.append(dump(engine))
    assert stored[0] == stored[1] == stored[2]
    with engine.connect() as connection:
        checks = connection.exec_driver_sql(
            "SELECT c.claim_number, r.check_number FROM claims AS c "
            "JOIN remittances AS r ON r.id = c.remittance_id ORDER BY c.id"
        ).all()
    assert len(checks) == 15
    assert all(number.startswith(check) for number, check in checks)
    assert [check for _, check in checks].count("CHK-B") == 4


# -- closing earlier denials --------------------------------------------------------------------


def test_a_later_payment_closes_the_denial_through_its_version(
    engine: Engine, context: ImportContext
) -> None:
    """The ORM bumps the version of a denial a later remittance closes, so a click on the
    card as it was before is told the denial changed."""
    assert import_file(make_835([denied("V1", amount="80")]), context, file_name="a").status == (
        "imported"
    )
    later = make_835([paid("V1", amount="80")], check="B", production_date="20261110")
    outcome = import_file(later, context, file_name="b.835")

    assert outcome.recovered == 1
    with engine.connect() as connection:
        status, version = connection.exec_driver_sql("SELECT status, version FROM denials").one()
    assert (status, version) == ("recovered", 2)


def test_a_denial_changed_while_a_payment_closes_it_refuses_the_file(
    engine: Engine, context: ImportContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert import_file(make_835([denied("V1", amount="80")]), context, file_name="a").status == (
        "imported"
    )
    pending_notes = import_writer.ImportWriter._pending_notes

    def changed_meanwhile(writer: import_writer.ImportWriter, posts: set[int]) -> Any:
        # What a click saved between the writer reading the denial and closing it.
        writer._connection.exec_driver_sql("UPDATE denials SET version = version + 1")
        return pending_notes(writer, posts)

    monkeypatch.setattr(import_writer.ImportWriter, "_pending_notes", changed_meanwhile)
    later = make_835([paid("V1", amount="80")], check="B", production_date="20261110")

    outcome = import_file(later, context, file_name="b.835")

    assert outcome.status == "refused"
    assert "StaleDataError" in outcome.reason
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT status, version FROM denials").one() == (
            "new",
            1,
        )
        assert connection.exec_driver_sql("SELECT count(*) FROM import_files").scalar() == 1
