"""`/denials trends` from the database: the periods, the denominator of the denial rate, the
appeal figures, each breakdown, and the manager's answer with its chart."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Date, literal, select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.plain_text import render_text
from bot.clock import Clock
from bot.commands.replies import CommandContext, Everyone, Reply
from bot.commands.table import answer
from bot.domain.actor import Actor
from bot.domain.rulebook import Rulebook
from bot.domain.trend_periods import DIMENSIONS, Span
from bot.domain.trends import Trends
from bot.services.appeals import Appeals, Outcome
from bot.services.importing import ImportContext, import_file
from bot.services.trends import DaysBetween, trends_report
from bot.services.triage import AppealForm
from storage.models import Appeal, Denial
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
    return trends_report(sessions, span=span, dimension=dimension, today=TODAY)  # type: ignore[arg-type]


@pytest.mark.usefixtures("practice")
def test_counts_and_dollars_by_payer_against_the_previous_period(sessions: Sessions) -> None:
    trends = report(sessions)
    assert [(r.key, r.count, r.amount, r.previous_count) for r in trends.rows] == [
        ("Aetna", 2, Decimal("300.00"), 1),
        ("Cigna", 1, Decimal("50.00"), 0),
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
def test_every_breakdown_counts_the_same_denials(sessions: Sessions) -> None:
    """The totals come from each breakdown's own rows: codes must not count a denial twice."""
    for span in (THIRTY_DAYS, Span(12, "m")):
        totals = {
            (t.count, t.amount, t.previous_count, t.previous_amount)
            for t in (report(sessions, dimension, span) for dimension in DIMENSIONS)
        }
        assert len(totals) == 1, totals


def test_denials_with_the_same_codes_on_the_same_day_each_count(
    remit: Callable[..., None], sessions: Sessions
) -> None:
    denied_line = [("CO", "197", "100")]
    for number in ("B1", "B2"):  # 99213 twice, once with a modifier: once per denial
        lines = [
            Line(code="99213", modifiers=["25"], cas=denied_line),
            Line(code="99213", cas=denied_line),
            Line(code="97110", cas=denied_line),
        ]
        remit("20261110", ClaimSpec(number=number, billed="300", lines=lines))
    remit("20261110", denied("B3", amount="40"))

    trends = report(sessions, "cpt")
    assert [(r.key, r.count, r.amount) for r in trends.rows] == [
        ("99213", 3, Decimal("640.00")),
        ("97110", 2, Decimal("600.00")),
    ]
    assert (trends.count, trends.amount) == (3, Decimal("640.00"))


def test_appeal_figures_are_cut_to_the_period_and_count_each_denials_first_appeal_once(
    remit: Callable[..., None], sessions: Sessions
) -> None:
    remit("20261110", *(denied(f"D{i}") for i in range(1, 7)))
    sent: list[tuple[str, str, date, str | None, date | None]] = [
        # denial, kind, sent on, outcome, decided on
        ("D1", "appeal", date(2026, 10, 20), "won", date(2026, 10, 31)),  # before the period
        ("D1", "appeal", date(2026, 11, 12), None, None),  # not its first: not counted
        ("D2", "corrected", date(2026, 11, 14), "won", date(2026, 11, 20)),  # not an appeal
        ("D2", "appeal", date(2026, 11, 20), "partial", date(2026, 11, 25)),
        ("D3", "appeal", date(2026, 11, 5), None, None),  # before the denial date: 0 days
        ("D4", "appeal", date(2026, 11, 17), "lost", date(2026, 11, 28)),
        ("D5", "appeal", date(2026, 11, 30), None, None),
        ("D5", "appeal", date(2026, 11, 30), None, None),  # the same day twice: once
    ]
    with sessions.begin() as session:
        ids = {d.claim_number: d.id for d in session.scalars(select(Denial))}
        session.add_all(
            Appeal(
                denial_id=ids[claim],
                kind=kind,
                level="1",
                sent_on=day,
                outcome=outcome,
                outcome_amount=Decimal("30") if outcome in ("won", "partial") else None,
                decided_on=decided,
                created_by="UMANAGER",
                created_at=NOW,
            )
            for claim, kind, day, outcome, decided in sent
        )

    trends = report(sessions)
    overturn = trends.overturn
    assert (overturn.part, overturn.whole, trends.recovered) == (1, 2, Decimal("30.00"))
    # Days from Nov 10 to the first appeal of D2, D3, D4, D5: 4, 0, 7, 20.
    assert (trends.median_days_to_appeal, trends.appeals_sent) == (5.5, 4)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2025, 12, 31), date(2026, 3, 1), 60),  # across a year and February
        (date(2024, 2, 28), date(2024, 3, 1), 2),  # a leap day
        (date(2026, 11, 10), date(2026, 11, 5), -5),
        (date(2026, 11, 10), date(2026, 11, 10), 0),
    ],
)
def test_days_between_two_dates_on_this_backend(
    sessions: Sessions, start: date, end: date, days: int
) -> None:
    between = DaysBetween(literal(start, Date), literal(end, Date))
    with sessions() as session:
        assert session.scalar(select(between)) == days


@pytest.mark.usefixtures("practice")
def test_twelve_months_reach_back_a_year(sessions: Sessions) -> None:
    trends = report(sessions, span=Span(12, "m"))
    assert trends.count == 5
    # Monday-to-Sunday weeks from Dec 1, 2025 (a Monday) to Nov 30, 2026 (a Monday)
    assert len(trends.weeks) == 53
    assert trends.weeks[0] == trends.period.start
    assert all(week.weekday() == 0 for week in trends.weeks)


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
