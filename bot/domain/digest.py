"""The Monday review digest, computed from plain facts (UX.md "Monday digest").

`summarize` is a pure function: the service reads the facts, this module counts them, the
builder draws them. The digest sent on day D covers the seven days before D (Mon–Sun for a
Monday digest); what is open, due and overdue is as of the day it is sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from bot.domain.findings import RootCause
from bot.domain.statuses import ACTIONABLE, CLOSED, COUNTED, DenialStatus
from bot.domain.work_summary import WorkSummary

AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0–30", 0, 30),
    ("31–60", 31, 60),
    ("61–90", 61, 90),
    ("90+", 91, None),
)
PATTERN_WINDOW_DAYS = 90
REPEAT_MIN = 2  # a pattern seen at least twice is a repeat
TOP_PATTERNS = 3

K = TypeVar("K", bound=str)


@dataclass(frozen=True, slots=True, kw_only=True)
class DenialFact:
    payer_name: str
    category: RootCause
    category_source: str  # "auto" until staff choose a root cause
    status: str
    assignee: str | None
    denied_amount: Decimal
    recovered_amount: Decimal | None
    denial_date: date
    deadline: date | None
    created_on: date  # local day it was imported
    closed_on: date | None  # local day it was closed
    pattern_key: str  # payer|category|code|provider
    provider: str | None = None


@dataclass(frozen=True, slots=True)
class AppealFact:
    kind: str  # "appeal" or "corrected"
    sent_on: date
    outcome: str | None = None  # won, lost, partial
    decided_on: date | None = None


@dataclass(frozen=True, slots=True)
class FixFact:
    pattern_key: str
    recorded_on: date


@dataclass(slots=True)
class Tally:
    count: int = 0
    amount: Decimal = field(default_factory=lambda: Decimal(0))

    def add(self, amount: Decimal) -> None:
        self.count += 1
        self.amount += amount


@dataclass(frozen=True, slots=True, kw_only=True)
class PatternLine:
    payer_name: str
    category: RootCause
    code: str  # "CO-197"
    provider: str | None
    count: int
    amount: Decimal
    fixed_on: date | None  # the latest recorded fix


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestSummary:
    period_start: date
    period_end: date  # inclusive
    today: date
    late: bool
    new: Tally
    new_by_cause: tuple[tuple[RootCause, Tally], ...]
    new_by_payer: tuple[tuple[str, Tally], ...]
    recovered: Tally
    written_off: Tally
    open: Tally
    unassigned: int
    uncategorized: int
    due_this_week: Tally
    overdue: Tally
    appeals_sent: int
    corrected_sent: int
    won: int
    lost: int
    partial: int
    aging: tuple[tuple[str, Tally], ...]
    patterns: tuple[PatternLine, ...]
    work: WorkSummary | None = None  # documentation requests and rejections


def period_before(day: date) -> tuple[date, date]:
    """The seven days before `day` (inclusive bounds)."""
    return day - timedelta(days=7), day - timedelta(days=1)


def summarize(
    denials: Iterable[DenialFact],
    appeals: Iterable[AppealFact],
    fixes: Iterable[FixFact],
    *,
    period_start: date,
    period_end: date,
    today: date,
    late: bool = False,
) -> DigestSummary:
    def in_period(day: date | None) -> bool:
        return day is not None and period_start <= day <= period_end

    new, recovered, written_off, open_, due, overdue = (Tally() for _ in range(6))
    by_cause: dict[RootCause, Tally] = defaultdict(Tally)
    by_payer: dict[str, Tally] = defaultdict(Tally)
    aging = {label: Tally() for label, _, _ in AGE_BUCKETS}
    unassigned = uncategorized = 0
    recent: list[DenialFact] = []
    for fact in denials:
        if fact.status not in COUNTED:
            continue  # replaced by the payer's re-adjudication, counted there
        if in_period(fact.created_on):
            new.add(fact.denied_amount)
            by_cause[fact.category].add(fact.denied_amount)
            by_payer[fact.payer_name].add(fact.denied_amount)
        if fact.status == DenialStatus.RECOVERED and in_period(fact.closed_on):
            recovered.add(fact.recovered_amount or Decimal(0))
        if fact.status == DenialStatus.WRITTEN_OFF and in_period(fact.closed_on):
            written_off.add(fact.denied_amount)
        if fact.status not in CLOSED:
            open_.add(fact.denied_amount)
            aging[age_bucket((today - fact.denial_date).days)].add(fact.denied_amount)
        if fact.status in ACTIONABLE:
            unassigned += fact.assignee is None
            uncategorized += fact.category_source == "auto"
            if fact.deadline is not None and fact.deadline < today:
                overdue.add(fact.denied_amount)
            elif fact.deadline is not None and fact.deadline <= today + timedelta(days=6):
                due.add(fact.denied_amount)
        if today - timedelta(days=PATTERN_WINDOW_DAYS) <= fact.denial_date <= today:
            recent.append(fact)
    sent = [a for a in appeals if in_period(a.sent_on)]
    decided = [a.outcome for a in appeals if in_period(a.decided_on)]
    return DigestSummary(
        period_start=period_start,
        period_end=period_end,
        today=today,
        late=late,
        new=new,
        new_by_cause=_ranked(by_cause),
        new_by_payer=_ranked(by_payer),
        recovered=recovered,
        written_off=written_off,
        open=open_,
        unassigned=unassigned,
        uncategorized=uncategorized,
        due_this_week=due,
        overdue=overdue,
        appeals_sent=sum(a.kind != "corrected" for a in sent),
        corrected_sent=sum(a.kind == "corrected" for a in sent),
        won=decided.count("won"),
        lost=decided.count("lost"),
        partial=decided.count("partial"),
        aging=tuple(aging.items()),
        patterns=top_patterns(recent, fixes),
    )


def age_bucket(days: int) -> str:
    for label, _low, high in AGE_BUCKETS:
        if high is None or days <= high:
            return label
    return AGE_BUCKETS[-1][0]  # pragma: no cover - the last bucket has no upper bound


def top_patterns(
    recent: Sequence[DenialFact], fixes: Iterable[FixFact], limit: int = TOP_PATTERNS
) -> tuple[PatternLine, ...]:
    """The most frequent repeat patterns, each with the day its latest fix was recorded."""
    groups: dict[str, list[DenialFact]] = defaultdict(list)
    for fact in recent:
        groups[fact.pattern_key].append(fact)
    latest_fix: dict[str, date] = {}
    for fix in fixes:
        if fix.pattern_key not in latest_fix or fix.recorded_on > latest_fix[fix.pattern_key]:
            latest_fix[fix.pattern_key] = fix.recorded_on
    repeats = [(key, facts) for key, facts in groups.items() if len(facts) >= REPEAT_MIN]
    repeats.sort(key=lambda item: (-len(item[1]), -_total(item[1]), item[0]))
    lines = []
    for key, facts in repeats[:limit]:
        parts = key.split("|")
        code = parts[2] if len(parts) > 2 else "-"
        first = facts[0]
        lines.append(
            PatternLine(
                payer_name=first.payer_name,
                category=first.category if len(parts) < 2 else _cause(parts[1], first.category),
                code=code,
                provider=first.provider,
                count=len(facts),
                amount=_total(facts),
                fixed_on=latest_fix.get(key),
            )
        )
    return tuple(lines)


def _ranked(tallies: Mapping[K, Tally]) -> tuple[tuple[K, Tally], ...]:
    """Most denials first, then most dollars, then by name: stable from week to week."""
    return tuple(sorted(tallies.items(), key=lambda i: (-i[1].count, -i[1].amount, str(i[0]))))


def _total(facts: Sequence[DenialFact]) -> Decimal:
    return sum((f.denied_amount for f in facts), Decimal(0))


def _cause(slug: str, fallback: RootCause) -> RootCause:
    try:
        return RootCause(slug)
    except ValueError:
        return fallback
