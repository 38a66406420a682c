"""Use case: the weekly review digest, posted once per channel and ISO week.

The facts are read in one short session, closed before Slack is called; the ledger row
`digest / {channel}:{YYYY}-W{ww}` makes the post exactly-once across restarts and replicas.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.digest import digest_message
from bot.blocks.plain_text import render_text
from bot.clock import Clock
from bot.domain.digest import (
    PATTERN_WINDOW_DAYS,
    AppealFact,
    DenialFact,
    DigestSummary,
    FixFact,
    Week,
    period_before,
    summarize,
)
from bot.domain.findings import RootCause
from bot.domain.pattern_scope import Scope
from bot.domain.statuses import COUNTED
from bot.services.job_report import JobReport
from bot.services.measures import measures
from bot.services.patterns import fix_verdicts
from bot.services.recipients import Recipients, Sender, Words
from bot.services.status_filter import status_in
from bot.services.work_due import work_summary
from bot.slack.delivery import Pacer
from storage.models import Appeal, Denial, PatternFix, Payer
from storage.send_ledger import SendLedger

log = logging.getLogger(__name__)

KIND = "digest"
NO_CHANNEL = "DENIALS_CHANNEL is not set: there is nowhere to post the digest"
SENT = "digest for the week of {start} posted{late}"
ALREADY = "digest for the week of {start} was already posted"
IN_FLIGHT = (
    "digest for the week of {start} is being posted by another process, or is waiting to be "
    "retried after a failed attempt"
)
NOT_SENT = "digest for the week of {start} not posted: {why}; it will be tried again"
WORDS = Words(sent=SENT, already=ALREADY, in_flight=IN_FLIGHT, not_sent=NOT_SENT)


def digest_key(channel: str, slot_day: date) -> str:
    year, week, _ = slot_day.isocalendar()
    return f"{channel}:{year}-W{week:02d}"


@dataclass
class DigestService:
    sessions: sessionmaker[Session]
    client: WebClient
    ledger: SendLedger
    channel: str
    zone: ZoneInfo
    pace: Pacer = field(default_factory=Pacer)

    def send(self, slot_day: date, *, today: date, late: bool = False) -> JobReport:
        """Post the digest due on `slot_day` unless it was posted already."""
        report = JobReport(KIND)
        if not self.channel:
            report.errors.append(NO_CHANNEL)
            return report
        results = Sender(self.client, self.ledger, self.pace).each(
            Recipients.channel(self.channel),
            KIND,
            lambda channel: digest_key(channel, slot_day),
            lambda: digest_message(self.summary(slot_day, today=today, late=late)),
            detail={"late": late, "today": today.isoformat()},
        )
        start = period_before(slot_day)[0].isoformat()
        WORDS.record(report, results, start=start, late=" (late)" if late else "")
        return report

    def summary(self, slot_day: date, *, today: date, late: bool = False) -> DigestSummary:
        return digest_summary(self.sessions, self.zone, slot_day, today=today, late=late)


@runtime_checkable
class HasDatabase(Protocol):
    @property
    def sessions(self) -> sessionmaker[Session]: ...

    @property
    def clock(self) -> Clock: ...


def digest_text(runtime: object, today: date) -> str:
    """The digest that would go out on `today`, as terminal text (`denials demo`)."""
    if not isinstance(runtime, HasDatabase):
        raise TypeError("digest_text needs the runtime: its sessions and clock")
    summary = digest_summary(runtime.sessions, runtime.clock.zone, today, today=today)
    return render_text(digest_message(summary).blocks)


def digest_summary(
    sessions: sessionmaker[Session],
    zone: ZoneInfo,
    slot_day: date,
    *,
    today: date,
    late: bool = False,
) -> DigestSummary:
    """What the digest due on `slot_day` says, with open work as of `today`."""
    start, end = period_before(slot_day)
    facts = _Facts(zone)
    verdicts = fix_verdicts(sessions, today)
    with sessions() as session:
        denials = facts.denials(session, start, today)
        appeals = facts.appeals(session, start)
        fixes = [
            FixFact(key, facts.day(at), verdicts.get(_scope_key(key)))
            for key, at in session.execute(select(PatternFix.pattern_key, PatternFix.recorded_at))
        ]
        work = work_summary(session, period_start=start, period_end=end, today=today)
        now = measures(session, today)
    summary = summarize(denials, appeals, fixes, Week(start, end, today, late), now)
    return replace(summary, work=work)


def _scope_key(pattern_key: str) -> str:
    try:
        return Scope.parse(pattern_key).key
    except ValueError:
        return pattern_key


@dataclass(frozen=True)
class _Facts:
    zone: ZoneInfo

    def denials(self, session: Session, start: date, today: date) -> list[DenialFact]:
        since = datetime.combine(start, time(), self.zone).astimezone(UTC)
        rows = session.execute(
            select(
                Payer.name.label("payer_name"),
                Denial.category,
                Denial.category_source,
                Denial.status,
                Denial.assignee,
                Denial.denied_amount,
                Denial.recovered_amount,
                Denial.denial_date,
                Denial.deadline,
                Denial.created_at,
                Denial.closed_at,
                Denial.pattern_key,
                Denial.provider_name,
                Denial.provider_npi,
            )
            .join(Denial.payer)
            .where(
                status_in(COUNTED),
                or_(
                    Denial.closed.is_(False),
                    Denial.created_at >= since,
                    Denial.closed_at >= since,
                    Denial.denial_date >= today - timedelta(days=PATTERN_WINDOW_DAYS),
                ),
            )
        )
        return [
            DenialFact(
                payer_name=row.payer_name,
                category=_cause(row.category),
                category_source=row.category_source,
                status=row.status,
                assignee=row.assignee,
                denied_amount=row.denied_amount,
                recovered_amount=row.recovered_amount,
                denial_date=row.denial_date,
                deadline=row.deadline,
                created_on=self.day(row.created_at),
                closed_on=self.day(row.closed_at) if row.closed_at else None,
                pattern_key=row.pattern_key,
                provider=row.provider_name or row.provider_npi,
            )
            for row in rows
        ]

    def appeals(self, session: Session, start: date) -> list[AppealFact]:
        rows = session.execute(
            select(Appeal.kind, Appeal.sent_on, Appeal.outcome, Appeal.decided_on).where(
                or_(Appeal.sent_on >= start, Appeal.decided_on >= start)
            )
        )
        return [AppealFact(r.kind, r.sent_on, r.outcome, r.decided_on) for r in rows]

    def day(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()


def _cause(slug: str) -> RootCause:
    try:
        return RootCause(slug)
    except ValueError:
        return RootCause.OTHER
