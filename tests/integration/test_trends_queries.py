"""`/denials trends` from the database: the periods, the denominator of the denial rate, the
appeal figures, each breakdown, and the manager's answer with its chart."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.plain_text import render_text
from bot.clock import Clock
from bot.commands.replies import CommandContext, Everyone, Reply
from bot.commands.table import answer
from bot.domain.trend_periods import Span
from bot.domain.trends import Trends
from bot.services.appeals import Appeals, Outcome
from bot.services.importing import ImportContext, import_file
from bot.services.rulebook import Rulebook
from bot.services.trends import trends_report
from bot.services.triage import Actor, AppealForm
from storage.models import Denial
from tests.support.x835 import ClaimSpec, Line, denied, make_835, paid

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 17, tzinfo=UTC)
MANAGER = Actor("T1", "UMANAGER", is_manager=True)
Sessions = sessionmaker[Session]
THIRTY_DAYS = Span(30, "d")


@pytest.fixture
def appeals(sessions: Sessions, rulebook: Rulebook) -> Appeals:
    return Appeals(sessions, ("UMANAGER",), rulebook.payer_rules)


@pytest.fixture
def remit(sessions: Sessions, rulebook: Rulebook, clock: Clock) -> Callable[..., None]:
    def load(day: str, *claims: ClaimSpec, payer: str = "AETNA", payer_id: str = "60054") -> None:
        data = make_835(
            list(claims), payer=payer, payer_id=payer_id, production_date=day, payment_date=day
        )
        context = ImportContext(
            sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=TODAY
        )
        assert import_file(data, context, file_name=f"{payer}-{day}.835").status == "imported"

    return load


@pytest.fixture
def practice(remit: Callable[..., None], appeals: Appeals, sessions: Sessions) -> None:
    """Two months of remittances, three appeals."""
    coded = ClaimSpec(
        number="A1",
        billed="100",
        lines=[Line(code="99213", modifiers=["25"], billed="100", cas=[("CO", "197", "100")])],
    )
    remit(
        "20261110",
        coded,
        denied("A2", carc="16", amount="200"),
        paid("A3", "300"),
        paid("A4", "400"),
    )
    remit("20261120", denied("C1", amount="50"), paid("C2", "150"), payer="CIGNA", payer_id="62308")
    remit("20261015", denied("A5", amount="100"), paid("A6", "100"))
    remit("20260901", denied("OLD", amount="999"))
    with sessions() as session:
        ids = {d.claim_number: d.id for d in session.scalars(select(Denial))}
    for claim, sent in (("A1", 15), ("A5", 1), ("C1", 22)):
        form = AppealForm(level="1", method="portal", sent_on=date(2026, 11, sent))
        appeals.log_appeal(ids[claim], None, form, MANAGER, NOW)
    appeals.record_outcome(ids["A1"], None, Outcome("won", date(2026, 11, 25)), MANAGER, NOW)
    appeals.record_outcome(ids["A5"], None, Outcome("lost", date(2026, 11, 20)), MANAGER, NOW)


def report(sessions: Sessions, dimension: str = "payer", span: Span = THIRTY_DAYS) -> Trends:
    with sessions() as session:
        return trends_report(session, span=span, dimension=dimension, today=TODAY)  # type: ignore[arg-type]


@pytest.mark.usefixtures("practice")
def test_counts_and_dollars_by_payer_against_the_previous_period(sessions: Sessions) -> None:
    trends = report(sessions)
    assert [(r.key, r.count, r.amount, r.previous_count) for r in trends.rows] == [
        ("AETNA", 2, Decimal("300.00"), 1),
        ("CIGNA", 1, Decimal("50.00"), 0),
    ]
    assert (trends.count, trends.amount, trends.previous_count) == (3, Decimal("350.00"), 1)


@pytest.mark.usefixtures("practice")
def test_denial_rate_counts_every_claim_imported_in_the_period(sessions: Sessions) -> None:
    trends = report(sessions)
    assert (trends.claim_rate.part, trends.claim_rate.whole) == (3, 6)
    assert (trends.dollar_rate.part, trends.dollar_rate.whole) == (35000, 120000)
    assert (trends.previous_claim_rate.part, trends.previous_claim_rate.whole) == (1, 2)


@pytest.mark.usefixtures("practice")
def test_appeal_figures_for_the_period(sessions: Sessions) -> None:
    trends = report(sessions)
    assert (trends.overturn.part, trends.overturn.whole) == (1, 2)
    assert trends.recovered == Decimal("100.00")
    assert (trends.median_days_to_appeal, trends.appeals_sent) == (5.0, 3)


@pytest.mark.usefixtures("practice")
@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        ("category", {"authorization": 2, "claim_data": 1}),
        ("cpt", {"99213": 3}),
        ("carc", {"CO-197": 2, "CO-16": 1}),
        ("provider", {"LEE, DANA": 3}),
    ],
)
def test_each_breakdown(sessions: Sessions, dimension: str, expected: dict[str, int]) -> None:
    trends = report(sessions, dimension)
    assert {r.key: r.count for r in trends.rows if r.count} == expected


@pytest.mark.usefixtures("practice")
def test_twelve_months_reach_back_a_year(sessions: Sessions) -> None:
    trends = report(sessions, span=Span(12, "m"))
    assert trends.count == 5
    assert len(trends.weeks) == 52


@pytest.mark.usefixtures("practice")
def test_a_manager_asks_and_gets_the_summary_and_a_chart(
    sessions: Sessions, rulebook: Rulebook, clock: Clock, appeals: Appeals
) -> None:
    context = CommandContext(
        sessions=sessions,
        rulebook=rulebook,
        clock=clock,
        appeals=appeals,
        actor=MANAGER,
        people=Everyone(),
    )
    reply: Reply = answer("trends 30d by payer", context)

    assert reply.message is not None
    shown = render_text(reply.message.blocks)
    assert "Denial trends · last 30 days · by payer" in shown
    assert "3 denials · $350.00" in shown
    assert "50.0% of claims · 29.2% of dollars" in shown
    assert "50.0% (1 of 2 decided)" in shown
    assert "median 5 days (3 appeals)" in shown
    assert "The weekly chart is in your direct messages with me." in shown
    assert reply.chart is not None
    assert reply.chart.content.startswith(b"\x89PNG")
