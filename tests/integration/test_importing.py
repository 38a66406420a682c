"""Importing files into the database: whole or nothing, idempotent, reversals and recoveries."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.domain.rulebook import Rulebook
from bot.services.export import FIELDS, export_records, write_csv, write_jsonl
from bot.services.importing import ImportContext, import_file, import_paths
from storage.models import AuditEvent, Claim, Denial, ImportFile, SlackPost
from tests.conftest import DATA
from tests.support.x835 import ClaimSpec, Line, denied, make_835, paid

MALFORMED = DATA / "x12" / "synthetic" / "malformed"


@pytest.fixture
def context(sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock) -> ImportContext:
    return ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=clock.today()
    )


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_remittance_stores_every_claim_and_its_denials(context: ImportContext) -> None:
    outcome = import_file(MALFORMED / "base.835", context)

    assert outcome.status == "imported"
    assert outcome.claims == 60
    assert 0 < outcome.denials < 60
    with context.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Claim)) == 60
        record = session.scalars(select(ImportFile)).one()
        assert record.file_name == "base.835"
        assert len(record.sha256) == 64
        assert record.imported_by == "cli:test"
        assert (record.claims, record.denials) == (60, outcome.denials)
        total = sum(d.denied_amount for d in session.scalars(select(Denial)))
        assert total == outcome.denied_amount
    assert "base.835: imported 60 claims" in outcome.summary_line()


def test_the_same_file_twice_changes_nothing_and_says_so(context: ImportContext) -> None:
    first = import_file(MALFORMED / "base.835", context)
    before = _export(context)

    again = import_file(MALFORMED / "base.835", context)

    assert again.status == "duplicate"
    assert "already imported" in again.summary_line()
    assert "nothing changed" in again.summary_line()
    assert again.import_id == first.import_id
    assert _export(context) == before
    assert count(context.sessions, Claim) == 60


@pytest.mark.parametrize(
    ("name", "where"),
    [("truncated.835", "segment"), ("bad_amount.835", "CLP")],
)
def test_a_bad_file_is_refused_whole_and_the_others_still_import(
    context: ImportContext, tmp_path: Path, name: str, where: str
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / name).write_bytes((MALFORMED / name).read_bytes())
    (folder / "good.835").write_bytes(make_835([denied("GOOD1")]))

    outcomes = {o.file_name: o for o in import_paths([folder], context)}

    refused = outcomes[name]
    assert refused.status == "refused"
    line = refused.summary_line()
    assert line.startswith(f"{name} was not imported: ")
    assert where in line
    assert "Nothing from this file was stored" in line
    assert outcomes["good.835"].status == "imported"
    with context.sessions() as session:
        assert session.scalars(select(ImportFile.file_name)).all() == ["good.835"]
        assert session.scalars(select(Claim.claim_number)).all() == ["GOOD1"]


def test_an_empty_file_is_refused(context: ImportContext) -> None:
    outcome = import_file(b"", context, file_name="empty.835")
    assert outcome.status == "refused"
    assert "empty" in outcome.summary_line()
    assert count(context.sessions, ImportFile) == 0


def test_a_later_payment_marks_the_denial_recovered(context: ImportContext) -> None:
    import_file(make_835([denied("PCN7", amount="250")], check="A"), context, file_name="a.835")
    later = import_file(
        make_835([paid("PCN7", amount="250")], check="B", production_date="20261101"),
        context,
        file_name="b.835",
    )

    assert later.recovered == 1
    with context.sessions() as session:
        denial = session.scalars(select(Denial)).one()
        assert denial.status == "recovered"
        assert denial.closed
        assert denial.recovered_amount == Decimal("250.00")
        audit = session.scalars(select(AuditEvent)).one()
        assert audit.action == "recovered_by_remittance"


def test_a_reversal_then_a_new_denial_supersedes_the_old_one(context: ImportContext) -> None:
    import_file(make_835([denied("PCN9", carc="16")], check="A"), context, file_name="a.835")
    reversal = ClaimSpec(
        number="PCN9",
        status="22",
        billed="-100",
        paid="0",
        lines=[Line(billed="-100", paid="0", cas=[("CO", "16", "-100")])],
    )
    import_file(
        make_835([reversal, denied("PCN9", carc="197")], check="B", production_date="20261110"),
        context,
        file_name="b.835",
    )

    with context.sessions() as session:
        old, new = session.scalars(select(Denial).order_by(Denial.id)).all()
        assert old.status == "superseded"
        assert old.superseded_by_id == new.id
        assert new.status == "new"
        assert new.carcs == ["CO-197"]
        # the new denial has its own clock, from the later remittance
        assert new.denial_date > old.denial_date
        reversed_claim = session.get(Claim, old.claim_id)
        assert reversed_claim is not None
        assert reversed_claim.reversed_by_id is not None
        # a reversal is never a denial and never counts in denied totals
        assert session.scalar(select(func.count()).select_from(Denial)) == 2


def test_a_reversal_then_a_payment_recovers_the_denial(context: ImportContext) -> None:
    import_file(make_835([denied("PCN5", amount="80")]), context, file_name="a.835")
    reversal = ClaimSpec(number="PCN5", status="22", billed="-80", paid="0")
    import_file(
        make_835([reversal, paid("PCN5", amount="80")], check="C"), context, file_name="c.835"
    )
    with context.sessions() as session:
        denial = session.scalars(select(Denial)).one()
        assert denial.status == "recovered"
        assert denial.recovered_amount == Decimal("80.00")


def test_a_burst_with_one_pattern_is_queued_as_one_grouped_card(context: ImportContext) -> None:
    burst = [denied(f"AUTH{i}", carc="197") for i in range(12)]
    others = [denied("ELIG1", carc="27"), denied("DUP1", carc="18")]
    import_file(make_835(burst + others), context, file_name="burst.835")

    with context.sessions() as session:
        posts = session.scalars(select(SlackPost).order_by(SlackPost.id)).all()
        kinds = sorted(p.kind for p in posts)
        assert kinds == ["card", "card", "group"]
        group = next(p for p in posts if p.kind == "group")
        assert len(group.denials) == 12
        assert all(p.status == "pending" for p in posts)


def test_the_appeal_deadline_counts_from_the_remittance_date(context: ImportContext) -> None:
    import_file(
        make_835([denied("D1")], production_date="20261015", payment_date="20261018"),
        context,
        file_name="a.835",
    )
    with context.sessions() as session:
        denial = session.scalars(select(Denial)).one()
        assert denial.denial_date.isoformat() == "2026-10-15"
        assert denial.anchor_source == "dtm405"
        assert denial.deadline is not None
        assert denial.deadline - denial.denial_date == timedelta(days=180)  # Aetna


def test_export_has_exactly_the_design_fields(context: ImportContext) -> None:
    import_file(make_835([denied("E1", carc="197")]), context, file_name="e.835")
    with context.sessions() as session:
        out = io.StringIO()
        write_jsonl(export_records(session, include_closed=False), out)
    record = json.loads(out.getvalue().splitlines()[0])
    assert tuple(record) == FIELDS
    assert record["claim"] == "E1"
    assert record["carcs"] == ["CO-197"]
    assert record["denied_amount"] == "100.00"
    assert record["category"] == "authorization"
    assert record["category_source"] == "auto"
    assert record["status"] == "new"
    assert record["deadline"] == "2027-04-13"


def _export(context: ImportContext) -> str:
    with context.sessions() as session:
        out = io.StringIO()
        write_csv(export_records(session, include_closed=True), out)
        return out.getvalue()


def test_due_totals_count_every_denial_and_a_burst_is_one_row(
    context: ImportContext,
) -> None:
    from bot.services.due import due_view

    many = [denied(f"M{i:03d}", amount="10") for i in range(80)]
    import_file(make_835(many, production_date="20260101", payment_date="20260101"), context)
    view = due_view(context.sessions, today=date(2026, 7, 5), days=14)  # Aetna: due June 30
    assert view.count == 80
    assert view.total_amount == Decimal(800).quantize(Decimal("0.01"))
    assert view.overdue_count == 80
    (row,) = view.rows  # one grouped card: one row for its 80 denials
    assert (row.group_count, row.amount) == (80, Decimal("800.00"))
