"""277 files through the real import: requests and rejections stored once, whole, dated."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.domain.rulebook import Rulebook
from bot.services.importing import ImportContext, import_file
from bot.services.status_links import link_missing_records
from storage.models import (
    AuditEvent,
    ClaimRejection,
    Denial,
    DocumentationRequest,
    ImportFile,
    RequestDenial,
    SlackPost,
)
from tests.conftest import DATA
from tests.support.x277 import ACK, STATUS, ClaimSpec, make_277
from tests.support.x835 import ClaimSpec as Claim835
from tests.support.x835 import Line, make_835

X12 = DATA / "x12"
SYNTHETIC = X12 / "synthetic" / "277"


@pytest.fixture
def context(sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock) -> ImportContext:
    return ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=clock.today()
    )


def requests(sessions: sessionmaker[Session]) -> list[DocumentationRequest]:
    with sessions() as session:
        return list(session.scalars(select(DocumentationRequest).order_by(DocumentationRequest.id)))


def rejections(sessions: sessionmaker[Session]) -> list[ClaimRejection]:
    with sessions() as session:
        return list(session.scalars(select(ClaimRejection).order_by(ClaimRejection.id)))


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


# -- each transaction type from its test files ----------------------------------------------

EXPECTED = {
    # file: (documentation requests by claim, rejections by claim / level)
    "lfh_277_claim-level-status.277": (["SM123456"], []),
    "lfh_277_claim-level-status-ncpdp.277": ([], []),
    "lfh_277_information-receiver-level-status.277": ([], []),
    "lfh_277_provider-level-status.277": (["SM123456"], []),
    "stupidedi_277ca_business-scenario-1.277": ([], ["DOE0221", "VEST0303"]),
    "stupidedi_277ca_business-scenario-2.277": ([], ["batch"]),
    "stupidedi_277ca_business-scenario-3.277": ([], ["PATIENT33333", "JONES44444"]),
    "stupidedi_277ca_business-scenario-4.277": ([], ["PATIENT33333", "JONES44444", "provider"]),
    "synthetic/277/rfai_medicare_adr.277": (["ADR1001", "ADR1002"], []),
    "synthetic/277/rfai_aetna.277": (["AET2001", "AET2002"], []),
    "synthetic/277/status_unsolicited_4010.277": (["CIG4001", "CIG4003"], []),
    "synthetic/277/ack_rejections.277": ([], ["CLM3001", "CLM3002", "CLM3004"]),
    "synthetic/277/ack_accepts_corrected.277": ([], []),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_277_file_imports_its_requests_and_rejections(
    context: ImportContext, sessions: sessionmaker[Session], name: str
) -> None:
    outcome = import_file(X12 / name, context)
    assert outcome.status == "imported", outcome.summary_line()
    assert outcome.source == "277"
    expected_requests, expected_rejections = EXPECTED[name]
    assert [r.claim_number for r in requests(sessions)] == expected_requests
    assert [r.claim_number or r.level for r in rejections(sessions)] == expected_rejections
    assert outcome.requests == len(expected_requests)
    assert outcome.rejections == len(expected_rejections)
    # one card waits to be posted for each
    assert count(sessions, SlackPost) == len(expected_requests) + len(expected_rejections)


def test_medicare_adr_dates_and_words(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    import_file(SYNTHETIC / "rfai_medicare_adr.277", context)
    given, by_rule = requests(sessions)
    assert (given.due_date, given.due_source) == (date(2026, 11, 16), "payer")
    assert (by_rule.due_date, by_rule.due_source, by_rule.due_days) == (
        date(2026, 11, 16),
        "rule",
        45,
    )
    assert by_rule.rule_key == "medicare"
    assert given.received_on == date(2026, 10, 2)
    assert given.payer_claim_number == "21926500012301"
    assert [a["words"] for a in given.asks] == [
        "Progress note (LOINC 11506-3)",
        "History and physical note (LOINC 34117-2)",
    ]
    assert by_rule.asks[1] == {
        "code": "R4:18748-4::LOI",
        "words": "Diagnostic imaging study (LOINC 18748-4)",
        "line": "97110",
    }
    assert given.status == "requested"
    assert given.assignee is None


def test_a_rejection_matters_until_the_filing_limit(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    import_file(SYNTHETIC / "ack_rejections.277", context)
    npi, _member, modifier = rejections(sessions)
    assert npi.rule_key == "unitedhealthcare"
    assert npi.resubmit_by == date(2026, 12, 24)  # Sep 25 + 90 days
    assert npi.billed == Decimal(210)
    assert (
        npi.reasons[0]["words"] == "Invalid: billing provider's National Provider Identifier (NPI)"
    )
    assert [r["line"] for r in modifier.reasons] == [None, "99214"]


def test_the_same_file_twice_and_a_resent_copy_change_nothing(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    data = (SYNTHETIC / "rfai_aetna.277").read_bytes()
    first = import_file(data, context, file_name="rfai.277")
    again = import_file(data, context, file_name="rfai.277")
    assert (first.requests, again.status) == (2, "duplicate")
    # the clearinghouse sends it again in a new envelope: another file, the same requests
    resent = data.replace(b"000000001", b"000000777").replace(b"*1200*", b"*1300*")
    outcome = import_file(resent, context, file_name="rfai-resent.277")
    assert outcome.status == "imported"
    assert (outcome.requests, outcome.known) == (0, 2)
    assert "2 already on file" in outcome.summary_line()
    assert len(requests(sessions)) == 2
    assert count(sessions, SlackPost) == 2


def test_the_payer_asking_again_updates_the_open_request(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    import_file(make_277([ClaimSpec(number="P1", due="20261101")]), context, file_name="a.277")
    later = make_277(
        [ClaimSpec(number="P1", stc=["R4:11504-8::LOI*20261020"], due="20261119")],
        created="20261020",
    )
    outcome = import_file(later, context, file_name="b.277")
    assert (outcome.requests, outcome.updated) == (0, 1)
    (request,) = requests(sessions)
    assert request.follow_up
    assert request.due_date == date(2026, 11, 19)
    assert [a["code"] for a in request.asks] == ["R4:11506-3::LOI", "R4:11504-8::LOI"]


def test_a_request_after_the_records_were_sent_is_a_new_one(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    import_file(make_277([ClaimSpec(number="P1")]), context, file_name="a.277")
    with sessions() as session, session.begin():
        request = session.scalars(select(DocumentationRequest)).one()
        request.status = "sent"
    unreadable = make_277([ClaimSpec(number="P1", stc=["R13:11506-3::LOI*20261025"])])
    outcome = import_file(unreadable, context, file_name="b.277")
    assert outcome.requests == 1
    assert [r.status for r in requests(sessions)] == ["sent", "requested"]


def test_an_acceptance_closes_the_earlier_rejection(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    import_file(SYNTHETIC / "ack_rejections.277", context)
    outcome = import_file(SYNTHETIC / "ack_accepts_corrected.277", context)
    assert outcome.accepted == 1
    assert "1 rejection closed: accepted by the payer" in outcome.summary_line()
    closed = [r for r in rejections(sessions) if r.claim_number == "CLM3001"]
    assert [(r.status, r.closed, r.closed_note) for r in closed] == [
        ("closed", True, "accepted by the payer on Oct 10")
    ]
    with sessions() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.rejection_id == closed[0].id)
        ).all()
    assert actions == ["rejected", "closed_by_payer"]


def test_a_malformed_277_stores_nothing(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    outcome = import_file(SYNTHETIC / "malformed" / "mixed_835.277", context)
    assert outcome.status == "refused"
    assert outcome.summary_line().startswith("mixed_835.277 was not imported: segment 25 (ST)")
    for model in (ImportFile, DocumentationRequest, ClaimRejection, SlackPost, AuditEvent):
        assert count(sessions, model) == 0


def test_a_later_records_denial_links_to_the_unanswered_request(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    import_file(
        make_277([ClaimSpec(number="PCN7", payer_claim="ICN7")], payer="AETNA", payer_id="60054"),
        context,
        file_name="rfai.277",
    )
    remit = make_835(
        [
            Claim835(
                number="PCN7",
                payer_claim="ICN7",
                billed="100",
                lines=[Line(billed="100", paid="0", cas=[("CO", "252", "100")])],
            )
        ],
        production_date="20261115",
        payment_date="20261116",
    )
    outcome = import_file(remit, context, file_name="remit.835")
    assert outcome.denials == 1
    with sessions() as session:
        (link,) = session.scalars(select(RequestDenial)).all()
        denial = session.get(Denial, link.denial_id)
        assert denial is not None
        assert denial.claim_number == "PCN7"
    # linking again links nothing twice
    with sessions() as session, session.begin():
        assert link_missing_records(session, context.now, claim_numbers=["PCN7"]) == 0
    assert count(sessions, RequestDenial) == 1


def test_a_denial_for_other_reasons_links_to_nothing(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    import_file(make_277([ClaimSpec(number="PCN8")], payer="AETNA", payer_id="60054"), context)
    remit = make_835(
        [Claim835(number="PCN8", lines=[Line(paid="0", cas=[("CO", "197", "100")])])],
    )
    import_file(remit, context, file_name="remit.835")
    assert count(sessions, RequestDenial) == 0


def test_claim_status_and_acknowledgment_findings_in_one_run(
    context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    data = make_277(
        [
            ClaimSpec(number="S1", stc=["R3:153:82*20261005"]),
            ClaimSpec(number="S2", stc=["F1:65*20261005"]),
        ],
        guide=STATUS,
    )
    assert import_file(data, context, file_name="status.277").requests == 1
    ack = make_277([ClaimSpec(number="S3", stc=["A7:562:85*20261005*U*50"])], guide=ACK)
    assert import_file(ack, context, file_name="ack.277").rejections == 1


@pytest.mark.parametrize(("sent", "closed_as"), [(True, "accepted"), (False, "withdrawn")])
def test_a_later_payment_closes_the_request(
    context: ImportContext, sessions: sessionmaker[Session], sent: bool, closed_as: str
) -> None:
    import_file(
        make_277([ClaimSpec(number="PCN9", payer_claim="ICN9")], payer="AETNA", payer_id="60054"),
        context,
        file_name="rfai.277",
    )
    if sent:
        with sessions() as session, session.begin():
            request = session.scalars(select(DocumentationRequest)).one()
            request.status, request.sent_on = "sent", date(2026, 10, 10)
    remit = make_835(
        [
            Claim835(
                number="PCN9",
                payer_claim="ICN9",
                billed="100",
                paid="100",
                lines=[Line(paid="100")],
            )
        ],
        production_date="20261115",
        payment_date="20261116",
    )
    import_file(remit, context, file_name="remit.835")
    (request,) = requests(sessions)
    assert (request.status, request.closed) == (closed_as, True)
    assert request.closed_note is not None
    assert request.closed_note.startswith("the claim was paid on a remittance of Nov 15")
