"""Appeals from the slash command: log one (refusing a second while one is pending), and record
what the payer decided. A win closes the denial as recovered; a loss sends it back to
`in_progress` with the next level's deadline from the payer rules, or says none is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks import thread_notes
from bot.blocks.text import long_date, money
from bot.domain.actor import Actor
from bot.domain.findings import DeadlineKind
from bot.domain.payer_rules import PayerRule, PayerRules, next_level_deadline
from bot.domain.records import Payer
from bot.domain.statuses import DenialStatus
from bot.errors import ConflictError, InputError
from bot.services.audited import TriageResult
from bot.services.triage import Triage, check_recovered, pending_appeal, set_status
from storage.models import Appeal, Denial

NO_APPEAL = (
    "No appeal is waiting for a decision on claim {claim}. Log the appeal first: "
    "`/denials appeal {claim}`."
)
DECIDED_BEFORE_SENT = "The decision date ({decided}) is before the appeal was sent ({sent})."
PARTIAL_TOO_MUCH = (
    "A partial win recovers less than the {denied} denied. For the full amount say `won`."
)
NEXT_LEVEL_NOTE = " · next level by {date}"
NO_FURTHER_NOTE = " · no further appeal level on file"
MEDICARE = "medicare"
MAX_LEVEL = 5


@dataclass(frozen=True, slots=True)
class Outcome:
    result: str  # won, lost, partial
    decided_on: date
    amount: Decimal | None = None  # won without an amount: the full denied amount
    confirmed: bool = False  # the person confirmed an amount above what was billed


@dataclass(slots=True, kw_only=True)
class OutcomeResult:
    """What the outcome did, for the reply (filled in while the transaction runs)."""

    change: TriageResult | None = None
    claim_number: str = ""
    payer_name: str = ""
    result: str = ""
    status: str = ""
    recovered: Decimal | None = None
    next_level: int | None = None  # the level that can be filed next, when one is left
    next_deadline: date | None = None
    corrected: bool = False  # the outcome of a corrected claim, not of an appeal


class Appeals(Triage):
    def __init__(
        self, sessions: sessionmaker[Session], managers: tuple[str, ...], rules: PayerRules
    ) -> None:
        super().__init__(sessions, managers)
        self._rules = rules

    def next_level(self, denial_id: int) -> str:
        """The level the next appeal is likely to be: one past the appeals already lost."""
        with self._sessions() as session:
            lost = session.scalars(
                select(Appeal).where(
                    Appeal.denial_id == denial_id, Appeal.kind == "appeal", Appeal.outcome == "lost"
                )
            ).all()
        return str(min(len(lost) + 1, MAX_LEVEL))

    def record_outcome(
        self, denial_id: int, version: int | None, outcome: Outcome, actor: Actor, now: datetime
    ) -> OutcomeResult:
        seen = OutcomeResult(result=outcome.result)

        def change(session: Session, denial: Denial) -> str:
            appeal = pending_appeal(session, denial.id)
            if appeal is None:
                raise ConflictError(NO_APPEAL.format(claim=denial.claim_number))
            if outcome.decided_on < appeal.sent_on:
                raise InputError(
                    DECIDED_BEFORE_SENT.format(
                        decided=long_date(outcome.decided_on), sent=long_date(appeal.sent_on)
                    )
                )
            appeal.outcome, appeal.decided_on = outcome.result, outcome.decided_on
            seen.corrected = appeal.kind == "corrected"
            seen.claim_number, seen.payer_name = denial.claim_number, denial.payer_name
            if outcome.result == "lost":
                return self._lost(denial, appeal, actor, seen)
            amount = outcome.amount if outcome.amount is not None else denial.denied_amount
            if outcome.result == "partial" and amount >= denial.denied_amount:
                raise InputError(PARTIAL_TOO_MUCH.format(denied=money(denial.denied_amount)))
            check_recovered(denial, amount, confirmed=outcome.confirmed)
            appeal.outcome_amount = amount
            set_status(denial, DenialStatus.RECOVERED, now)
            denial.recovered_amount = amount
            seen.status, seen.recovered = DenialStatus.RECOVERED, amount
            return thread_notes.appeal_outcome(actor.user, outcome.result, amount)

        seen.change = self._apply(
            denial_id,
            version,
            actor,
            now,
            "outcome",
            change,
            result=outcome.result,
            amount=None if outcome.amount is None else str(outcome.amount),
            decided_on=outcome.decided_on.isoformat(),
        )
        return seen

    def _lost(self, denial: Denial, appeal: Appeal, actor: Actor, seen: OutcomeResult) -> str:
        denial.status = DenialStatus.IN_PROGRESS
        level = level_number(appeal, self._rule(denial))
        deadline = (
            next_level_deadline(self._rule(denial), level, appeal.decided_on or date.min)
            if level is not None
            else None
        )
        appeal.next_deadline = deadline
        if deadline is not None:
            denial.deadline, denial.deadline_kind = deadline, DeadlineKind.APPEAL.value
        seen.status, seen.next_deadline = DenialStatus.IN_PROGRESS, deadline
        seen.next_level = level + 1 if level is not None and deadline is not None else None
        note = thread_notes.appeal_outcome(actor.user, "lost", None)
        if appeal.kind == "corrected":
            return note
        return note + (
            NEXT_LEVEL_NOTE.format(date=long_date(deadline)) if deadline else NO_FURTHER_NOTE
        )

    def _rule(self, denial: Denial) -> PayerRule:
        return self._rules.get(denial.rule_key) or self._rules.match(Payer(denial.payer_name))


def level_number(appeal: Appeal, rule: PayerRule) -> int | None:
    """Level 1 is the first appeal. Medicare's redetermination is level 1 and its
    reconsideration (QIC) level 2; elsewhere a reconsideration is the first level. A corrected
    claim is not an appeal level: losing it leaves the appeal deadline as it was."""
    if appeal.kind == "corrected":
        return None
    if appeal.level.isdigit():
        return max(int(appeal.level), 1)
    if appeal.level == "reconsideration" and rule.key == MEDICARE:
        return 2
    return 1
