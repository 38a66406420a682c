"""The Monday review digest, computed from plain facts (UX.md "Monday digest").

`summarize` is a pure function: the service reads the facts, this module counts them, the
builder draws them. The digest sent on day D covers the seven days before D (Mon–Sun for a
Monday digest); what is open, due and overdue is as of the day it is sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from bot.domain.findings import RootCause
from bot.domain.measures import Measures
from bot.domain.pattern_scope import covers
from bot.domain.statuses import CLOSED, COUNTED, DenialStatus
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
    pattern_key: str  # a grouped card's pattern key, or a scope key (pattern_scope)
    recorded_on: date
    verdict: str | None = None  # bot.domain.pattern_rates.FixEffect.words, as of the digest


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
    verdict: str | None = None  # whether it worked: "stopped", "fell by 70%", ...


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
    now: Measures  # open work as of `today`: the numbers App Home and `/denials due` show
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


@dataclass(frozen=True, slots=True)
class Week:
    """What a digest covers: the seven days `start`..`end`; open work as of `today`."""

    start: date
    end: date  # inclusive
    today: date
    late: bool = False  # sent after its slot (the bot was down)

    def holds(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def summarize(
    denials: Iterable[DenialFact],
    appeals: Iterable[AppealFact],
    fixes: Iterable[FixFact],
    week: Week,
    now: Measures,
) -> DigestSummary:
    """The week's counts from the facts; what is open and to do now is `now` (counted by
    `bot.services.measures`, the one definition App Home, `/denials due` and trends share)."""
    counted = [fact for fact in denials if fact.status in COUNTED]  # superseded: its successor
    new = [fact for fact in counted if week.holds(fact.created_on)]
    open_ = [fact for fact in counted if fact.status not in CLOSED]
    sent = [appeal for appeal in appeals if week.holds(appeal.sent_on)]
    decided = [appeal.outcome for appeal in appeals if week.holds(appeal.decided_on)]
    return DigestSummary(
        period_start=week.start,
        period_end=week.end,
        today=week.today,
        late=week.late,
        new=_tally(new),
        new_by_cause=_ranked(_tallied(new, lambda fact: fact.category)),
        new_by_payer=_ranked(_tallied(new, lambda fact: fact.payer_name)),
        recovered=_closed(counted, DenialStatus.RECOVERED, week),
        written_off=_closed(counted, DenialStatus.WRITTEN_OFF, week),
        now=now,
        appeals_sent=sum(appeal.kind != "corrected" for appeal in sent),
        corrected_sent=sum(appeal.kind == "corrected" for appeal in sent),
        won=decided.count("won"),
        lost=decided.count("lost"),
        partial=decided.count("partial"),
        aging=_aging(open_, week.today),
        patterns=top_patterns(_recent(counted, week.today), fixes),
    )


def _tally(facts: Iterable[DenialFact]) -> Tally:
    tally = Tally()
    for fact in facts:
        tally.add(fact.denied_amount)
    return tally


def _tallied(facts: Iterable[DenialFact], key: Callable[[DenialFact], K]) -> dict[K, Tally]:
    tallies: dict[K, Tally] = defaultdict(Tally)
    for fact in facts:
        tallies[key(fact)].add(fact.denied_amount)
    return tallies


def _closed(facts: Iterable[DenialFact], status: DenialStatus, week: Week) -> Tally:
    """Denials closed as `status` during the week: recovered count what was paid."""
    tally = Tally()
    for fact in facts:
        if fact.status == status and week.holds(fact.closed_on):
            paid = fact.recovered_amount or Decimal(0)
            tally.add(paid if status is DenialStatus.RECOVERED else fact.denied_amount)
    return tally


def _aging(open_: Iterable[DenialFact], today: date) -> tuple[tuple[str, Tally], ...]:
    """Open dollars by days since the denial."""
    aging = {label: Tally() for label, _, _ in AGE_BUCKETS}
    for fact in open_:
        aging[age_bucket((today - fact.denial_date).days)].add(fact.denied_amount)
    return tuple(aging.items())


def _recent(facts: Iterable[DenialFact], today: date) -> list[DenialFact]:
    """Denials of the pattern window: what repeat patterns are counted over."""
    since = today - timedelta(days=PATTERN_WINDOW_DAYS)
    return [fact for fact in facts if since <= fact.denial_date <= today]


def age_bucket(days: int) -> str:
    for label, _low, high in AGE_BUCKETS:
        if high is None or days <= high:
            return label
    return AGE_BUCKETS[-1][0]  # pragma: no cover - the last bucket has no upper bound


def top_patterns(
    recent: Sequence[DenialFact], fixes: Iterable[FixFact], limit: int = TOP_PATTERNS
) -> tuple[PatternLine, ...]:
    """The most frequent repeat patterns, each with its latest fix: when, and its verdict."""
    fixes = list(fixes)
    groups: dict[str, list[DenialFact]] = defaultdict(list)
    for fact in recent:
        groups[fact.pattern_key].append(fact)
    repeats = [(key, facts) for key, facts in groups.items() if len(facts) >= REPEAT_MIN]
    repeats.sort(key=lambda item: (-len(item[1]), -_total(item[1]), item[0]))
    lines = []
    for key, facts in repeats[:limit]:
        parts = key.split("|")
        code = parts[2] if len(parts) > 2 else "-"
        first = facts[0]
        fix = latest_fix(key, fixes)
        lines.append(
            PatternLine(
                payer_name=first.payer_name,
                category=first.category if len(parts) < 2 else _cause(parts[1], first.category),
                code=code,
                provider=first.provider,
                count=len(facts),
                amount=_total(facts),
                fixed_on=fix.recorded_on if fix else None,
                verdict=fix.verdict if fix else None,
            )
        )
    return tuple(lines)


def latest_fix(pattern_key: str, fixes: Iterable[FixFact]) -> FixFact | None:
    """The latest fix recorded for a pattern or for a scope that covers it (any CPT)."""
    found: FixFact | None = None
    for fix in fixes:
        if covers(fix.pattern_key, pattern_key) and (
            found is None or fix.recorded_on >= found.recorded_on
        ):
            found = fix
    return found


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
