"""Form submissions: log appeal, write off, mark paid, record a fix. Bad input stays in the form."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from slack_bolt import Ack, App

from bot.blocks import ids, thread_notes
from bot.blocks.modals import mark_paid_modal
from bot.deps import Deps
from bot.domain.actor import Actor
from bot.domain.bounds import AboveBilledError, read_amount
from bot.errors import DenialsError, InputError
from bot.handlers.listen import Change, Changed, keep_open, on_submit, submit_change
from bot.services.appeals import Outcome
from bot.services.audited import TriageResult
from bot.services.courier import NOTE, new_key
from bot.services.pattern_fixes import record_fix, record_pattern_fix
from bot.services.triage import AppealForm
from bot.slack.payloads import Submission

DATE_IN_FUTURE = "The date sent can't be in the future. Pick the day the appeal went out."
DATE_TOO_OLD = "That date is more than two years ago. Check the year."
DATE_MISSING = "Pick the day the appeal was sent."
AMOUNT_BAD = "Enter the amount the payer paid, like 420.00."
REASON_MISSING = "Say why, for the manager's review."
FIX_MISSING = "Say what changed."
RESULT_MISSING = "Pick what the payer decided."
PARTIAL_AMOUNT = "For a partial win, enter what the payer paid, like 210.00."
DECIDED_MISSING = "Pick the day the payer decided."
DECIDED_IN_FUTURE = "The decision date can't be in the future. Pick the day the payer decided."
OUTCOMES = frozenset({"won", "lost", "partial"})
FIX_DATE_BAD = "Pick the day the change took effect."
FIX_DATE_FAR = "Pick a day within a year of today: the fix is measured from that day."
log = logging.getLogger(__name__)

REF_BAD = "This form is out of date. Close it and click the button on the card again."


def register(app: App, deps: Deps) -> None:
    def submit(ack: Ack, form: Submission, change: Change) -> None:
        submit_change(deps, ack, form, change, stale=REF_BAD)

    @on_submit(app, ids.APPEAL_MODAL)
    def appeal(form: Submission, ack: Ack) -> None:
        raw_day = form.answer(ids.APPEAL_SENT_ON_BLOCK, ids.APPEAL_SENT_ON_INPUT)
        sent_on, problem = _sent_on(raw_day, deps.clock.today())
        if sent_on is None:
            keep_open(ack, ids.APPEAL_SENT_ON_BLOCK, problem)
            return
        appeal = AppealForm(
            level=form.answer(ids.APPEAL_LEVEL_BLOCK, ids.APPEAL_LEVEL_INPUT) or "1",
            method=form.answer(ids.APPEAL_METHOD_BLOCK, ids.APPEAL_METHOD_INPUT),
            sent_on=sent_on,
            reference=form.answer(ids.APPEAL_REFERENCE_BLOCK, ids.APPEAL_REFERENCE_INPUT),
            note=form.answer(ids.APPEAL_NOTE_BLOCK, ids.APPEAL_NOTE_INPUT),
        )
        actor, now = deps.actor(form.user), deps.clock.now()
        submit(ack, form, lambda i, v: deps.triage.log_appeal(i, v, appeal, actor, now))

    @on_submit(app, ids.WRITE_OFF_MODAL)
    def write_off(form: Submission, ack: Ack) -> None:
        reason = form.text(ids.WRITE_OFF_REASON_BLOCK, ids.WRITE_OFF_REASON_INPUT)
        if not reason:
            keep_open(ack, ids.WRITE_OFF_REASON_BLOCK, REASON_MISSING)
            return
        actor, now = deps.actor(form.user), deps.clock.now()
        submit(ack, form, lambda i, v: deps.triage.write_off(i, v, reason, actor, now))

    @on_submit(app, ids.MARK_PAID_MODAL)
    def mark_paid(form: Submission, ack: Ack) -> None:
        raw = form.text(ids.MARK_PAID_AMOUNT_BLOCK, ids.MARK_PAID_AMOUNT_INPUT)
        try:
            amount = read_amount(raw)
        except InputError as problem:
            keep_open(ack, ids.MARK_PAID_AMOUNT_BLOCK, str(problem) if raw else AMOUNT_BAD)
            return
        ticked = form.answer(ids.MARK_PAID_CONFIRM_BLOCK, ids.MARK_PAID_CONFIRM_INPUT) or ""
        confirmed = ids.MARK_PAID_CONFIRMED in ticked.split(",")
        actor, now = deps.actor(form.user), deps.clock.now()

        def change(denial_id: int, version: int) -> Changed:
            paid = deps.triage.mark_paid
            return paid(denial_id, version, amount, actor, now, confirmed=confirmed)

        def redraw(refusal: DenialsError) -> dict[str, Any] | None:
            """Above what was billed: the form again, with a box that confirms it."""
            if not isinstance(refusal, AboveBilledError) or form.ref is None:
                return None
            denial = deps.cards.summary(form.ref.id)
            if denial is None:
                return None
            return mark_paid_modal(
                ids.denial_ref(*form.ref),
                denial.claim_number,
                denied=denial.denied_amount,
                above_billed=(amount, str(refusal)),
            )

        submit_change(deps, ack, form, change, stale=REF_BAD, redraw=redraw)

    @on_submit(app, ids.OUTCOME_MODAL)
    def outcome(form: Submission, ack: Ack) -> None:
        result = form.answer(ids.OUTCOME_RESULT_BLOCK, ids.OUTCOME_RESULT_INPUT)
        if result not in OUTCOMES:
            keep_open(ack, ids.OUTCOME_RESULT_BLOCK, RESULT_MISSING)
            return
        raw_amount = form.text(ids.OUTCOME_AMOUNT_BLOCK, ids.OUTCOME_AMOUNT_INPUT)
        amount = None
        if result == "partial":  # a win is the denied amount; a partial one less (checked)
            try:
                amount = read_amount(raw_amount)
            except InputError as unread:
                keep_open(
                    ack, ids.OUTCOME_AMOUNT_BLOCK, str(unread) if raw_amount else PARTIAL_AMOUNT
                )
                return
        raw_day = form.answer(ids.OUTCOME_DECIDED_BLOCK, ids.OUTCOME_DECIDED_INPUT)
        decided, problem = _sent_on(raw_day, deps.clock.today(), missing=DECIDED_MISSING)
        if decided is None:
            future = problem == DATE_IN_FUTURE
            keep_open(ack, ids.OUTCOME_DECIDED_BLOCK, DECIDED_IN_FUTURE if future else problem)
            return
        said = Outcome(result=result, decided_on=decided, amount=amount)
        actor, now = deps.actor(form.user), deps.clock.now()

        def record(denial_id: int, version: int) -> TriageResult:
            done = deps.triage.record_outcome(denial_id, version, said, actor, now).change
            assert done is not None  # set by the transaction that stored the outcome
            return done

        submit(ack, form, record)

    @on_submit(app, ids.RECORD_FIX_MODAL)
    def fix(form: Submission, ack: Ack) -> None:
        text = form.text(ids.RECORD_FIX_TEXT_BLOCK, ids.RECORD_FIX_TEXT_INPUT)
        if not text:
            keep_open(ack, ids.RECORD_FIX_TEXT_BLOCK, FIX_MISSING)
            return
        raw_day = form.answer(ids.RECORD_FIX_DATE_BLOCK, ids.RECORD_FIX_DATE_INPUT)
        effective, problem = _effective_on(raw_day, deps.clock.today())
        if effective is None:
            keep_open(ack, ids.RECORD_FIX_DATE_BLOCK, problem)
            return
        scope = form.metadata.removeprefix(ids.PATTERN_METADATA_PREFIX)
        if form.ref is None and scope == form.metadata:
            keep_open(ack, ids.RECORD_FIX_TEXT_BLOCK, REF_BAD)
            return
        ack()
        actor, now = deps.actor(form.user), deps.clock.now()
        fix = Fix(
            text, form.answer(ids.RECORD_FIX_OWNER_BLOCK, ids.RECORD_FIX_OWNER_INPUT), effective
        )
        if form.ref is not None:
            post_id = form.ref.id
            deps.after_ack(lambda: _record_fix(deps, post_id, fix, actor, now))
        else:
            deps.after_ack(lambda: _record_pattern_fix(deps, scope, fix, actor, now))


@dataclass(frozen=True, slots=True)
class Fix:
    text: str
    owner: str | None
    effective: date

    def note(self, user: str) -> str:
        return thread_notes.fix_recorded(
            user, self.text, owner=self.owner, effective=self.effective
        )


def _record_fix(deps: Deps, post_id: int, fix: Fix, actor: Actor, now: datetime) -> None:
    record_fix(
        deps.sessions,
        post_id,
        fix.text,
        actor.key,
        now,
        owner=fix.owner or actor.user,
        effective_on=fix.effective,
    )
    deps.poster.thread_note(post_id, fix.note(actor.user))


def _record_pattern_fix(deps: Deps, scope: str, fix: Fix, actor: Actor, now: datetime) -> None:
    """From an alert or `/denials patterns`: noted in the thread of the pattern's alert."""
    done = record_pattern_fix(
        deps.sessions,
        scope,
        fix.text,
        actor.key,
        now,
        owner=fix.owner or actor.user,
        effective_on=fix.effective,
    )
    if not done.ok:
        log.warning("a fix was submitted for a pattern that is not known")
        return
    if done.alert is not None:
        deps.poster.notes.send(
            NOTE, new_key(), done.alert.channel, fix.note(actor.user), thread_ts=done.alert.ts
        )


def _effective_on(raw: str | None, today: date) -> tuple[date | None, str]:
    """The day the fix takes effect (today when left empty), or why the answer is not one."""
    if not raw:
        return today, ""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None, FIX_DATE_BAD
    if day > today + timedelta(days=366) or day < today - timedelta(days=366):
        return None, FIX_DATE_FAR
    return day, ""


def _sent_on(
    raw: str | None, today: date, *, missing: str = DATE_MISSING
) -> tuple[date | None, str]:
    """The day the appeal went out (or was decided), or why the answer is not one."""
    try:
        day = date.fromisoformat(raw or "")
    except ValueError:
        return None, missing
    if day > today:
        return None, DATE_IN_FUTURE
    if day < today - timedelta(days=730):
        return None, DATE_TOO_OLD
    return day, ""
