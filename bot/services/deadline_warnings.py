"""Use case: escalating deadline warnings, each level sent once per denial (UX.md Escalations).

Run it as often as you like for a day: what applies is decided from the deadline and `today`
(`bot.domain.escalation`), and what was sent is in the ledger (`warning / {id}:{level}:{due}`).
Thread notes are claimed one by one. The managers' daily DM is claimed per recipient and day
(`escalation_dm / {recipient}:{day}`); the denials it listed are marked warned once every
recipient has had it, so a crash between two DMs re-sends neither and loses neither.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import ColumnElement, Executable, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from bot.blocks import thread_notes
from bot.blocks.escalation_dm import EscalationRow, escalation_dm
from bot.blocks.message import Message
from bot.blocks.text import plural
from bot.domain.escalation import (
    DEFAULT_LEVELS,
    RECORDS_LEVELS,
    Audience,
    Level,
    audience,
    horizon,
    level_for,
    people,
    warning_key,
)
from bot.domain.findings import DeadlineKind
from bot.domain.statuses import ACTIONABLE, REJECTION_ACTIONABLE, REQUEST_ACTIONABLE
from bot.presenters.card_links import denial_card_links
from bot.services.job_report import JobReport
from bot.services.recipients import Outcome, Recipients, Sender, Words
from bot.services.status_filter import status_in
from bot.slack.delivery import Pacer
from storage.models import ClaimRejection, Denial, DocumentationRequest, Payer, SlackPost
from storage.send_ledger import SendLedger

log = logging.getLogger(__name__)

KIND = "warning"
DM_KIND = "escalation_dm"
# A manager is @-mentioned in card threads at most once a day (`mention / {user}:{day}`): six
# unassigned denials reaching 7 days on one day were six pings. The later notes still say it.
MENTION_KIND = "manager_mention"
NEEDS_OWNER = " Nobody owns it yet: assign it from the card."
NOTES_SENT = "{count} deadline notes posted in card threads"
DM_SENT = "sent {who} the list of {count} due tomorrow or overdue"
NOBODY = "{count} due tomorrow or overdue, but DENIALS_MANAGERS and DENIALS_CHANNEL are both "
NOBODY += "empty: nobody was told"
NOT_SENT = "a deadline warning was not sent ({why}); it will be tried again"
DM_WORDS = Words(sent=DM_SENT, not_sent=NOT_SENT)  # a DM sent before says nothing


@dataclass(frozen=True, slots=True)
class Candidate:
    row: EscalationRow
    level: Level
    key: str
    channel: str | None  # where the card is, when it has been posted
    thread_ts: str | None
    grouped: bool = False  # the card is a burst's grouped card, shared with other denials

    @property
    def audience(self) -> Audience:
        return audience(self.level)


@dataclass
class DeadlineWarnings:
    sessions: sessionmaker[Session]
    client: WebClient
    ledger: SendLedger
    channel: str
    managers: tuple[str, ...]
    levels: tuple[int, ...] = DEFAULT_LEVELS
    pace: Pacer = field(default_factory=Pacer)

    def run(self, today: date) -> JobReport:
        report = JobReport("deadlines")
        candidates = self.candidates(today)
        done = self.ledger.sent_keys(KIND, [c.key for c in candidates])
        pending = [c for c in candidates if c.key not in done]
        notes = waiting = 0
        stopped = False
        sender = Sender(self.client, self.ledger, self.pace)
        mentioned = self._mentioned(today)
        for candidate in (c for c in pending if c.audience.in_thread):
            if candidate.channel is None or candidate.thread_ts is None:
                waiting += 1  # the posting job puts the card up first; next tick
                continue
            note, managers = self._note(candidate, today, mentioned)
            sent = sender.one(
                KIND, candidate.key, candidate.channel, note, thread_ts=candidate.thread_ts
            )
            notes += sent.outcome is Outcome.SENT
            if sent.outcome is Outcome.SENT and managers:
                mentioned |= set(managers)
                self.ledger.record_sent(MENTION_KIND, [_mention_key(m, today) for m in managers])
            if sent.outcome in (Outcome.REFUSED, Outcome.STOPPED):
                report.errors.append(NOT_SENT.format(why=sent.why))
            if sent.outcome is Outcome.STOPPED:
                stopped = True  # Slack cannot be reached: the next tick goes on from here
                break
        dm = [c for c in pending if not c.audience.in_thread]
        if dm and not stopped:
            self._direct(dm, today, sender, report)
        if notes:
            report.sent.insert(0, NOTES_SENT.format(count=notes))
        if waiting:
            report.skipped.append(
                f"{plural(waiting, 'warning waits', 'warnings wait')} for their card to be posted"
            )
        return report

    def candidates(self, today: date) -> list[Candidate]:
        """Open denials, records requests still to send and rejected claims still to correct
        whose most urgent level has come, most urgent first."""
        query = (
            select(Denial, SlackPost.channel, SlackPost.ts, SlackPost.kind, SlackPost.id)
            .outerjoin(SlackPost, SlackPost.id == Denial.post_id)
            .where(
                Denial.closed.is_(False),
                status_in(ACTIONABLE),
                Denial.deadline.is_not(None),
                Denial.deadline <= today + timedelta(days=horizon(self.levels)),
            )
            .order_by(Denial.deadline, Denial.id)
        )
        found = []
        with self.sessions() as session:
            for denial, channel, ts, post_kind, post_id in session.execute(query):
                assert denial.deadline is not None
                days_left = (denial.deadline - today).days
                level = level_for(days_left, self.levels)
                if level is None:
                    continue
                row = EscalationRow(
                    denial_id=denial.id,
                    claim_number=denial.claim_number,
                    payer_name=denial.payer_name,
                    amount=denial.denied_amount,
                    assignee=denial.assignee,
                    deadline=denial.deadline,
                    days_left=days_left,
                    kind=DeadlineKind(denial.deadline_kind),
                    post_id=post_id,
                    grouped=post_kind == "group",
                )
                key = warning_key(denial.id, level, denial.deadline)
                found.append(Candidate(row, level, key, channel, ts, post_kind == "group"))
            links = denial_card_links(session, [c.row.denial_id for c in found])
            found = [_linked(c, links) for c in found]
            found += self._request_candidates(session, today)
            found += self._rejection_candidates(session, today)
        return sorted(found, key=lambda c: (c.row.deadline, c.row.item, c.row.denial_id))

    def _request_candidates(self, session: Session, today: date) -> list[Candidate]:
        """Records requests still to send: 7, 3 and 1 days before they are due, then overdue.
        Marking the records sent (or the request withdrawn) takes them out."""
        request = DocumentationRequest
        query = _work_query(
            request,
            request.claim_number,
            request.due_date,
            REQUEST_ACTIONABLE,
            until=today + timedelta(days=horizon(RECORDS_LEVELS)),
        )
        return _work_candidates(session, query, today, RECORDS_LEVELS, DeadlineKind.RECORDS)

    def _rejection_candidates(self, session: Session, today: date) -> list[Candidate]:
        """Rejected claims still to correct, on the denials' levels before the filing limit."""
        rejection = ClaimRejection
        query = _work_query(
            rejection,
            func.coalesce(rejection.claim_number, rejection.trace, "batch"),
            rejection.resubmit_by,
            REJECTION_ACTIONABLE,
            until=today + timedelta(days=horizon(self.levels)),
        )
        return _work_candidates(session, query, today, self.levels, DeadlineKind.RESUBMISSION)

    def _mentioned(self, today: date) -> set[str]:
        """The managers already @-mentioned in a card thread today."""
        keys = {_mention_key(m, today): m for m in self.managers}
        return {keys[k] for k in self.ledger.sent_keys(MENTION_KIND, keys)}

    def _note(
        self, candidate: Candidate, today: date, mentioned: Set[str]
    ) -> tuple[Message, tuple[str, ...]]:
        """The thread note, and the managers it @-mentions (none already mentioned today)."""
        row = candidate.row
        # a grouped card's thread is shared by the burst: there the note names its claim
        if candidate.audience is Audience.THREAD_NOTE and not candidate.grouped:
            text = thread_notes.deadline_reminder(row.deadline, row.kind, today=today)
            return Message(text=text), ()
        who = people(candidate.audience, row.assignee, self.managers)
        who = tuple(p for p in who if p == row.assignee or p not in mentioned)
        text = thread_notes.deadline_escalation(
            who, row.claim_number, row.payer_name, row.amount, row.kind, row.days_left
        )
        if row.assignee is None and not who:
            text += NEEDS_OWNER
        return Message(text=text), tuple(p for p in who if p != row.assignee)

    def _direct(
        self, items: Sequence[Candidate], today: date, sender: Sender, report: JobReport
    ) -> None:
        """The managers' daily DM of what is due tomorrow or overdue; the denials it lists
        count as warned once every recipient has had it."""
        recipients = Recipients.managers_or_channel(self.managers, self.channel)
        if not recipients:
            report.errors.append(NOBODY.format(count=plural(len(items), "deadline")))
            return
        keys = [c.key for c in items]
        results = sender.each(
            recipients,
            DM_KIND,
            lambda who: f"{who}:{today.isoformat()}",
            lambda: escalation_dm([c.row for c in items]),
            # what this message listed, even when it retries a claim made with another list
            detail={"keys": keys},
        )
        DM_WORDS.record(report, results, count=plural(len(items), "deadline"))
        dm_keys = [f"{who}:{today.isoformat()}" for who in recipients]
        rows = self.ledger.rows(DM_KIND, dm_keys)
        if len(rows) < len(dm_keys) or any(s not in ("sent", "failed") for s, _ in rows.values()):
            return  # someone still has to be told; the next tick finishes it
        lists = [
            set(detail.get("keys", ())) for status, detail in rows.values() if status == "sent"
        ]
        if lists:
            told = set.intersection(*lists)
            self.ledger.record_sent(KIND, [key for key in keys if key in told])


def _linked(candidate: Candidate, links: dict[int, str]) -> Candidate:
    """The candidate with its card's permalink, for the managers' DM."""
    link = links.get(candidate.row.denial_id)
    if link is None:
        return candidate
    return replace(candidate, row=replace(candidate.row, link=link))


def _mention_key(manager: str, today: date) -> str:
    return f"{manager}:{today.isoformat()}"


def _work_query(
    model: type[DocumentationRequest] | type[ClaimRejection],
    subject: ColumnElement[Any] | InstrumentedAttribute[str],
    due: InstrumentedAttribute[date],
    actionable: Set[StrEnum],
    *,
    until: date,
) -> Select[Any]:
    """Requests or rejections still to act on, due by `until`, with their card: the rows
    `_work_candidates` reads (id, subject, payer_name, billed, assignee, due, channel, ts)."""
    return (
        select(
            model.id,
            subject.label("subject"),
            Payer.name.label("payer_name"),
            model.billed,
            model.assignee,
            due.label("due"),
            SlackPost.channel,
            SlackPost.ts,
        )
        .join(model.payer)
        .outerjoin(SlackPost, SlackPost.id == model.post_id)
        .where(
            model.closed.is_(False),
            model.status.in_([status.value for status in actionable]),
            due <= until,
        )
    )


def _work_candidates(
    session: Session,
    query: Executable,
    today: date,
    levels: tuple[int, ...],
    kind: DeadlineKind,
) -> list[Candidate]:
    """Requests or rejections still to act on (rows of `query`: id, subject, payer_name,
    billed, assignee, due, channel, ts) whose most urgent level has come."""
    item = "request" if kind is DeadlineKind.RECORDS else "rejection"
    found = []
    for row in session.execute(query):
        days_left = (row.due - today).days
        level = level_for(days_left, levels)
        if level is None:
            continue
        escalation = EscalationRow(
            denial_id=row.id,
            claim_number=row.subject,
            payer_name=row.payer_name,
            amount=row.billed or Decimal(0),
            assignee=row.assignee,
            deadline=row.due,
            days_left=days_left,
            kind=kind,
            item=item,
        )
        key = warning_key(row.id, level, row.due, item=item)
        found.append(Candidate(escalation, level, key, row.channel, row.ts))
    return found
