"""Form submissions: log appeal, write off, mark paid, record a fix. Bad input stays in the form."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from slack_bolt import Ack, App

from bot.blocks import ids, thread_notes
from bot.deps import Deps
from bot.handlers.feedback import show_change
from bot.services.pattern_fixes import record_fix
from bot.services.triage import Actor, AppealForm, TriageRefused, TriageResult

DATE_IN_FUTURE = "The date sent can't be in the future. Pick the day the appeal went out."
DATE_TOO_OLD = "That date is more than two years ago. Check the year."
DATE_MISSING = "Pick the day the appeal was sent."
AMOUNT_BAD = "Enter the amount the payer paid, like 420.00."
REASON_MISSING = "Say why, for the manager's review."
REF_BAD = "This form is out of date. Close it and click the button on the card again."


def register(app: App, deps: Deps) -> None:
    @app.view(ids.APPEAL_MODAL)
    def appeal(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = view["state"]["values"]
        sent_on, problem = _sent_on(
            _value(values, ids.APPEAL_SENT_ON_BLOCK, ids.APPEAL_SENT_ON_INPUT), deps.clock.today()
        )
        if problem:
            ack(response_action="errors", errors={ids.APPEAL_SENT_ON_BLOCK: problem})
            return
        assert sent_on is not None
        form = AppealForm(
            level=_value(values, ids.APPEAL_LEVEL_BLOCK, ids.APPEAL_LEVEL_INPUT) or "1",
            method=_value(values, ids.APPEAL_METHOD_BLOCK, ids.APPEAL_METHOD_INPUT),
            sent_on=sent_on,
            reference=_value(values, ids.APPEAL_REFERENCE_BLOCK, ids.APPEAL_REFERENCE_INPUT),
            note=_value(values, ids.APPEAL_NOTE_BLOCK, ids.APPEAL_NOTE_INPUT),
        )
        _submit(
            deps,
            ack,
            body,
            view,
            lambda i, v, a: deps.triage.log_appeal(i, v, form, a, deps.clock.now()),
        )

    @app.view(ids.WRITE_OFF_MODAL)
    def write_off(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        reason = _text(view, ids.WRITE_OFF_REASON_BLOCK, ids.WRITE_OFF_REASON_INPUT)
        if not reason:
            ack(response_action="errors", errors={ids.WRITE_OFF_REASON_BLOCK: REASON_MISSING})
            return
        _submit(
            deps,
            ack,
            body,
            view,
            lambda i, v, a: deps.triage.write_off(i, v, reason, a, deps.clock.now()),
        )

    @app.view(ids.MARK_PAID_MODAL)
    def mark_paid(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        raw = _value(
            view["state"]["values"], ids.MARK_PAID_AMOUNT_BLOCK, ids.MARK_PAID_AMOUNT_INPUT
        )
        amount = _amount(raw)
        if amount is None:
            ack(response_action="errors", errors={ids.MARK_PAID_AMOUNT_BLOCK: AMOUNT_BAD})
            return
        _submit(
            deps,
            ack,
            body,
            view,
            lambda i, v, a: deps.triage.mark_paid(i, v, amount, a, deps.clock.now()),
        )

    @app.view(ids.RECORD_FIX_MODAL)
    def fix(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        text = _text(view, ids.RECORD_FIX_TEXT_BLOCK, ids.RECORD_FIX_TEXT_INPUT)
        if not text:
            ack(response_action="errors", errors={ids.RECORD_FIX_TEXT_BLOCK: "Say what changed."})
            return
        try:
            post_id, _ = ids.parse_denial_ref(view.get("private_metadata", ""))
        except ValueError:
            ack(response_action="errors", errors={ids.RECORD_FIX_TEXT_BLOCK: REF_BAD})
            return
        ack()
        actor, now = deps.actor(body), deps.clock.now()
        deps.after_ack(lambda: _record_fix(deps, post_id, text, actor, now))


def _submit(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any], change: Any) -> None:
    """Store first; a refusal keeps the form open with the reason, success closes it."""
    try:
        denial_id, version = ids.parse_denial_ref(view.get("private_metadata", ""))
    except ValueError:
        ack(response_action="errors", errors={_first_block(view): REF_BAD})
        return
    try:
        result: TriageResult = change(denial_id, version, deps.actor(body))
    except TriageRefused as refusal:
        ack(response_action="errors", errors={_first_block(view): str(refusal)})
        return
    ack()
    deps.after_ack(lambda: show_change(deps, result))


def _record_fix(deps: Deps, post_id: int, text: str, actor: Actor, now: datetime) -> None:
    record_fix(deps.sessions, post_id, text, actor.key, now)
    deps.poster.thread_note(post_id, thread_notes.fix_recorded(actor.user, text))


def _first_block(view: dict[str, Any]) -> str:
    for block in view.get("blocks", []):
        if block.get("type") == "input":
            return str(block["block_id"])
    return ""


def _value(values: dict[str, Any], block: str, action: str) -> str | None:
    element = values.get(block, {}).get(action, {})
    if element.get("selected_option"):
        return str(element["selected_option"]["value"])
    value = element.get("selected_date") or element.get("value")
    return str(value) if value not in (None, "") else None


def _text(view: dict[str, Any], block: str, action: str) -> str:
    """A typed answer without surrounding spaces ("" when left empty)."""
    return (_value(view["state"]["values"], block, action) or "").strip()


def _sent_on(raw: str | None, today: date) -> tuple[date | None, str | None]:
    if not raw:
        return None, DATE_MISSING
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None, DATE_MISSING
    if day > today:
        return None, DATE_IN_FUTURE
    if day < today - timedelta(days=730):
        return None, DATE_TOO_OLD
    return day, None


def _amount(raw: str | None) -> Decimal | None:
    try:
        amount = Decimal((raw or "").replace("$", "").replace(",", "").strip())
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount <= 0:
        return None
    return amount.quantize(Decimal("0.01"))
