"""Bounds at the edge, against the database: what a person types that no claim could mean is
refused with what to do, stores nothing and (for a long word) asks the database nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.plain_text import render_text
from bot.clock import Clock
from bot.commands.replies import CommandContext
from bot.commands.table import answer
from bot.domain.actor import Actor
from bot.domain.rulebook import Rulebook
from bot.errors import InputError
from bot.services.appeals import Appeals
from bot.services.claim_search import lookup_claim
from bot.services.importing import ImportContext, import_file
from bot.services.triage import AppealForm
from bot.services.work_items import WorkItems
from storage.models import Appeal, AuditEvent, Denial, DocumentationRequest
from tests.integration.test_appeals_and_outcomes import Directory
from tests.support.x835 import denied, make_835

MARIA = "UMARIA"
TODAY = date(2026, 11, 30)
CLAIM = "77777777"
Typed = Callable[[str], str]


@pytest.fixture
def appeals(sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock) -> Appeals:
    context = ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=TODAY
    )
    outcome = import_file(make_835([denied(CLAIM, amount="72232")]), context, file_name="a.835")
    assert outcome.status == "imported"
    return Appeals(sessions, (), rulebook.payer_rules)


@pytest.fixture
def typed(
    appeals: Appeals, sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock
) -> Typed:
    def run(text: str) -> str:
        context = CommandContext(
            sessions=sessions,
            rulebook=rulebook,
            clock=clock.on(TODAY),
            appeals=appeals,
            actor=Actor("T1", MARIA),
            people=Directory(),
        )
        reply = answer(text, context)
        assert reply.message is not None
        return render_text(reply.message.blocks)

    return run


def stored(sessions: sessionmaker[Session]) -> tuple[int, int, str, Decimal | None]:
    with sessions() as session:
        denial = session.scalars(select(Denial)).one()
        events = len(session.scalars(select(AuditEvent)).all())
        appeals = len(session.scalars(select(Appeal)).all())
        return events, appeals, denial.status, denial.recovered_amount


@contextmanager
def statements(sessions: sessionmaker[Session]) -> Iterator[list[str]]:
    """The SQL statements run meanwhile."""
    seen: list[str] = []
    engine = sessions.kw["bind"]

    def count(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_level_out_of_range_is_refused_not_read_as_the_reference(
    typed: Typed, sessions: sessionmaker[Session]
) -> None:
    before = stored(sessions)
    reply = typed(f"appeal {CLAIM} 99 portal")
    assert "Level 99 is not an appeal level: use 1 to 5" in reply
    assert stored(sessions) == before


def test_a_long_reference_number_is_still_a_reference(
    typed: Typed, sessions: sessionmaker[Session]
) -> None:
    typed(f"appeal {CLAIM} portal 123456 sent today")
    with sessions() as session:
        appeal = session.scalars(select(Appeal)).one()
        assert (appeal.level, appeal.method, appeal.reference) == ("1", "portal", "123456")


def test_an_amount_above_what_was_billed_needs_confirming(
    typed: Typed, sessions: sessionmaker[Session]
) -> None:
    typed(f"appeal {CLAIM} 1 portal")
    before = stored(sessions)

    reply = typed(f"outcome {CLAIM} won 999999999999")

    assert "$999,999,999,999.00 is more than the $72,232.00 billed for claim 77777777" in reply
    assert f"/denials outcome {CLAIM} won 999999999999.00 confirm" in reply
    assert stored(sessions) == before

    typed(f"outcome {CLAIM} won 80000 confirm")
    assert stored(sessions)[2:] == ("recovered", Decimal("80000.00"))


@pytest.mark.parametrize(
    ("word", "says"),
    [
        ("1e309", "1e309 is not an amount"),
        ("NaN", "NaN is not an amount"),
        ("inf", "inf is not an amount"),
        ("-5", "-5 is not an amount"),
        ("0", "0 is not more than zero"),
        ("99999999999999", "more than any claim could be"),
    ],
)
def test_amounts_no_claim_could_have_are_refused_politely(
    typed: Typed, sessions: sessionmaker[Session], word: str, says: str
) -> None:
    typed(f"appeal {CLAIM} 1 portal")
    before = stored(sessions)
    assert says in typed(f"outcome {CLAIM} partial {word}")
    assert stored(sessions) == before


@pytest.mark.parametrize("length", [51, 2_000, 10_000])
def test_a_long_claim_word_is_refused_without_asking_the_database(
    typed: Typed, sessions: sessionmaker[Session], length: int
) -> None:
    with statements(sessions) as seen:
        reply = typed("find " + "7" * length)
    assert seen == []
    assert f"{length + 5:,} characters" in reply or f"{length:,} characters long" in reply


def test_a_claim_search_for_a_long_word_costs_no_query(
    appeals: Appeals, sessions: sessionmaker[Session]
) -> None:
    """The CLI and the audit reader look claims up too: PostgreSQL refused 10,000 probes
    ("target lists can have at most 1664 entries")."""
    with statements(sessions) as seen:
        found = lookup_claim(sessions, "7" * 10_000)
    assert (seen, found.matches, found.similar) == ([], (), ())


def test_the_use_cases_refuse_what_no_form_offers(
    appeals: Appeals, sessions: sessionmaker[Session], clock: Clock
) -> None:
    actor, now = Actor("T1", MARIA), clock.now()
    with sessions() as session:
        denial_id = session.scalars(select(Denial.id)).one()
    for form, says in [
        (AppealForm(level="99", method="portal", sent_on=TODAY), "Level `99`"),
        (AppealForm(level="1", method="pigeon", sent_on=TODAY), "`pigeon` is not a way"),
        (AppealForm(level="1", method=None, sent_on=TODAY, reference="x" * 101), "reference"),
    ]:
        with pytest.raises(InputError, match=says):
            appeals.log_appeal(denial_id, None, form, actor, now)
    for who in ("<!channel>", "<@U123>", "maria", ""):
        with pytest.raises(InputError, match="is not a person"):
            appeals.assign(denial_id, None, who, actor, now)
    with pytest.raises(InputError, match="billed for claim"):
        appeals.mark_paid(denial_id, None, Decimal("72232.01"), actor, now)
    assert stored(sessions)[:2] == (0, 0)


def test_a_records_request_form_with_words_no_claim_could_have_stores_nothing(
    sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock
) -> None:
    work = WorkItems(sessions, rulebook.payer_rules)
    for claim, what, payer, says in [
        ("7" * 51, None, None, "no claim number is longer than 50"),
        ("A1", "x" * 2001, None, "at most 2,000 fit"),
        ("A1", None, "p" * 101, "at most 100 fit"),
    ]:
        with pytest.raises(InputError, match=says):
            work.log_request(
                claim,
                due=None,
                what=what,
                payer_name=payer,
                actor=Actor("T1", MARIA),
                now=clock.now(),
                today=TODAY,
            )
    with sessions() as session:
        assert session.scalars(select(DocumentationRequest)).all() == []
