"""Use case: the monthly pattern review, sent once per month to each manager (or the channel).

A pattern is payer + root cause + CARC + rendering provider + CPT; a repeat is one seen at
least twice in the month reviewed. Counts and dollars are compared with the month before, and
the fixes recorded for the denials' patterns (`PatternFix`) are shown beside the usual one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import Row, select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.pattern_review import (
    PatternReviewView,
    PatternRow,
    RecordedFix,
    month_name,
    pattern_review,
)
from bot.domain.actor import Actor
from bot.domain.findings import RootCause
from bot.domain.pattern_scope import Scope, covers
from bot.domain.statuses import COUNTED
from bot.services.job_report import JobReport
from bot.services.patterns import fix_verdicts
from bot.services.recipients import Recipients, Sender, Words
from bot.services.status_filter import status_in
from bot.slack.delivery import Pacer
from storage.models import Denial, PatternFix, Payer
from storage.send_ledger import SendLedger

KIND = "patterns"
REPEAT_MIN = 2
SENT = "pattern review for {month} sent to {who}"
ALREADY = "pattern review for {month} was already sent to {who}"
IN_FLIGHT = "pattern review for {month} to {who} is being sent, or waits for a retry"
NOT_SENT = "pattern review for {month} not sent to {who} ({why}); it will be tried again"
NOBODY = "DENIALS_MANAGERS and DENIALS_CHANNEL are both empty: nobody to send the review to"
WORDS = Words(sent=SENT, already=ALREADY, in_flight=IN_FLIGHT, not_sent=NOT_SENT)

PatternId = tuple[str, str, str, str, str]  # payer, root cause, CARC, provider, CPT


@dataclass(frozen=True, slots=True)
class PatternFact:
    pattern: PatternId
    category: RootCause
    amount: Decimal
    denial_date: date
    pattern_key: str  # the card's pattern (payer|cause|code|provider): fixes are kept by it


@dataclass
class _Group:
    facts: list[PatternFact] = field(default_factory=list)
    prior_count: int = 0
    prior_amount: Decimal = field(default_factory=lambda: Decimal(0))


def month_bounds(first: date) -> tuple[date, date, date]:
    """(first day of the month before, first day of `first`'s month, first day after it)."""
    before = (
        date(first.year - 1, 12, 1) if first.month == 1 else first.replace(month=first.month - 1)
    )
    after = (
        date(first.year + 1, 1, 1) if first.month == 12 else first.replace(month=first.month + 1)
    )
    return before, first.replace(day=1), after


def review_view(
    facts: Iterable[PatternFact], fixes: dict[str, RecordedFix], month: date
) -> PatternReviewView:
    """Pure: group the facts of the month and the month before into repeat patterns."""
    _, start, _ = month_bounds(month)
    groups: dict[PatternId, _Group] = defaultdict(_Group)
    counts = {True: 0, False: 0}
    amounts = {True: Decimal(0), False: Decimal(0)}
    for fact in facts:
        current = fact.denial_date >= start
        counts[current] += 1
        amounts[current] += fact.amount
        group = groups[fact.pattern]
        if current:
            group.facts.append(fact)
        else:
            group.prior_count += 1
            group.prior_amount += fact.amount
    rows = [_row(pid, g, fixes) for pid, g in groups.items() if len(g.facts) >= REPEAT_MIN]
    rows.sort(key=lambda r: (-r.amount, -r.count, r.payer_name, r.carc))
    return PatternReviewView(
        month=start,
        rows=tuple(rows),
        denials=counts[True],
        amount=amounts[True],
        prior_denials=counts[False],
        prior_amount=amounts[False],
    )


def _row(pattern: PatternId, group: _Group, fixes: dict[str, RecordedFix]) -> PatternRow:
    payer, _cause, carc, provider, cpt = pattern
    recorded = [fixes[f.pattern_key] for f in group.facts if f.pattern_key in fixes]
    return PatternRow(
        payer_name=payer,
        category=group.facts[0].category,
        carc=carc,
        provider=provider or None,
        cpt=cpt or None,
        count=len(group.facts),
        amount=sum((f.amount for f in group.facts), Decimal(0)),
        prior_count=group.prior_count,
        prior_amount=group.prior_amount,
        fix=max(recorded, key=lambda f: f.recorded_on) if recorded else None,
    )


@dataclass
class PatternReview:
    sessions: sessionmaker[Session]
    client: WebClient
    ledger: SendLedger
    channel: str
    managers: tuple[str, ...]
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    pace: Pacer = field(default_factory=Pacer)

    def send(self, month: date) -> JobReport:
        """Send the review of `month` (its first day) to everyone who has not had it."""
        report = JobReport("patterns")
        recipients = Recipients.managers_or_channel(self.managers, self.channel)
        if not recipients:
            report.errors.append(NOBODY)
            return report
        results = Sender(self.client, self.ledger, self.pace).each(
            recipients,
            KIND,
            lambda who: f"{month:%Y-%m}:{who}",
            lambda: pattern_review(self.view(month)),
        )
        WORDS.record(report, results, month=month_name(month))
        return report

    def view(self, month: date) -> PatternReviewView:
        before, _, after = month_bounds(month)
        verdicts = fix_verdicts(self.sessions, after - timedelta(days=1))
        with self.sessions() as session:
            rows = session.execute(
                select(
                    Payer.name.label("payer_name"),
                    Denial.category,
                    Denial.carcs,
                    Denial.provider_name,
                    Denial.provider_npi,
                    Denial.cpts,
                    Denial.denied_amount,
                    Denial.denial_date,
                    Denial.pattern_key,
                )
                .join(Denial.payer)
                .where(
                    status_in(COUNTED),
                    Denial.denial_date >= before,
                    Denial.denial_date < after,
                )
            ).all()
            facts = [_fact(row) for row in rows]
            fixes = self._fixes(session, {f.pattern_key for f in facts}, verdicts)
        return review_view(facts, fixes, month)

    def _fixes(
        self, session: Session, keys: set[str], verdicts: dict[str, str]
    ) -> dict[str, RecordedFix]:
        """Per denial pattern key: the latest fix recorded for it, or for a pattern (an early
        warning's, `/denials patterns`') that covers it, with its verdict."""
        fixes = list(session.scalars(select(PatternFix).order_by(PatternFix.id)))
        latest: dict[str, RecordedFix] = {}
        for key in keys:
            found = [f for f in fixes if covers(f.pattern_key, key)]
            if not found:
                continue
            fix = found[-1]
            person = Actor.from_key(fix.recorded_by)
            latest[key] = RecordedFix(
                note=fix.note,
                recorded_on=fix.recorded_at.astimezone(self.zone).date(),
                recorded_by=person.user if person is not None else None,
                verdict=verdicts.get(_scope_key(fix.pattern_key)),
            )
        return latest


def _scope_key(key: str) -> str:
    try:
        return Scope.parse(key).key
    except ValueError:
        return key


def _fact(row: Row[Any]) -> PatternFact:
    try:
        category = RootCause(row.category)
    except ValueError:
        category = RootCause.OTHER
    carcs, cpts = row.carcs or [], row.cpts or []
    pattern = (
        row.payer_name,
        category.value,
        carcs[0] if carcs else "-",
        row.provider_name or row.provider_npi or "",
        cpts[0].split("-")[0] if cpts else "",  # 97110-GP and 97110 are the same service
    )
    return PatternFact(pattern, category, row.denied_amount, row.denial_date, row.pattern_key)
