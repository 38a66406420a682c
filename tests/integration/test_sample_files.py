"""Every sample remittance and report goes through the real import, as a user would run it."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.domain.rulebook import Rulebook
from bot.services.export import export_records, write_csv
from bot.services.importing import ImportContext, import_file, import_paths
from storage.models import Claim, Denial
from tests.conftest import DATA

X12 = DATA / "x12"
MALFORMED = X12 / "synthetic" / "malformed"
# 835s only: the 277 family has its own (tests/integration/test_status_import.py)
PUBLIC = sorted(
    p for p in X12.iterdir() if p.is_file() and p.name != "README.md" and p.suffix != ".277"
)

# denial-facts / samples README: the denied dollars each CSV sample holds
CSV_TOTALS = {
    "tebra_kareo_service_line_payments.csv": Decimal("875.00"),
    "nextgen_era_import_posting.csv": Decimal("780.00"),
    "collaboratemd_adjustment_reasons.csv": Decimal("840.00"),
    "drchrono_line_item_transactions.csv": Decimal("1005.00"),
    "simplepractice_insurance_claims.csv": Decimal("560.00"),
    "generic_denial_export.csv": Decimal("2450.00"),
}


@pytest.fixture
def context(sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock) -> ImportContext:
    return ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=clock.today()
    )


# The samples README calls it "garbage values: good malformed-value test": its CAS template
# line `CAS*grp_code*reason_code*amount*quantity` has no readable adjustment, and a file is
# imported whole or not at all.
PUBLIC_REFUSED = {"affect_sample_835.txt": 'segment 23 (CAS): CAS01 group code "grp_code"'}


@pytest.mark.parametrize("path", PUBLIC, ids=lambda p: p.name)
def test_every_public_sample_is_imported_or_refused_as_expected(
    context: ImportContext, path: Path
) -> None:
    outcome = import_file(path, context)
    if path.name in PUBLIC_REFUSED:
        assert outcome.status == "refused"
        assert PUBLIC_REFUSED[path.name] in outcome.summary_line()
        return
    assert outcome.status == "imported", outcome.summary_line()
    assert outcome.claims > 0


@pytest.mark.parametrize(
    ("name", "status", "warned"),
    [
        ("truncated.835", "refused", False),
        ("bad_amount.835", "refused", False),
        ("bad_se_count.835", "imported", True),
        ("no_envelope.835", "imported", True),
        ("crlf_indented.835", "imported", False),
        ("pipe_newline.835", "imported", False),
        ("bom.835", "imported", False),
        ("isa_not_fixed_width.835", "imported", False),
        ("unknown_codes.835", "imported", False),
        ("base.835", "imported", False),
    ],
)
def test_the_malformed_set_is_refused_warned_or_clean_as_expected(
    context: ImportContext, name: str, status: str, warned: bool
) -> None:
    outcome = import_file(MALFORMED / name, context)
    assert outcome.status == status, outcome.summary_line()
    assert bool(outcome.warnings) is warned, outcome.warnings
    if status == "imported":
        assert outcome.claims == 60


@pytest.mark.parametrize(
    "name",
    [
        "crlf_indented.835",
        "pipe_newline.835",
        "bom.835",
        "isa_not_fixed_width.835",
        "no_envelope.835",
    ],
)
def test_the_tolerant_variants_are_the_same_remittance_as_the_clean_file(
    context: ImportContext, name: str
) -> None:
    """Separators, terminators, line endings, BOM, padding and even the envelope change
    nothing a payer said: the same claims, recognised as already imported."""
    assert import_file(MALFORMED / "base.835", context).claims == 60
    outcome = import_file(MALFORMED / name, context)
    assert outcome.status == "duplicate", outcome.summary_line()
    assert [(a.file_name, a.claims) for a in outcome.already] == [("base.835", 60)]
    with context.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Claim)) == 60


def test_unknown_codes_are_kept_raw_as_other(context: ImportContext) -> None:
    outcome = import_file(MALFORMED / "unknown_codes.835", context)
    assert outcome.status == "imported"
    with context.sessions() as session:
        stored = [
            a
            for claim in session.scalars(select(Claim))
            for line in claim.lines
            for a in line["adjustments"]
        ]
        assert any(a["group"] == "XX" and a["carc"] == "ZZ9" for a in stored)
        reasons = [r for d in session.scalars(select(Denial)) for r in d.reasons]
        unknown = [r for r in reasons if r["code"] == "XX-ZZ9"]
        assert unknown
        assert {r["category"] for r in unknown} == {"other"}


@pytest.mark.parametrize("name", sorted(CSV_TOTALS))
def test_every_csv_sample_imports_with_its_denied_dollars(
    context: ImportContext, name: str
) -> None:
    outcome = import_file(DATA / "csv" / name, context)
    assert outcome.status == "imported", outcome.summary_line()
    assert outcome.denied_amount == CSV_TOTALS[name]


def test_a_csv_without_remittance_dates_starts_the_clock_on_the_import_day(
    context: ImportContext,
) -> None:
    import_file(DATA / "csv" / "simplepractice_insurance_claims.csv", context)
    with context.sessions() as session:
        denials = session.scalars(select(Denial)).all()
        assert denials
        assert {d.anchor_source for d in denials} == {"import"}
        assert {d.denial_date for d in denials} == {context.today}


def test_importing_every_sample_twice_changes_nothing(
    context: ImportContext, tmp_path: Path
) -> None:
    folders = [X12, X12 / "synthetic", MALFORMED, DATA / "csv"]
    first = [o for o in import_paths(folders, context) if o.ok]
    export_before = _export(context)
    with context.sessions() as session:
        claims_before = session.scalar(select(func.count()).select_from(Claim))

    second = import_paths(folders, context)

    assert [o.status for o in second if o.ok] == ["duplicate"] * len(first)
    assert _export(context) == export_before
    with context.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Claim)) == claims_before


def _export(context: ImportContext) -> str:
    out = io.StringIO()
    with context.sessions() as session:
        write_csv(export_records(session, include_closed=True), out)
    return out.getvalue()
