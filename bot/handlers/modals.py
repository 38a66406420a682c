"""Form submissions: log appeal, write off, mark paid, record a fix. Bad input stays in the form."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from slack_bolt import Ack, App

from bot.blocks import ids, thread_notes
from bot.deps import Deps
from bot.domain.actor import Actor
from bot.handlers.listen import Change, keep_open, on_submit, submit_change
from bot.services.pattern_fixes import record_fix
from bot.services.triage import AppealForm
from bot.slack.payloads import Submission

DATE_IN_FUTURE = "The date sent can't be in the future. Pick the day the appeal went out."
DATE_TOO_OLD = "That date is more than two years ago. Check the year."
DATE_MISSING = "Pick the day the appeal was sent."
AMOUNT_BAD = "Enter the amount the payer paid, like 420.00."
REASON_MISSING = "Say why, for the manager's review."
FIX_MISSING = "Say what changed."
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
        amount = _amount(form.answer(ids.MARK_PAID_AMOUNT_BLOCK, ids.MARK_PAID_AMOUNT_INPUT))
        if amount is None:
            keep_open(ack, ids.MARK_PAID_AMOUNT_BLOCK, AMOUNT_BAD)
            return
        actor, now = deps.actor(form.user), deps.clock.now()
        submit(ack, form, lambda i, v: deps.triage.mark_paid(i, v, amount, actor, now))

    @on_submit(app, ids.RECORD_FIX_MODAL)
    def fix(form: Submission, ack: Ack) -> None:
        text = form.text(ids.RECORD_FIX_TEXT_BLOCK, ids.RECORD_FIX_TEXT_INPUT)
        if not text:
            keep_open(ack, ids.RECORD_FIX_TEXT_BLOCK, FIX_MISSING)
            return
        if form.ref is None:
            keep_open(ack, ids.RECORD_FIX_TEXT_BLOCK, REF_BAD)
            return
        ack()
        post_id, actor, now = form.ref.id, deps.actor(form.user), deps.clock.now()
        deps.after_ack(lambda: _record_fix(deps, post_id, text, actor, now))


def _record_fix(deps: Deps, post_id: int, text: str, actor: Actor, now: datetime) -> None:
    record_fix(deps.sessions, post_id, text, actor.key, now)
    deps.poster.thread_note(post_id, thread_notes.fix_recorded(actor.user, text))


def _sent_on(raw: str | None, today: date) -> tuple[date | None, str]:
    """The day the appeal went out, or why the answer is not one."""
    try:
        day = date.fromisoformat(raw or "")
    except ValueError:
        return None, DATE_MISSING
    if day > today:
        return None, DATE_IN_FUTURE
    if day < today - timedelta(days=730):
        return None, DATE_TOO_OLD
    return day, ""


def _amount(raw: str | None) -> Decimal | None:
    try:
        amount = Decimal((raw or "").replace("$", "").replace(",", "").strip())
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount <= 0:
        return None
    return amount.quantize(Decimal("0.01"))
