"""The use cases behind the controls of requests and rejections: one transaction each,
audited, refused with who did what when someone changed the same thing meanwhile."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.domain.actor import Actor
from bot.domain.rulebook import Rulebook
from bot.errors import ConflictError, DenialsError, InputError
from bot.services.importing import ImportContext, import_file
from bot.services.work_items import WorkItems
from storage.models import AuditEvent, ClaimRejection, Denial, DocumentationRequest, SlackPost
from tests.support.x277 import ACK, ClaimSpec, make_277
from tests.support.x835 import denied, make_835

MARIA = Actor("T1", "UMARIA")
JAMES = Actor("T1", "UJAMES")
NOW = datetime(2026, 11, 30, 15, tzinfo=UTC)
TODAY = date(2026, 11, 30)


@pytest.fixture
def work(sessions: sessionmaker[Session], rulebook: Rulebook) -> WorkItems:
    return WorkItems(sessions, rulebook.payer_rules)


@pytest.fixture
def context(sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock) -> ImportContext:
    return ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=clock.today()
    )


def one(sessions: sessionmaker[Session], model: type) -> object:
    with sessions() as session:
        return session.scalars(select(model)).one()


def test_a_logged_request_takes_the_payer_of_the_claims_denial(
    work: WorkItems, context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    import_file(make_835([denied("PCN1")], payer="CIGNA", payer_id="62308"), context)
    logged = work.log_request(
        "pcn1", due=None, what="op note", payer_name=None, actor=MARIA, now=NOW, today=TODAY
    )
    request = one(sessions, DocumentationRequest)
    assert isinstance(request, DocumentationRequest)
    with sessions() as session:
        claim_payer = session.scalars(select(Denial.payer_id)).one()
    assert (request.payer_name, request.payer_id, request.rule_key) == (
        "Cigna",
        claim_payer,
        "cigna",
    )
    assert request.due_date == date(2026, 12, 30) == logged.due_date  # 30 days from today
    assert request.due_note == "Cigna: 30 days"
    assert (request.billed, request.payer_claim_number) == (100, "ICN1")
    assert request.created_by == "slack:T1:UMARIA"
    with sessions() as session:
        post = session.get(SlackPost, logged.post_id)
        assert post is not None
        assert (post.kind, post.status) == ("request", "pending")
    with pytest.raises(ConflictError, match="already on file"):
        work.log_request(
            "PCN1", due=None, what=None, payer_name=None, actor=JAMES, now=NOW, today=TODAY
        )


def test_an_unknown_claim_is_logged_with_the_payer_given_or_unknown(
    work: WorkItems, sessions: sessionmaker[Session]
) -> None:
    work.log_request(
        "X1",
        due=date(2026, 12, 24),
        what=None,
        payer_name="Medicare Part B",
        actor=MARIA,
        now=NOW,
        today=TODAY,
    )
    work.log_request("X2", due=None, what=None, payer_name=None, actor=MARIA, now=NOW, today=TODAY)
    with sessions() as session:
        given, unknown = session.scalars(
            select(DocumentationRequest).order_by(DocumentationRequest.id)
        )
        assert (given.payer_name, given.due_date, given.due_source) == (
            "Medicare Part B",
            date(2026, 12, 24),
            "payer",
        )
        assert (unknown.payer_name, unknown.rule_key) == ("Unknown payer", "default")


def test_sent_then_a_stale_click_is_refused_with_who_did_it(
    work: WorkItems, sessions: sessionmaker[Session]
) -> None:
    logged = work.log_request(
        "P1", due=None, what=None, payer_name="AETNA", actor=MARIA, now=NOW, today=TODAY
    )
    request = one(sessions, DocumentationRequest)
    assert isinstance(request, DocumentationRequest)
    seen = request.version
    result = work.mark_sent(
        logged.request_id, seen, sent_on=TODAY, method="fax", reference="F1", actor=MARIA, now=NOW
    )
    assert result.note == "<@UMARIA> marked the records sent by fax · ref F1 · Nov 30"
    with pytest.raises(
        DenialsError,
        match="<@UMARIA> changed this while you were looking: marked the records sent",
    ):
        work.withdraw(logged.request_id, seen, None, JAMES, NOW)
    # assigning is another thing: it goes through on the same stale card
    assert work.assign_request(logged.request_id, seen, "UJAMES", JAMES, NOW).note == (
        "<@UJAMES> took it"
    )
    with pytest.raises(ConflictError, match="already marked sent"):
        work.mark_sent(
            logged.request_id,
            None,
            sent_on=TODAY,
            method=None,
            reference=None,
            actor=JAMES,
            now=NOW,
        )
    work.accept(logged.request_id, None, MARIA, NOW)
    with pytest.raises(ConflictError, match=r"accepted\. Reopen it"):
        work.set_due(logged.request_id, None, date(2026, 12, 31), MARIA, NOW)
    work.reopen_request(logged.request_id, None, MARIA, NOW)
    with sessions() as session:
        request = session.get(DocumentationRequest, logged.request_id)
        assert request is not None
        assert (request.status, request.closed, request.sent_on) == ("requested", False, None)
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.request_id == request.id)
            .order_by(AuditEvent.id)
        ).all()
    assert actions == ["requested", "sent", "assign", "accepted", "reopen"]


def test_records_cannot_be_sent_before_they_were_asked_for(
    work: WorkItems,
) -> None:
    logged = work.log_request(
        "P2", due=None, what=None, payer_name="AETNA", actor=MARIA, now=NOW, today=TODAY
    )
    with pytest.raises(InputError, match="before the request"):
        work.mark_sent(
            logged.request_id,
            None,
            sent_on=date(2026, 11, 1),
            method=None,
            reference=None,
            actor=MARIA,
            now=NOW,
        )


def test_a_rejection_is_corrected_closed_and_reopened(
    work: WorkItems, context: ImportContext, sessions: sessionmaker[Session]
) -> None:
    import_file(
        make_277(
            [ClaimSpec(number="C1", payer_claim=None, stc=["A7:562:85*20261127*U*50"])], guide=ACK
        ),
        context,
    )
    rejection = one(sessions, ClaimRejection)
    assert isinstance(rejection, ClaimRejection)
    note = work.mark_corrected(
        rejection.id, rejection.version, on=TODAY, note="NPI fixed", actor=JAMES, now=NOW
    ).note
    assert note == "<@UJAMES> corrected and resubmitted the claim · Nov 30 · NPI fixed"
    work.close_rejection(rejection.id, None, None, JAMES, NOW)
    with pytest.raises(ConflictError, match=r"closed\. Reopen it"):
        work.assign_rejection(rejection.id, None, "UMARIA", MARIA, NOW)
    work.reopen_rejection(rejection.id, None, MARIA, NOW)
    reopened = one(sessions, ClaimRejection)
    assert isinstance(reopened, ClaimRejection)
    assert (reopened.status, reopened.closed, reopened.corrected_on) == ("new", False, None)


def test_a_file_in_a_request_cards_thread_is_attached_once(
    work: WorkItems, sessions: sessionmaker[Session]
) -> None:
    logged = work.log_request(
        "P3", due=None, what=None, payer_name="AETNA", actor=MARIA, now=NOW, today=TODAY
    )
    with sessions() as session, session.begin():
        post = session.get(SlackPost, logged.post_id)
        assert post is not None
        post.channel, post.ts, post.status = "C1", "1700000000.000100", "posted"
    assert (
        work.attach_in_thread(
            "C1", "1699999999.000000", file_id="F1", name="a.pdf", actor=MARIA, now=NOW
        )
        is None
    )
    first = work.attach_in_thread(
        "C1", "1700000000.000100", file_id="F1", name="adr.pdf", actor=MARIA, now=NOW
    )
    again = work.attach_in_thread(
        "C1", "1700000000.000100", file_id="F1", name="adr.pdf", actor=MARIA, now=NOW
    )
    assert first is not None
    assert first.note == "<@UMARIA> attached adr.pdf"
    assert again is None
