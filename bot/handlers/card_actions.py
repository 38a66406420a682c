"""Listeners for the controls on a denial card: root cause, assign, log appeal, overflow
(corrected, paid, write off, reopen, draft appeal letter), and [Open] on a due list or
grouped card."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.blocks import ids
from bot.blocks.denial_card import denial_card
from bot.blocks.modals import appeal_modal, mark_paid_modal, write_off_modal
from bot.deps import Deps
from bot.errors import ConflictError, DenialsError
from bot.handlers.feedback import refuse, show_change, show_latest, show_privately
from bot.handlers.letters import draft_from_card
from bot.services.card_reads import DenialSummary
from bot.services.triage import GONE, AppealForm, TriageResult
from bot.slack.payloads import Click

NOT_A_CARD = "This button is not on a card I know. Nothing was changed."
WRITE_OFF = "write off a denial"

# A change to one denial: (denial id, the version the card showed) -> what happened.
Change = Callable[[int, int], TriageResult]


def register(app: App, deps: Deps) -> None:
    @app.action(ids.ROOT_CAUSE_SELECT)
    def root_cause(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        click = Click.parse(body, action)
        cause = click.cause
        if cause is None:
            refuse(respond, NOT_A_CARD)
            return
        actor, now = deps.actor(click.user), deps.clock.now()
        _run(deps, respond, click, lambda i, v: deps.triage.set_category(i, v, cause, actor, now))

    @app.action(ids.ASSIGN_SELECT)
    def assign(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        click = Click.parse(body, action)
        actor, now = deps.actor(click.user), deps.clock.now()
        _run(deps, respond, click, lambda i, v: deps.triage.assign(i, v, click.choice, actor, now))

    @app.action(ids.LOG_APPEAL_BUTTON)
    def log_appeal(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        click = Click.parse(body, action)
        deps.after_ack(lambda: _open_appeal_form(deps, click, respond), respond)

    @app.action(ids.CARD_OVERFLOW)
    def overflow(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        click = Click.parse(body, action)
        actor, now = deps.actor(click.user), deps.clock.now()
        if click.choice == ids.OVERFLOW_CORRECTED:
            form = AppealForm(
                level="corrected", method=None, sent_on=deps.clock.today(), kind="corrected"
            )
            _run(deps, respond, click, lambda i, v: deps.triage.log_appeal(i, v, form, actor, now))
        elif click.choice == ids.OVERFLOW_REOPEN:
            _run(deps, respond, click, lambda i, v: deps.triage.reopen(i, v, actor, now))
        elif click.choice == ids.OVERFLOW_DRAFT_LETTER:
            deps.after_ack(lambda: draft_from_card(deps, click, respond), respond)
        elif click.choice in (ids.OVERFLOW_PAID, ids.OVERFLOW_WRITE_OFF):
            deps.after_ack(lambda: _open_form(deps, click, respond), respond)
        elif click.choice == ids.OVERFLOW_LOG_REQUEST:
            deps.after_ack(lambda: _open_request_form(deps, click, respond), respond)

    @app.action(ids.OPEN_CARD_BUTTON)
    def open_card(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        click = Click.parse(body, action)
        deps.after_ack(lambda: _show_card(deps, click, respond), respond)


def _open_appeal_form(deps: Deps, click: Click, respond: Respond) -> None:
    denial = _denial_or_refuse(deps, click, respond)
    if denial is None:
        return
    try:
        deps.triage.check_can_appeal(denial.id)
    except DenialsError as refusal:
        refuse(respond, str(refusal))
        return
    ref = ids.denial_ref(denial.id, denial.version)
    view = appeal_modal(ref, denial.claim_number, today=deps.clock.today())
    deps.client.views_open(trigger_id=click.trigger_id, view=view)


def _open_request_form(deps: Deps, click: Click, respond: Respond) -> None:
    from bot.handlers.work_actions import open_request_form  # its own module keeps this short

    denial = _denial_or_refuse(deps, click, respond)
    if denial is not None:
        open_request_form(deps, click.trigger_id, denial.claim_number, denial.payer_name)


def _open_form(deps: Deps, click: Click, respond: Respond) -> None:
    """Mark paid, or write off (managers only): the form, or why not."""
    denial = _denial_or_refuse(deps, click, respond)
    if denial is None:
        return
    ref = ids.denial_ref(denial.id, denial.version)
    if click.choice == ids.OVERFLOW_WRITE_OFF:
        try:
            deps.triage.require_manager(deps.actor(click.user), WRITE_OFF)
        except DenialsError as refusal:
            refuse(respond, str(refusal))
            return
        view = write_off_modal(ref, denial.claim_number, amount=denial.denied_amount)
    else:
        view = mark_paid_modal(ref, denial.claim_number, denied=denial.denied_amount)
    deps.client.views_open(trigger_id=click.trigger_id, view=view)


def _show_card(deps: Deps, click: Click, respond: Respond) -> None:
    """The denial's own card, just for the person asking."""
    view = deps.cards.denial_view(click.number) if click.number is not None else None
    if view is None:
        refuse(respond, GONE)
        return
    show_privately(respond, denial_card(view, today=deps.clock.today()))


def _denial_or_refuse(deps: Deps, click: Click, respond: Respond) -> DenialSummary | None:
    if click.ref is None:
        refuse(respond, NOT_A_CARD)
        return None
    denial = deps.cards.summary(click.ref.id)
    if denial is None:
        refuse(respond, GONE)
    return denial


def _run(deps: Deps, respond: Respond, click: Click, change: Change) -> None:
    """Once acknowledged: apply one change, show it on the card, or tell the person why not."""
    deps.after_ack(lambda: _apply(deps, respond, click, change), respond)


def _apply(deps: Deps, respond: Respond, click: Click, change: Change) -> None:
    if click.ref is None:
        refuse(respond, NOT_A_CARD)
        return
    try:
        result = change(click.ref.id, click.ref.version)
    except DenialsError as refusal:
        refuse(respond, str(refusal))
        if isinstance(refusal, ConflictError):  # the card may show an older state: redraw it
            denial = deps.cards.summary(click.ref.id)
            if denial is not None and denial.post_id is not None:
                show_latest(deps, denial.post_id)
        return
    show_change(deps, result.post_id, result.note)
