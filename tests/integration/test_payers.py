"""Payers as one entity: every spelling and id of a payer is one payer in trends, cards,
patterns and exports; `denials payers` lists them and `denials payers merge A B` joins two."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.clock import Clock
from bot.domain.rulebook import Rulebook
from bot.domain.trend_periods import Span
from bot.services.export import export_records
from bot.services.importing import ImportContext, import_file
from bot.services.pattern_fixes import record_fix
from bot.services.payers import list_payers, merge
from bot.services.trends import trends_report
from storage.models import Denial, PatternFix, Payer, SlackPost
from tests.conftest import DATA
from tests.support.x835 import denied, make_835

TWELVE_MONTHS = Span(12, "m")
Sessions = sessionmaker[Session]
SAMPLE_REPORTS = (  # the shared samples' six PM exports
    "collaboratemd_adjustment_reasons.csv",
    "drchrono_line_item_transactions.csv",
    "generic_denial_export.csv",
    "nextgen_era_import_posting.csv",
    "simplepractice_insurance_claims.csv",
    "tebra_kareo_service_line_payments.csv",
)
SAMPLE_PAYERS = [
    ("Blue Cross Blue Shield", 10),
    ("Cigna", 7),
    ("UnitedHealthcare", 6),
    ("Aetna", 5),
    ("State Medicaid", 4),
    ("Medicare Part B", 3),
]


@pytest.fixture
def context(sessions: Sessions, rulebook: Rulebook, clock: Clock) -> ImportContext:
    return ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=clock.today()
    )


def imported(context: ImportContext, data: bytes | Path, name: str | None = None) -> None:
    outcome = import_file(data, context, file_name=name)
    assert outcome.status == "imported", outcome.summary_line()


def payer_rows(sessions: Sessions, context: ImportContext) -> list[tuple[str, int]]:
    trends = trends_report(sessions, span=TWELVE_MONTHS, dimension="payer", today=context.today)
    return [(row.key, row.count) for row in trends.rows]


def test_the_samples_spellings_and_ids_are_six_payers_in_trends_and_exports(
    context: ImportContext, sessions: Sessions
) -> None:
    """AETNA (835 id 60054; NextGen id 99001), Aetna (DrChrono 99001, CollaborateMD 10000099,
    Kareo and SimplePractice by name), and the other payers' capitals, used to be a dozen trend
    rows and patterns for six payers."""
    for name in SAMPLE_REPORTS:
        imported(context, DATA / "csv" / name)
    imported(context, make_835([denied("X1")], payer="AETNA", payer_id="60054"), "aetna.835")

    assert payer_rows(sessions, context) == SAMPLE_PAYERS
    with sessions() as session:
        assert len(session.scalars(select(Payer)).all()) == 6
        exported = {record["payer"] for record in export_records(session, include_closed=True)}
        patterns = {d.pattern_key.split("|")[0] for d in session.scalars(select(Denial))}
    assert exported == {name for name, _ in SAMPLE_PAYERS}
    assert len(patterns) == 6
    aetna = next(p for p in list_payers(sessions) if p.name == "Aetna")
    assert set(aetna.ids) == {"99001", "10000099", "60054"}
    assert aetna.denials == 5


def test_a_new_spelling_of_a_known_payer_joins_it(
    context: ImportContext, sessions: Sessions
) -> None:
    imported(context, make_835([denied("A1")], payer="BLUE CROSS BLUE SHIELD", payer_id="99003"))
    later = make_835([denied("A2")], payer="Blue Cross Blue Shield", payer_id="00970", check="C2")
    imported(context, later, "bcbs.835")  # a new id, a known name: the same payer, one more id

    (payer,) = list_payers(sessions)
    assert (payer.name, payer.ids, payer.denials) == (
        "Blue Cross Blue Shield",
        ("99003", "00970"),
        2,
    )


def test_merging_two_payers_joins_claims_trends_patterns_fixes_and_cards(
    context: ImportContext, sessions: Sessions
) -> None:
    imported(
        context, make_835([denied("U1"), denied("U2")], payer="UNITED HEALTHCARE", payer_id="87726")
    )
    imported(
        context,
        make_835([denied("U3")], payer="UnitedHealthcare", payer_id="99004", check="C2"),
        "uhc.835",
    )
    with sessions() as session, session.begin():
        for post in session.scalars(select(SlackPost)):
            post.status, post.ts, post.channel = "posted", f"1.{post.id}", "C1"
        first_post = session.scalars(select(SlackPost.id).order_by(SlackPost.id)).first()
    assert first_post is not None
    record_fix(sessions, first_post, "check auth before booking", "slack:T1:U1", context.now)
    assert payer_rows(sessions, context) == [("United Healthcare", 2), ("UnitedHealthcare", 1)]

    merged = merge(sessions, "United Healthcare", "P2", now=context.now)

    assert (merged.source.name, merged.target.name) == ("United Healthcare", "UnitedHealthcare")
    assert payer_rows(sessions, context) == [("UnitedHealthcare", 3)]
    (payer,) = list_payers(sessions)
    assert (payer.ids, payer.claims) == (("87726", "99004"), 3)
    with sessions() as session:
        keys = {d.pattern_key for d in session.scalars(select(Denial))}
        fixes = {f.pattern_key for f in session.scalars(select(PatternFix))}
        rebuilt = session.scalars(select(SlackPost.needs_update).order_by(SlackPost.id)).all()
    assert {key.split("|")[0] for key in keys} == {"p2"}
    assert fixes <= keys  # the recorded fix follows its pattern
    assert rebuilt[0] is True  # the merged payer's card shows the other name now
    # A later remittance under either id or name is the merged payer.
    imported(
        context,
        make_835([denied("U4")], payer="UNITED HEALTHCARE", payer_id="87726", check="C3"),
        "u4.835",
    )
    assert payer_rows(sessions, context) == [("UnitedHealthcare", 4)]


# -- the command -----------------------------------------------------------------------------


@pytest.mark.usefixtures("terminal")
def test_denials_payers_lists_and_merges(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a.835").write_bytes(make_835([denied("A1")], payer="AETNA", payer_id="60054"))
    (tmp_path / "b.835").write_bytes(
        make_835([denied("B1")], payer="AETNA INC.", payer_id="68246", check="C2")
    )
    assert main(["import", str(tmp_path)]) == 0
    capsys.readouterr()

    assert main(["payers"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed == [
        '   P1  Aetna · ids 60054 · written "AETNA" · 1 claim, 1 denial',
        '   P2  Aetna Inc. · ids 68246 · written "AETNA INC." · 1 claim, 1 denial',
        "Two that are the same payer: `denials payers merge P4 P1` makes P4 part of P1.",
    ]

    assert main(["payers", "merge", "68246", "aetna"]) == 0
    assert capsys.readouterr().out == (
        "P2 Aetna Inc. is now part of P1 Aetna: 1 claim and 1 denial moved, "
        "and its cards will show Aetna.\n"
    )
    assert main(["payers", "merge", "P1", "Aetna Inc"]) == 2  # its name is Aetna's alias now
    assert "are the same payer (Aetna) already" in capsys.readouterr().err
    assert main(["payers", "merge", "P9", "P1"]) == 2
    assert "No payer P9. `denials payers` lists them" in capsys.readouterr().err


def test_payers_are_created_with_the_import_and_gone_with_a_refused_file(
    context: ImportContext, sessions: Sessions
) -> None:
    bad = make_835([denied("Z1")], payer="NEW PAYER", payer_id="777").replace(
        b"CLP*Z1*1*100*0", b"CLP*Z1*1*1O0*0"
    )
    outcome = import_file(bad, context, file_name="bad.835")
    assert outcome.status == "refused"
    assert list_payers(sessions) == []
