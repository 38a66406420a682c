"""Layouts whose columns a person named are remembered in the database and used for the next
file with the same headers, whichever way it arrives; `denials columns` shows and manages them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.clock import Clock
from bot.domain.rulebook import Rulebook
from bot.importers.csv_columns import Field, parse_mapping_option
from bot.services.column_mappings import (
    find_saved,
    forget,
    forget_layout,
    preview_columns,
    saved_mappings,
)
from bot.services.importing import ImportContext, import_file
from storage.models import Denial, ImportFile, SavedColumnMapping
from tests.conftest import DATA

HEADER = "Clm Ref,Sponsor,Svc Dt,Chg,Pd,Col F,Chk Dt\n"
FIRST = (
    HEADER
    + "R-1,Aetna,10/01/2026,150.00,0.00,CO-197,10/20/2026\n"
    + "R-2,Aetna,10/02/2026,200.00,150.00,CO-45,10/20/2026\n"
).encode()
# Same headers in another order and case: the same layout.
SECOND = (
    "CHK DT,col f,Clm Ref,Sponsor,Svc Dt,Chg,Pd\n"
    + "10/27/2026,CO-16,R-9,Humana,10/05/2026,300.00,0.00\n"
).encode()
MAPPING = "payer=Sponsor"


@pytest.fixture
def context(sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock) -> ImportContext:
    return ImportContext(
        sessions=sessions,
        rulebook=rulebook,
        actor="cli:maria",
        now=clock.now(),
        today=clock.today(),
    )


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_layout_lacking_a_column_is_refused_with_what_was_seen(context: ImportContext) -> None:
    outcome = import_file(FIRST, context, file_name="oct.csv")

    assert outcome.status == "refused"
    assert outcome.columns_needed is not None
    assert [m.what for m in outcome.columns_needed.detection.missing()] == [
        "the payer (e.g. Payer Name)"
    ]
    assert "--columns 'claim=Clm Ref," in outcome.reason
    assert "payer=<header>" in outcome.reason
    assert (count(context.sessions, ImportFile), count(context.sessions, SavedColumnMapping)) == (
        0,
        0,
    )


def test_a_named_mapping_is_saved_and_the_next_file_of_the_layout_uses_it(
    context: ImportContext,
) -> None:
    named = replace(context, csv_mapping=parse_mapping_option(MAPPING))
    first = import_file(FIRST, named, file_name="oct.csv")
    assert first.status == "imported"
    assert first.columns == "as named; saved for the next file with these headers"

    second = import_file(SECOND, replace(context, actor="inbox"), file_name="nov.csv")

    assert second.status == "imported", second.reason
    assert second.denials == 1
    assert second.columns.startswith("as saved with --columns by maria on ")
    (saved,) = saved_mappings(context.sessions)
    assert dict(saved.mapping.headers) == {Field.PAYER: "Sponsor"}
    assert (saved.uses, saved.example_file) == (1, "oct.csv")
    assert saved.used_at is not None
    with context.sessions() as session:
        payers = {d.payer_name for d in session.scalars(select(Denial))}
    assert payers == {"Aetna", "Humana"}


def test_a_refused_import_saves_no_mapping(context: ImportContext) -> None:
    named = replace(context, csv_mapping=parse_mapping_option("payer=Sponsor,carc=Reason"))
    outcome = import_file(FIRST, named, file_name="bad.csv")

    assert outcome.status == "refused"
    assert '"Reason" not found in the header row' in outcome.reason
    assert count(context.sessions, SavedColumnMapping) == 0


def test_saving_the_same_layout_again_replaces_its_mapping(context: ImportContext) -> None:
    import_file(FIRST, replace(context, csv_mapping=parse_mapping_option(MAPPING)), file_name="a")
    again = replace(context, csv_mapping=parse_mapping_option("payer=Sponsor,carc=Col F"))
    import_file(FIRST + b"R-3,Cigna,10/03/2026,90.00,0.00,CO-50,10/21/2026\n", again, file_name="b")

    (saved,) = saved_mappings(context.sessions)
    assert dict(saved.mapping.headers) == {Field.PAYER: "Sponsor", Field.CARC: "Col F"}
    assert saved.example_file == "b"


def test_an_inferred_mapping_is_named_in_the_summary(context: ImportContext) -> None:
    outcome = import_file(DATA / "csv" / "athenaone_denials_worklist.csv", context)

    assert outcome.status == "imported"
    assert "Columns inferred: claim=CLAIMID, payer=PRIMARYINSURANCE" in outcome.summary_line()
    assert count(context.sessions, SavedColumnMapping) == 0  # inferred ones are not saved


def test_forget_by_number_and_by_file(context: ImportContext) -> None:
    import_file(FIRST, replace(context, csv_mapping=parse_mapping_option(MAPPING)), file_name="a")
    (saved,) = saved_mappings(context.sessions)
    assert not forget(context.sessions, saved.id + 1)
    assert forget(context.sessions, saved.id)
    assert saved_mappings(context.sessions) == []

    other = FIRST + b"R-4,Cigna,10/04/2026,95.00,0.00,CO-4,10/22/2026\n"  # not a re-import
    import_file(other, replace(context, csv_mapping=parse_mapping_option(MAPPING)), file_name="b")
    preview = preview_columns(context.sessions, SECOND, "nov.csv")
    assert preview.saved is not None
    assert forget_layout(context.sessions, [preview.saved.signature]) == [preview.saved.id]
    with context.sessions() as session:
        assert find_saved(session, [preview.saved.signature]) is None


# --- the command line -----------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, database_url: str, engine: Engine) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DENIALS_CHANNEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DENIALS_DATABASE_URL", database_url)
    monkeypatch.chdir(Path(__file__).parent)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("cli")
def test_denials_columns_prints_each_field_why_a_sample_and_the_columns_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = DATA / "csv" / "officeally_era_remit_detail.tsv"
    code, out, _ = run(capsys, "columns", str(path))

    assert code == 0
    assert "tab-separated, header on line 1" in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "Grp/Rsn" in lines["carc"]
    assert "values are reason codes" in lines["carc"]
    assert "CO/45" in lines["carc"]
    assert "(patient data)" in lines["patient_name"]
    assert "TESTPATIENT" not in out
    assert f"denials import {path} --columns 'claim=Clm,payer=Carrier," in out


@pytest.mark.usefixtures("cli")
def test_import_refusal_prints_the_exact_columns_to_run_then_list_and_forget(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    oct_file = tmp_path / "oct.csv"
    oct_file.write_bytes(FIRST)
    code, _, err = run(capsys, "import", str(oct_file))
    assert code == 1
    assert f"  run: denials import {oct_file} --columns 'claim=Clm Ref," in err
    assert "payer=<header>" in err

    code, out, _ = run(capsys, "import", str(oct_file), "--columns", MAPPING)
    assert code == 0
    assert "saved for the next file with these headers" in out
    code, out, _ = run(capsys, "columns", "--list")
    assert code == 0
    assert "made for oct.csv" in out
    assert "payer=Sponsor" in out
    number = out.split()[0]

    nov_file = tmp_path / "nov.csv"
    nov_file.write_bytes(SECOND)
    code, out, _ = run(capsys, "columns", str(nov_file))
    assert code == 0
    assert f"(mapping {number})" in out

    assert run(capsys, "columns", "--forget", number)[0] == 0
    code, _, err = run(capsys, "columns", "--forget", number)
    assert code == 2
    assert f"No saved layout number {number}" in err


@pytest.mark.parametrize(
    ("file_name", "denials", "total"),
    [
        ("officeally_era_remit_detail.tsv", 8, "1280.00"),
        ("athenaone_denials_worklist.csv", 7, "1220.00"),
        ("advancedmd_denial_detail.xlsx", 7, "2380.00"),
        ("eclinicalworks_claim_denials.csv", 5, "655.00"),
        ("waystar_remit_denials.txt", 7, "2895.00"),
        ("practicefusion_era_lines.csv", 6, "880.00"),
        ("availity_remittance_viewer.csv", 5, "855.00"),
    ],
)
def test_every_new_layout_imports_into_the_database_without_columns(
    context: ImportContext, file_name: str, denials: int, total: str
) -> None:
    outcome = import_file(DATA / "csv" / file_name, context)

    assert outcome.status == "imported", outcome.reason
    assert (outcome.denials, f"{outcome.denied_amount:.2f}") == (denials, total)
    assert outcome.rejected == []


def test_a_status_only_denial_keeps_the_payers_words_for_its_card(context: ImportContext) -> None:
    import_file(DATA / "csv" / "athenaone_denials_worklist.csv", context)

    with context.sessions() as session:
        denial = session.scalars(select(Denial).where(Denial.claim_number == "7781003")).one()
        coded = session.scalars(select(Denial).where(Denial.claim_number == "7781001")).one()
    assert (denial.category, denial.carcs) == ("other", [])
    assert "Patient not eligible on date of service" in denial.explanation
    assert (coded.category, coded.carcs) == ("authorization", ["CO-197"])
