"""Letters drafted from what the database holds: facts, level, refusals, audit, files, CLI."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.clock import Clock
from bot.config import PhiMode
from bot.domain.actor import Actor
from bot.domain.rulebook import Rulebook
from bot.errors import ConflictError
from bot.letters.compose import LetterTemplates
from bot.services.appeal_letters import AppealLetters, write_files
from bot.services.appeals import Appeals, Outcome
from bot.services.importing import ImportContext, import_file
from bot.services.payers import merge
from bot.services.triage import AppealForm
from bot.services.work_items import WorkItems
from storage.models import AuditEvent, ClaimAcceptance, Denial, DocumentationRequest
from tests.support.x277 import ACK, make_277
from tests.support.x277 import ClaimSpec as ClaimSpec277
from tests.support.x835 import ClaimSpec, Line, denied, make_835

TODAY = date(2026, 11, 30)
MARIA = Actor("T1", "UMARIA")


@pytest.fixture
def letters(sessions: sessionmaker[Session], rulebook: Rulebook) -> AppealLetters:
    return AppealLetters(sessions, rulebook, LetterTemplates())


def load(
    sessions: sessionmaker[Session],
    rulebook: Rulebook,
    clock: Clock,
    *claims: ClaimSpec,
    payer: str = "AETNA",
    payer_id: str = "60054",
) -> int:
    context = ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=TODAY
    )
    data = make_835(list(claims), payer=payer, payer_id=payer_id)
    outcome = import_file(data, context, file_name=f"{payer}.835")
    assert outcome.status == "imported", outcome.summary_line()
    with sessions() as session:
        return session.scalars(select(Denial.id).order_by(Denial.id.desc())).first() or 0


def draft(letters: AppealLetters, clock: Clock, denial_id: int, **options: object):  # type: ignore[no-untyped-def]
    defaults: dict[str, object] = {"phi": PhiMode.MINIMAL, "to": "slack"}
    return letters.draft(
        denial_id,
        actor=MARIA.key,
        now=clock.now(),
        today=TODAY,
        **{**defaults, **options},  # type: ignore[arg-type]
    )


def pdf_words(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_a_draft_is_filled_from_the_remittance_and_audited(
    sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock, letters: AppealLetters
) -> None:
    claim = ClaimSpec(
        number="5101Z88001",
        billed="560",
        paid="140",
        lines=[
            Line(
                code="99213",
                billed="160",
                modifiers=["25"],
                cas=[("CO", "197", "160")],
                rarcs=["N54"],
            ),
            Line(code="97110", billed="400", paid="140", cas=[("CO", "45", "260")]),
        ],
    )
    denial_id = load(sessions, rulebook, clock, claim)

    letter = draft(letters, clock, denial_id, phi=PhiMode.FULL, to="file")

    assert [f.name for f in letter.files] == [
        "appeal-5101Z88001-level1.docx",
        "appeal-5101Z88001-level1.pdf",
    ]
    words = pdf_words(letter.files[1].content)
    for fact in (
        "5101Z88001",
        "ICN1",  # the payer's claim number
        "Oct 1, 2026",
        "99213-25",
        "$160.00",  # denied
        "CO-197",
        "N54",
        "LEE, DANA, NPI 1234567893",  # rendering
        "EXAMPLE CLINIC, NPI 1999999992",  # billing: the 835's payee
        "TESTPATIENT",  # complete: it goes to a file on this machine
        "ZZT0001",
        "Availity",  # Aetna's portal, from the payer rules
    ):
        assert fact in words
    assert letter.template == "authorization.txt"
    assert letter.level.number == 1
    with sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "letter")).one()
    assert event.actor == "slack:T1:UMARIA"
    assert event.detail == {
        "template": "authorization.txt",
        "frame": "frame_appeal.txt",
        "source": "built-in",
        "level": 1,
        "phi": "complete",
        "to": "file",
    }


def test_the_letter_names_the_payer_as_people_read_it_and_follows_a_merge(
    sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock, letters: AppealLetters
) -> None:
    shouted = "BLUE CROSS AND BLUE SHIELD OF NORTH CAROLINA"
    first = load(sessions, rulebook, clock, denied("BC1"), payer=shouted, payer_id="BCBSNC")
    second = load(sessions, rulebook, clock, denied("BC2"), payer="BCBS NC", payer_id="61473")

    words = pdf_words(draft(letters, clock, first).files[1].content)
    assert "Blue Cross and Blue Shield of North Carolina" in words
    assert shouted not in words
    assert "BCBS NC" in pdf_words(draft(letters, clock, second).files[1].content)

    # staff join the second spelling into the first: its next draft uses the payer's name
    merge(sessions, "BCBS NC", shouted, now=clock.now())
    letter = draft(letters, clock, second)
    words = pdf_words(letter.files[1].content)
    assert "Blue Cross and Blue Shield of North Carolina" in words
    assert "BCBS NC" not in words
    document = docx.Document(io.BytesIO(letter.files[0].content))
    addressed = [p.text for p in document.paragraphs if "Attn: Appeals" in p.text]
    assert addressed[0].startswith("Blue Cross and Blue Shield of North Carolina\nAttn: Appeals")


def test_a_rule_gone_from_the_rules_file_is_found_again_by_the_payers_id(
    sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock, letters: AppealLetters
) -> None:
    # Aetna's id under a name no rule knows: the import chose Aetna's rule by the id
    denial_id = load(sessions, rulebook, clock, denied("AX1"), payer="ACME HEALTH PLAN")
    with sessions() as session, session.begin():
        session.get_one(Denial, denial_id).rule_key = "retired-rule"

    words = pdf_words(draft(letters, clock, denial_id).files[1].content)
    assert "Acme Health Plan" in words
    assert "Availity" in words  # Aetna's portal: the rule matched by the remittance's payer id


def test_a_documentation_letter_says_when_the_payer_asked_for_the_records(
    sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock, letters: AppealLetters
) -> None:
    context = ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=TODAY
    )
    for claim in ("DOC1", "DOC2"):
        rfai = make_277(
            [
                ClaimSpec277(
                    number=claim,
                    payer_claim=f"ICN-{claim}",
                    stc=["R4:11504-8::LOI*20261002"],
                    due="20261101",
                )
            ],
            payer="AETNA",
            payer_id="60054",
            created="20261002",
        )
        assert import_file(rfai, context, file_name=f"rfai-{claim}.277").requests == 1
    with sessions() as session:
        late = session.scalars(
            select(DocumentationRequest).where(DocumentationRequest.claim_number == "DOC2")
        ).one()
    WorkItems(sessions, rulebook.payer_rules).mark_sent(
        late.id,
        late.version,
        sent_on=date(2026, 11, 4),
        method="fax",
        reference=None,
        actor=MARIA,
        now=clock.now(),
    )
    load(sessions, rulebook, clock, denied("DOC1", carc="252"), denied("DOC2", carc="252"))
    with sessions() as session:
        ids = {d.claim_number: d.id for d in session.scalars(select(Denial))}

    never = pdf_words(draft(letters, clock, ids["DOC1"]).files[1].content)
    assert "The records were asked for on Oct 2, 2026 and are sent with this letter." in never
    sent = pdf_words(draft(letters, clock, ids["DOC2"]).files[1].content)
    assert (
        "The records were asked for on Oct 2, 2026 and were sent on Nov 4, 2026; they are sent "
        "again with this letter."
    ) in sent


def test_a_timely_filing_letter_cites_the_acceptance_a_277ca_reported(
    sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock, letters: AppealLetters
) -> None:
    context = ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=TODAY
    )

    def acknowledgement(day: str) -> bytes:
        claim = ClaimSpec277(number="TF1", payer_claim=None, stc=[f"A2:20:PR*{day}*WQ*100"])
        return make_277([claim], guide=ACK, payer="AVAILITY", payer_id="030240928", created=day)

    # accepted on Oct 3, the same acceptance sent again in another file, a later status
    for day, name in (("20261003", "a.277"), ("20261003", "b.277"), ("20261020", "c.277")):
        data = acknowledgement(day).replace(b"REF20", f"REF{name}".encode())  # another BHT03
        assert import_file(data, context, file_name=name).status == "imported"
    with sessions() as session:
        assert session.scalars(select(ClaimAcceptance.accepted_on)).all() == [
            date(2026, 10, 3),
            date(2026, 10, 20),
        ]
    other = load(sessions, rulebook, clock, denied("TF2", carc="29"))
    denial_id = load(sessions, rulebook, clock, denied("TF1", carc="29"))

    words = pdf_words(draft(letters, clock, denial_id).files[1].content)
    assert "The clearinghouse report shows the claim accepted on Oct 3, 2026" in words
    assert "accepted on Oct 3" not in pdf_words(draft(letters, clock, other).files[1].content)


def test_the_slack_copy_leaves_the_patient_out_under_minimal(
    sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock, letters: AppealLetters
) -> None:
    denial_id = load(sessions, rulebook, clock, denied("5101Z88001"))

    letter = draft(letters, clock, denial_id)

    assert letter.without_phi
    document = docx.Document(io.BytesIO(letter.files[0].content))
    texts = [p.text for p in document.paragraphs] + [
        c.text for t in document.tables for r in t.rows for c in r.cells
    ]
    for content in ("\n".join(texts), pdf_words(letter.files[1].content)):
        assert "TESTPATIENT" not in content
        assert "ZZT0001" not in content
        assert "patient name" in content


def test_after_a_lost_appeal_the_draft_is_the_next_level(
    sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock, letters: AppealLetters
) -> None:
    denial_id = load(sessions, rulebook, clock, denied("M1"), payer="MEDICARE PART B")
    appeals = Appeals(sessions, (), rulebook.payer_rules)
    form = AppealForm(
        level="redetermination", method="mail", sent_on=date(2026, 11, 2), reference="R-9"
    )
    appeals.log_appeal(denial_id, None, form, MARIA, clock.now())

    reprint = draft(letters, clock, denial_id)  # waiting for a decision: the same level again
    appeals.record_outcome(denial_id, None, Outcome("lost", date(2026, 11, 20)), MARIA, clock.now())
    second = draft(letters, clock, denial_id)

    assert (reprint.level.number, reprint.frame) == (1, "frame_medicare_redetermination.txt")
    assert (second.level.number, second.frame) == (2, "frame_medicare_reconsideration.txt")
    words = pdf_words(second.files[1].content)
    assert "second-level Medicare appeal" in words
    assert "reference R-9" in words
    assert "Nov 20, 2026" in words


def test_no_appeal_rights_and_closed_denials_get_no_letter(
    sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock, letters: AppealLetters
) -> None:
    unprocessable = load(
        sessions, rulebook, clock, denied("U1", carc="16", remark="MA130"), payer="MEDICARE PART B"
    )
    with pytest.raises(ConflictError, match="no appeal rights \\(MA130\\)"):
        draft(letters, clock, unprocessable)

    paid_later = load(sessions, rulebook, clock, denied("P1"))
    Appeals(sessions, (), rulebook.payer_rules).mark_paid(
        paid_later, None, Decimal(100), MARIA, clock.now()
    )
    with pytest.raises(ConflictError, match="closed"):
        draft(letters, clock, paid_later)

    with pytest.raises(ConflictError, match="no longer in the database"):
        draft(letters, clock, 999_999)
    with sessions() as session:
        assert not session.scalars(select(AuditEvent).where(AuditEvent.action == "letter")).all()


def test_written_files_never_replace_an_earlier_draft(
    sessions: sessionmaker[Session],
    rulebook: Rulebook,
    clock: Clock,
    letters: AppealLetters,
    tmp_path: Path,
) -> None:
    denial_id = load(sessions, rulebook, clock, denied("5101Z88001"))
    letter = draft(letters, clock, denial_id, to="file")
    (tmp_path / "appeal-5101Z88001-level1.docx").write_bytes(b"edited by staff")

    paths = write_files(letter, tmp_path)

    assert [p.name for p in paths] == [
        "appeal-5101Z88001-level1-2.docx",
        "appeal-5101Z88001-level1.pdf",
    ]
    assert (tmp_path / "appeal-5101Z88001-level1.docx").read_bytes() == b"edited by staff"


def test_slack_draft_keeps_the_complete_letter_in_the_letters_folder(
    sessions: sessionmaker[Session],
    rulebook: Rulebook,
    clock: Clock,
    letters: AppealLetters,
    tmp_path: Path,
) -> None:
    denial_id = load(sessions, rulebook, clock, denied("5101Z88001"))

    draft_for_slack = letters.draft_for_slack(
        denial_id,
        actor=MARIA.key,
        now=clock.now(),
        today=TODAY,
        phi=PhiMode.MINIMAL,
        letters_dir=tmp_path,
    )

    assert draft_for_slack.without_patient
    assert draft_for_slack.saved_files == (
        "appeal-5101Z88001-level1.docx",
        "appeal-5101Z88001-level1.pdf",
    )
    assert "TESTPATIENT" in pdf_words((tmp_path / "appeal-5101Z88001-level1.pdf").read_bytes())
    assert "TESTPATIENT" not in pdf_words(draft_for_slack.letter.files[1].content)


def test_denials_letter_writes_the_complete_letter_where_asked(
    sessions: sessionmaker[Session],
    rulebook: Rulebook,
    clock: Clock,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    load(sessions, rulebook, clock, denied("5101Z88001", carc="50"))
    monkeypatch.setenv("DENIALS_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)

    code = main(
        ["letter", "5101z88001", "--out", str(tmp_path / "letters"), "--today", "2026-11-30"]
    )
    out, err = capsys.readouterr()

    assert code == 0, err
    assert "claim 5101Z88001 (Reconsideration (first-level appeal), Medical necessity" in out
    assert "Letter of medical necessity signed by the treating provider" in out
    pdf = tmp_path / "letters" / "appeal-5101Z88001-level1.pdf"
    assert "TESTPATIENT" in pdf_words(pdf.read_bytes())

    code = main(["letter", "NOPE"])
    assert code == 1
    assert "couldn't find claim NOPE" in capsys.readouterr().err
