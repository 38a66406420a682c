"""Use cases behind the card's controls: each one transaction, audited, conflict-aware.

A click carries the card's version. If someone else changed *the same thing* since that
version, the click is refused with who did what; a change to something else is applied, so two
people working on one card lose neither change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks import thread_notes
from bot.blocks.text import long_date, mention, money
from bot.domain.actor import Actor
from bot.domain.bounds import (
    MAX_NOTE_CHARS,
    MAX_REFERENCE_CHARS,
    AboveBilledError,
    check_length,
    check_level,
    check_method,
    check_user_id,
    read_amount,
)
from bot.domain.findings import RootCause
from bot.domain.statuses import REOPENABLE, DenialStatus
from bot.errors import ConflictError, NotAllowedError
from bot.services.audited import Kind, TriageResult, apply_change
from storage.models import Appeal, AuditEvent, Denial

GONE = "This denial is no longer in the database (it may have been removed). Nothing was changed."
CLOSED_FIRST = "This denial is closed ({status}). Reopen it from the ⋯ menu first."
NOT_REOPENABLE = (
    "This denial was replaced by a later adjudication of the claim, which has its own card; "
    "work that one. Nothing was changed."
)
PENDING = (
    "Claim {claim} already has an appeal waiting for a decision ({level}, sent {sent}). "
    "Record how it ended first: `/denials outcome {claim} won|lost|partial`."
)
# Said to a clerk: who to ask, never a setting they cannot change (issue 14).
MANAGERS_ONLY = "Only managers can {what}. Ask {managers}."
NO_MANAGERS = (
    "Only managers can {what}, and none are named yet: ask whoever runs the denials bot to "
    "add your practice manager."
)


def managers_only(what: str, managers: Sequence[str]) -> str:
    """Why someone who is not a manager may not `what`, and whom to ask."""
    if not managers:
        return NO_MANAGERS.format(what=what)
    return MANAGERS_ONLY.format(what=what, managers=" or ".join(mention(m) for m in managers))


# Which earlier changes a stale click must not silently overwrite.
STATUS_ACTIONS = frozenset(
    {"appeal", "corrected", "paid", "write_off", "reopen", "outcome", "recovered_by_remittance"}
)
CONFLICTS: dict[str, frozenset[str]] = {
    "category": frozenset({"category"}),
    "assign": frozenset({"assign"}),
    **{action: STATUS_ACTIONS for action in STATUS_ACTIONS},
}


@dataclass(frozen=True)
class AppealForm:
    level: str
    method: str | None
    sent_on: date
    reference: str | None = None
    note: str | None = None
    kind: str = "appeal"  # or "corrected"


Change = Callable[[Session, Denial], str]


class Triage:
    def __init__(self, sessions: sessionmaker[Session], managers: tuple[str, ...]) -> None:
        self._sessions = sessions
        self._managers = managers

    def set_category(
        self, denial_id: int, version: int | None, cause: RootCause, actor: Actor, now: datetime
    ) -> TriageResult:
        def change(_: Session, denial: Denial) -> str:
            was = RootCause(denial.category)
            was_suggested = denial.category_source == "auto"
            denial.category = cause.value
            denial.category_source = "staff"
            denial.category_set_by = actor.user
            _start_work(denial)
            return thread_notes.root_cause_set(actor.user, cause, was, was_suggested=was_suggested)

        return self._apply(denial_id, version, actor, now, "category", change, cause=cause.value)

    def assign(
        self, denial_id: int, version: int | None, assignee: str | None, actor: Actor, now: datetime
    ) -> TriageResult:
        check_user_id(assignee)

        def change(_: Session, denial: Denial) -> str:
            denial.assignee = assignee
            _start_work(denial)
            return thread_notes.assigned(actor.user, assignee)

        return self._apply(denial_id, version, actor, now, "assign", change, assignee=assignee)

    def log_appeal(
        self, denial_id: int, version: int | None, form: AppealForm, actor: Actor, now: datetime
    ) -> TriageResult:
        """Store an appeal or corrected claim; refused while an earlier one waits for its
        decision, whatever path it came by (card, form, command): checked in the transaction
        that stores it, on the denial's row, so two at once cannot both pass."""
        check_appeal(form)

        def change(session: Session, denial: Denial) -> str:
            refuse_second_appeal(session, denial)
            session.add(
                Appeal(
                    denial_id=denial.id,
                    kind=form.kind,
                    level=form.level,
                    method=form.method,
                    sent_on=form.sent_on,
                    reference=form.reference,
                    note=form.note,
                    created_by=actor.key,
                    created_at=now,
                )
            )
            if form.kind == "corrected":
                set_status(denial, DenialStatus.RESUBMITTED, now)
                return thread_notes.corrected_sent(actor.user)
            set_status(denial, DenialStatus.APPEALED, now)
            return thread_notes.appeal_logged(
                actor.user, form.level, form.method or "", form.reference, form.sent_on
            )

        action = "corrected" if form.kind == "corrected" else "appeal"
        return self._apply(denial_id, version, actor, now, action, change, level=form.level)

    def mark_paid(
        self,
        denial_id: int,
        version: int | None,
        amount: Decimal,
        actor: Actor,
        now: datetime,
        *,
        confirmed: bool = False,
    ) -> TriageResult:
        """`confirmed`: the person said an amount above what was billed is right."""
        read_amount(str(amount))  # positive and within what is stored, whoever calls

        def change(_: Session, denial: Denial) -> str:
            check_recovered(denial, amount, confirmed=confirmed)
            set_status(denial, DenialStatus.RECOVERED, now)
            denial.recovered_amount = amount
            return thread_notes.marked_paid(actor.user, amount)

        return self._apply(denial_id, version, actor, now, "paid", change, amount=str(amount))

    def write_off(
        self, denial_id: int, version: int | None, reason: str, actor: Actor, now: datetime
    ) -> TriageResult:
        self.require_manager(actor, "write off a denial")

        def change(_: Session, denial: Denial) -> str:
            set_status(denial, DenialStatus.WRITTEN_OFF, now)
            return thread_notes.written_off(actor.user, reason, denial.denied_amount)

        return self._apply(denial_id, version, actor, now, "write_off", change, reason=reason)

    def reopen(
        self, denial_id: int, version: int | None, actor: Actor, now: datetime
    ) -> TriageResult:
        def change(_: Session, denial: Denial) -> str:
            if denial.status not in REOPENABLE:
                raise ConflictError(NOT_REOPENABLE)
            set_status(denial, DenialStatus.IN_PROGRESS, now)
            denial.recovered_amount = None
            return thread_notes.reopened(actor.user)

        return self._apply(denial_id, version, actor, now, "reopen", change, allow_closed=True)

    def check_can_appeal(self, denial_id: int) -> None:
        """Refuse before a form opens what `log_appeal` would refuse when it is submitted."""
        with self._sessions() as session:
            denial = session.get(Denial, denial_id)
            if denial is not None:
                refuse_second_appeal(session, denial)

    def require_manager(self, actor: Actor, what: str) -> None:
        if not actor.is_manager:
            raise NotAllowedError(managers_only(what, self._managers))

    def _apply(
        self,
        denial_id: int,
        version: int | None,
        actor: Actor,
        now: datetime,
        action: str,
        change: Change,
        *,
        allow_closed: bool = False,
        **detail: Any,
    ) -> TriageResult:
        return apply_change(
            self._sessions,
            DENIALS,
            denial_id,
            version,
            actor,
            now,
            action,
            change,
            allow_closed=allow_closed,
            detail=detail,
        )


def check_appeal(form: AppealForm) -> None:
    """The level and method are ones the form offers; reference and note fit its fields."""
    check_level(form.level)
    check_method(form.method)
    check_length(form.reference, MAX_REFERENCE_CHARS, "reference")
    check_length(form.note, MAX_NOTE_CHARS, "note")


def check_recovered(denial: Denial, amount: Decimal, *, confirmed: bool) -> None:
    """At most what was billed, unless the person confirmed more (interest, a corrected
    charge): a typo (`7200` for `72.00`) would otherwise close the denial as a windfall."""
    if amount > denial.billed_amount and not confirmed:
        raise AboveBilledError(money(amount), money(denial.billed_amount), denial.claim_number)


def _closed_words(denial: Denial) -> str:
    return CLOSED_FIRST.format(status=denial.status.replace("_", " "))


def _describe(event: AuditEvent) -> str:
    detail = event.detail
    if event.action == "assign":
        return (
            f"assigned to {mention(detail.get('assignee'))}"
            if detail.get("assignee")
            else "unassigned"
        )
    if event.action == "category":
        cause = RootCause(detail.get("cause", "other"))
        return f"root cause set to {cause.label}"
    return {
        "appeal": "logged an appeal",
        "corrected": "sent a corrected claim",
        "paid": "marked it paid",
        "write_off": "wrote it off",
        "reopen": "reopened it",
        "outcome": "recorded the appeal outcome",
        "recovered_by_remittance": "a later remittance paid it",
    }.get(event.action, event.action)


def _start_work(denial: Denial) -> None:
    if denial.status == DenialStatus.NEW:
        denial.status = DenialStatus.IN_PROGRESS


def set_status(denial: Denial, status: DenialStatus, now: datetime) -> None:
    """Move a denial to `status`, with its `closed` flag and time as the status says."""
    denial.status = status
    denial.closed = status.is_closed
    denial.closed_at = now if denial.closed else None


def pending_appeal(session: Session, denial_id: int) -> Appeal | None:
    """The appeal or corrected claim of the denial still waiting for the payer's decision."""
    return session.scalars(
        select(Appeal)
        .where(Appeal.denial_id == denial_id, Appeal.outcome.is_(None))
        .order_by(Appeal.id.desc())
        .limit(1)
    ).first()


def refuse_second_appeal(session: Session, denial: Denial) -> None:
    """No second appeal while one waits for its decision (most often a double entry)."""
    waiting = pending_appeal(session, denial.id)
    if waiting is not None:
        level = f"level {waiting.level}" if waiting.level.isdigit() else waiting.level
        raise ConflictError(
            PENDING.format(claim=denial.claim_number, level=level, sent=long_date(waiting.sent_on))
        )


DENIALS: Kind[Denial] = Kind(
    model=Denial,
    owner=AuditEvent.denial_id,
    gone=GONE,
    closed=_closed_words,
    conflicts=CONFLICTS,
    described=_describe,
)
