"""Form submissions: log appeal, write off, mark paid, record a fix. Bad input stays in the form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from slack_bolt import Ack, App

from bot.blocks import ids, thread_notes
from bot.deps import Deps
from bot.domain.actor import Actor
from bot.errors import DenialsError
from bot.handlers.feedback import show_change
from bot.services.pattern_fixes import record_fix
from bot.services.triage import AppealForm, TriageResult
from bot.slack.payloads import Submission

DATE_IN_FUTURE = "The date sent can't be in the future. Pick the day the appeal went out."
DATE_TOO_OLD = "That date is more than two years ago. Check the year."
DATE_MISSING = "Pick the day the appeal was sent."
AMOUNT_BAD = "Enter the amount the payer paid, like 420.00."
REASON_MISSING = "Say why, for the manager's review."
FIX_MISSING = "Say what changed."
REF_BAD = "This form is out of date. Close it and click the button on the card again."

# A change to the form's denial: (denial id, the version it showed, who) -> what happened.
Change = Callable[[int, int, Actor], TriageResult]


def register(app: App, deps: Deps) -> None:
    @app.view(ids.APPEAL_MODAL)
    def appeal(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = Submission.parse(body, view)
        raw_day = form.answer(ids.APPEAL_SENT_ON_BLOCK, ids.APPEAL_SENT_ON_INPUT)
        sent_on, problem = _sent_on(raw_day, deps.clock.today())
        if sent_on is None:
            ack(response_action="errors", errors={ids.APPEAL_SENT_ON_BLOCK: problem})
            return
        appeal = AppealForm(
            level=form.answer(ids.APPEAL_LEVEL_BLOCK, ids.APPEAL_LEVEL_INPUT) or "1",
            method=form.answer(ids.APPEAL_METHOD_BLOCK, ids.APPEAL_METHOD_INPUT),
            sent_on=sent_on,
            reference=form.answer(ids.APPEAL_REFERENCE_BLOCK, ids.APPEAL_REFERENCE_INPUT),
            note=form.answer(ids.APPEAL_NOTE_BLOCK, ids.APPEAL_NOTE_INPUT),
        )
        now = deps.clock.now()
        _submit(deps, ack, form, lambda i, v, a: deps.triage.log_appeal(i, v, appeal, a, now))

    @app.view(ids.WRITE_OFF_MODAL)
    def write_off(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = Submission.parse(body, view)
        reason = form.text(ids.WRITE_OFF_REASON_BLOCK, ids.WRITE_OFF_REASON_INPUT)
        if not reason:
            ack(response_action="errors", errors={ids.WRITE_OFF_REASON_BLOCK: REASON_MISSING})
            return
        now = deps.clock.now()
        _submit(deps, ack, form, lambda i, v, a: deps.triage.write_off(i, v, reason, a, now))

    @app.view(ids.MARK_PAID_MODAL)
    def mark_paid(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = Submission.parse(body, view)
        amount = _amount(form.answer(ids.MARK_PAID_AMOUNT_BLOCK, ids.MARK_PAID_AMOUNT_INPUT))
        if amount is None:
            ack(response_action="errors", errors={ids.MARK_PAID_AMOUNT_BLOCK: AMOUNT_BAD})
            return
        now = deps.clock.now()
        _submit(deps, ack, form, lambda i, v, a: deps.triage.mark_paid(i, v, amount, a, now))

    @app.view(ids.RECORD_FIX_MODAL)
    def fix(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = Submission.parse(body, view)
        text = form.text(ids.RECORD_FIX_TEXT_BLOCK, ids.RECORD_FIX_TEXT_INPUT)
        if not text:
            ack(response_action="errors", errors={ids.RECORD_FIX_TEXT_BLOCK: FIX_MISSING})
            return
        if form.ref is None:
            ack(response_action="errors", errors={ids.RECORD_FIX_TEXT_BLOCK: REF_BAD})
            return
        ack()
        post_id, actor, now = form.ref.id, deps.actor(form.user), deps.clock.now()
        deps.after_ack(lambda: _record_fix(deps, post_id, text, actor, now))


def _submit(deps: Deps, ack: Ack, form: Submission, change: Change) -> None:
    """Store first; a refusal keeps the form open with the reason, success closes it."""
    if form.ref is None:
        ack(response_action="errors", errors={form.first_block: REF_BAD})
        return
    try:
        result = change(form.ref.id, form.ref.version, deps.actor(form.user))
    except DenialsError as refusal:
        ack(response_action="errors", errors={form.first_block: str(refusal)})
        return
    ack()
    deps.after_ack(lambda: show_change(deps, result.post_id, result.note))


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
