"""Listeners for the controls on a denial card: root cause, assign, log appeal, overflow
(corrected, paid, write off, reopen, draft appeal letter)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.blocks import ids
from bot.blocks.modals import appeal_modal, mark_paid_modal, write_off_modal
from bot.deps import Deps
from bot.domain.findings import RootCause
from bot.handlers.feedback import refuse, show_change, show_latest
from bot.handlers.letters import draft_from_card
from bot.services.lookup import find_denial
from bot.services.triage import GONE, AppealForm, TriageRefused, TriageResult

NOT_A_CARD = "This button is not on a card I know. Nothing was changed."


def register(app: App, deps: Deps) -> None:
    @app.action(ids.ROOT_CAUSE_SELECT)
    def root_cause(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        cause = RootCause(action["selected_option"]["value"])
        _run(
            deps,
            respond,
            action,
            lambda i, v: deps.triage.set_category(i, v, cause, deps.actor(body), deps.clock.now()),
        )

    @app.action(ids.ASSIGN_SELECT)
    def assign(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        assignee = action.get("selected_user") or None
        _run(
            deps,
            respond,
            action,
            lambda i, v: deps.triage.assign(i, v, assignee, deps.actor(body), deps.clock.now()),
        )

    @app.action(ids.LOG_APPEAL_BUTTON)
    def log_appeal(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        deps.after_ack(lambda: _open_appeal_form(deps, body, action, respond), respond)

    @app.action(ids.CARD_OVERFLOW)
    def overflow(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        choice = action["selected_option"]["value"]
        actor = deps.actor(body)
        now = deps.clock.now()
        if choice == ids.OVERFLOW_CORRECTED:
            form = AppealForm(
                level="corrected", method=None, sent_on=deps.clock.today(), kind="corrected"
            )
            _run(deps, respond, action, lambda i, v: deps.triage.log_appeal(i, v, form, actor, now))
        elif choice == ids.OVERFLOW_REOPEN:
            _run(deps, respond, action, lambda i, v: deps.triage.reopen(i, v, actor, now))
        elif choice == ids.OVERFLOW_DRAFT_LETTER:
            deps.after_ack(lambda: draft_from_card(deps, body, action, respond), respond)
        elif choice in (ids.OVERFLOW_PAID, ids.OVERFLOW_WRITE_OFF):
            deps.after_ack(lambda: _open_form(deps, body, action, respond, choice), respond)
        elif choice == ids.OVERFLOW_LOG_REQUEST:
            deps.after_ack(lambda: _open_request_form(deps, body, action, respond), respond)

    @app.action(ids.OPEN_CARD_BUTTON)
    def open_card(ack: Ack, action: dict[str, Any], respond: Respond) -> None:
        ack()
        from bot.handlers.open_card import show_card  # a second module keeps this one short

        denial_id = int(action["value"])
        deps.after_ack(lambda: show_card(deps, respond, denial_id), respond)


def _open_appeal_form(
    deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond
) -> None:
    denial = _denial_or_refuse(deps, respond, action)
    if denial is not None:
        try:
            deps.triage.check_can_appeal(denial.id)
        except TriageRefused as refusal:
            refuse(respond, str(refusal))
            return
        ref = ids.denial_ref(denial.id, denial.version)
        view = appeal_modal(ref, denial.claim_number, today=deps.clock.today())
        deps.client.views_open(trigger_id=body["trigger_id"], view=view)


def _open_request_form(
    deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond
) -> None:
    from bot.handlers.work_actions import open_request_form  # its own module keeps this short

    denial = _denial_or_refuse(deps, respond, action)
    if denial is not None:
        open_request_form(deps, body["trigger_id"], denial.claim_number, denial.payer_name)


def _open_form(
    deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond, choice: str
) -> None:
    denial = _denial_or_refuse(deps, respond, action)
    if denial is None:
        return
    ref = ids.denial_ref(denial.id, denial.version)
    if choice == ids.OVERFLOW_WRITE_OFF:
        try:
            deps.triage.require_manager(deps.actor(body), "write off a denial")
        except TriageRefused as refusal:
            refuse(respond, str(refusal))
            return
        view = write_off_modal(ref, denial.claim_number, amount=denial.denied_amount)
    else:
        view = mark_paid_modal(ref, denial.claim_number, denied=denial.denied_amount)
    deps.client.views_open(trigger_id=body["trigger_id"], view=view)


def _denial_or_refuse(deps: Deps, respond: Respond, action: dict[str, Any]) -> Any:
    try:
        denial_id, _version = ids.ref_from_action(action)
    except ValueError:
        refuse(respond, NOT_A_CARD)
        return None
    denial = find_denial(deps.sessions, denial_id)
    if denial is None:
        refuse(respond, GONE)
    return denial


def _run(deps: Deps, respond: Respond, action: dict[str, Any], change: Any) -> None:
    """Once acknowledged: apply one change, show it on the card, or tell the person why not."""
    deps.after_ack(lambda: _apply(deps, respond, action, change), respond)


def _apply(deps: Deps, respond: Respond, action: dict[str, Any], change: Any) -> None:
    try:
        denial_id, version = ids.ref_from_action(action)
    except ValueError:
        refuse(respond, NOT_A_CARD)
        return
    try:
        result: TriageResult = change(denial_id, version)
    except TriageRefused as refusal:
        refuse(respond, str(refusal))
        denial = find_denial(deps.sessions, denial_id)
        if denial is not None and denial.post_id is not None:
            show_latest(deps, denial.post_id)
        return
    show_change(deps, result)
