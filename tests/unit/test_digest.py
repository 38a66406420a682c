"""The Monday digest as numbers: what counts as new, open, due, overdue, aged and repeated."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bot.domain.digest import (
    AppealFact,
    DenialFact,
    DigestSummary,
    FixFact,
    Week,
    age_bucket,
    period_before,
    summarize,
)
from bot.domain.findings import RootCause
from bot.domain.measures import Amount, Measures

MONDAY = date(2026, 11, 30)
START, END = period_before(MONDAY)
AUTH_KEY = "id:60054|authorization|CO-197|1497758544"


def fact(**changes: Any) -> DenialFact:
    values: dict[str, Any] = {
        "payer_name": "Aetna",
        "category": RootCause.AUTHORIZATION,
        "category_source": "auto",
        "status": "new",
        "assignee": None,
        "denied_amount": Decimal("100.00"),
        "recovered_amount": None,
        "denial_date": date(2026, 11, 20),
        "deadline": date(2027, 3, 1),
        "created_on": date(2026, 11, 24),
        "closed_on": None,
        "pattern_key": AUTH_KEY,
        "provider": "LEE DANA",
    }
    values.update(changes)
    return DenialFact(**values)


NOW = Measures(
    today=MONDAY,
    open=Amount(61, Decimal("21400")),
    not_started=66,
    needs_owner=4,
    to_confirm=67,
    due_this_week=Amount(7, Decimal("2560")),
    overdue=Amount(2, Decimal("310")),
    lapsed=Amount(212, Decimal("48120")),
)


def digest(
    denials: list[DenialFact], appeals: Any = (), fixes: Any = (), today: date = MONDAY
) -> DigestSummary:
    return summarize(denials, appeals, fixes, Week(START, END, today), NOW)


def test_the_digest_covers_the_seven_days_before_it_is_due() -> None:
    assert period_before(MONDAY) == (date(2026, 11, 23), date(2026, 11, 29))


def test_new_means_imported_last_week_counted_by_root_cause_and_payer() -> None:
    summary = digest(
        [
            fact(created_on=date(2026, 11, 23)),
            fact(created_on=date(2026, 11, 29), denied_amount=Decimal("50")),
            fact(created_on=date(2026, 11, 25), payer_name="Cigna", category=RootCause.CODING),
            fact(created_on=date(2026, 11, 22)),  # the week before: not new
            fact(created_on=date(2026, 11, 30)),  # this morning: next week's
            fact(created_on=date(2026, 11, 24), status="superseded"),  # replaced by another
        ]
    )
    assert (summary.new.count, summary.new.amount) == (3, Decimal("250.00"))
    assert [(c, t.count) for c, t in summary.new_by_cause] == [
        (RootCause.AUTHORIZATION, 2),
        (RootCause.CODING, 1),
    ]
    assert [(p, t.count, t.amount) for p, t in summary.new_by_payer] == [
        ("Aetna", 2, Decimal("150.00")),
        ("Cigna", 1, Decimal("100.00")),
    ]


def test_recovered_is_counted_by_what_was_paid_in_the_week() -> None:
    summary = digest(
        [
            fact(),
            fact(status="recovered", closed_on=date(2026, 11, 26), recovered_amount=Decimal(80)),
        ]
    )
    assert (summary.recovered.count, summary.recovered.amount) == (1, Decimal("80"))
    assert summary.now is NOW  # open work today is counted by bot.services.measures


def test_open_dollars_are_aged_from_the_denial_date() -> None:
    assert [age_bucket(d) for d in (0, 30, 31, 60, 61, 90, 91, 400)] == [
        "0–30",
        "0–30",
        "31–60",
        "31–60",
        "61–90",
        "61–90",
        "90+",
        "90+",
    ]
    summary = digest(
        [
            fact(denial_date=MONDAY - timedelta(days=5)),
            fact(denial_date=MONDAY - timedelta(days=45), denied_amount=Decimal(20)),
            fact(denial_date=MONDAY - timedelta(days=200), denied_amount=Decimal(7)),
            fact(denial_date=MONDAY - timedelta(days=200), status="written_off"),
        ]
    )
    assert [(k, t.amount) for k, t in summary.aging] == [
        ("0–30", Decimal("100.00")),
        ("31–60", Decimal(20)),
        ("61–90", Decimal(0)),
        ("90+", Decimal(7)),
    ]


def test_appeals_sent_and_outcomes_decided_last_week() -> None:
    appeals = [
        AppealFact("appeal", date(2026, 11, 24)),
        AppealFact("corrected", date(2026, 11, 25)),
        AppealFact("appeal", date(2026, 11, 2), "won", date(2026, 11, 27)),
        AppealFact("appeal", date(2026, 11, 2), "lost", date(2026, 11, 23)),
        AppealFact("appeal", date(2026, 11, 2), "won", date(2026, 11, 30)),  # this week's
    ]
    summary = digest([], appeals)
    assert (summary.appeals_sent, summary.corrected_sent) == (1, 1)
    assert (summary.won, summary.lost, summary.partial) == (1, 1, 0)


def test_top_repeat_patterns_in_90_days_show_when_a_fix_was_recorded() -> None:
    other = "id:62308|eligibility|CO-27|-"
    denials = [fact() for _ in range(4)]
    denials += [fact(pattern_key=other, payer_name="Cigna", provider=None) for _ in range(2)]
    denials.append(fact(pattern_key="once|coding|CO-4|-"))
    denials.append(fact(pattern_key=other, denial_date=MONDAY - timedelta(days=91)))
    fixes = [FixFact(AUTH_KEY, date(2026, 11, 3)), FixFact(AUTH_KEY, date(2026, 10, 1))]
    summary = digest(denials, fixes=fixes)
    assert [(p.payer_name, p.category, p.code, p.count, p.fixed_on) for p in summary.patterns] == [
        ("Aetna", RootCause.AUTHORIZATION, "CO-197", 4, date(2026, 11, 3)),
        ("Cigna", RootCause.ELIGIBILITY, "CO-27", 2, None),
    ]
