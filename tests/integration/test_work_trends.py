"""`/denials trends` counts the records requests and rejections from the database: requests
answered on time, late or never, those that turned into denials (a late answer included), and
the period's front-end rejections by reason (issue 15 item 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.work_rows import trends_lines
from bot.domain.actor import Actor
from bot.domain.rulebook import Rulebook
from bot.domain.trend_periods import Span
from bot.services.importing import ImportContext, import_file
from bot.services.trends import trends_report
from bot.services.work_items import WorkItems
from storage.models import DocumentationRequest
from tests.support.x277 import ACK, ClaimSpec, make_277
from tests.support.x835 import ClaimSpec as Claim835
from tests.support.x835 import Line, make_835

TODAY = date(2026, 11, 30)
MARIA = Actor("T1", "UMARIA")


def load(sessions: sessionmaker[Session], rulebook: Rulebook, data: bytes, day: date) -> None:
    context = ImportContext(
        sessions=sessions,
        rulebook=rulebook,
        actor="cli:test",
        now=datetime.combine(day, time(15), UTC),
        today=day,
    )
    assert import_file(data, context, file_name=f"{day}.x12").status == "imported"


def rfai(day: date, due: date, *claims: str) -> bytes:
    d8 = day.strftime("%Y%m%d")
    return make_277(
        [
            ClaimSpec(
                number=claim,
                payer_claim=f"ICN-{claim}",
                stc=[f"R4:11504-8::LOI*{d8}"],
                due=due.strftime("%Y%m%d"),
            )
            for claim in claims
        ],
        payer="AETNA",
        payer_id="60054",
        created=d8,
    )


def co_252(*claims: tuple[str, str]) -> bytes:
    return make_835(
        [
            Claim835(
                number=claim,
                payer_claim=f"ICN-{claim}",
                billed=amount,
                lines=[Line(billed=amount, paid="0", cas=[("CO", "252", amount)])],
            )
            for claim, amount in claims
        ],
        production_date="20261127",
        payment_date="20261127",
    )


def test_requests_answered_on_time_late_or_never_and_rejections_by_reason(
    sessions: sessionmaker[Session], rulebook: Rulebook
) -> None:
    work = WorkItems(sessions, rulebook.payer_rules)
    load(sessions, rulebook, rfai(date(2026, 10, 1), date(2026, 10, 31), "OLD"), date(2026, 10, 1))
    load(
        sessions,
        rulebook,
        rfai(date(2026, 11, 5), date(2026, 11, 20), "R-ON", "R-LATE", "R-NEVER", "R-WD"),
        date(2026, 11, 5),
    )
    with sessions() as session:
        ids = {r.claim_number: r.id for r in session.scalars(select(DocumentationRequest))}
    now = datetime(2026, 11, 26, 15, tzinfo=UTC)
    for claim, sent in (("R-ON", date(2026, 11, 20)), ("R-LATE", date(2026, 11, 24))):
        work.mark_sent(
            ids[claim], None, sent_on=sent, method="fax", reference=None, actor=MARIA, now=now
        )
    work.withdraw(ids["R-WD"], None, "claim voided", MARIA, now)
    load(
        sessions,
        rulebook,
        make_277(
            [
                ClaimSpec(number="CLM-1", payer_claim=None, stc=["A7:562:85*20261110*U*100"]),
                ClaimSpec(number="CLM-2", payer_claim=None, stc=["A7:562:85*20261110*U*80"]),
                ClaimSpec(number="CLM-3", payer_claim=None, stc=["A6:153:IL*20261110*U*60"]),
            ],
            guide=ACK,
            payer="UNITEDHEALTHCARE",
            payer_id="87726",
            created="20261110",
        ),
        date(2026, 11, 10),
    )
    # the payer denies the late one and the never-sent one for missing records
    load(sessions, rulebook, co_252(("R-LATE", "300"), ("R-NEVER", "200")), date(2026, 11, 27))

    trends = trends_report(sessions, span=Span(30, "d"), dimension="payer", today=TODAY)
    work_counts = trends.work
    assert work_counts is not None
    assert (
        work_counts.requests_received,
        work_counts.answered_on_time,
        work_counts.answered_late,
        work_counts.unanswered,
        work_counts.turned_into_denials,
        work_counts.denied_amount,
    ) == (4, 1, 1, 1, 2, Decimal("500.00"))
    assert work_counts.rejections_received == 3
    assert work_counts.reasons == (
        ("Invalid: billing provider's National Provider Identifier (NPI)", 2),
        ("Missing: insured or subscriber's id number", 1),
    )

    lines = trends_lines(work_counts)
    assert (
        "*Records requests:* 4 received · 1 answered on time · 1 late · 1 not answered"
        " · 2 turned into denials ($500.00)"
    ) in lines
    assert lines.splitlines()[1] == (
        "*Front-end rejections:* 3: Invalid: billing provider's National Provider Identifier"
        " (NPI) 2 · Missing: insured or subscriber's id number 1"
    )
