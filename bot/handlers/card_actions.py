"""Listeners for the controls on a denial card: root cause, assign, log appeal, overflow
(corrected, paid, write off, reopen, draft appeal letter, records request, history), and [Open]
on a due list or grouped card."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, Respond

from bot.blocks import ids
from bot.blocks.denial_card import denial_card
from bot.blocks.history import history_message
from bot.blocks.modals import appeal_modal, mark_paid_modal, outcome_modal, write_off_modal
from bot.deps import Deps
from bot.errors import DenialsError
from bot.handlers.feedback import NOT_A_CHOICE, NOT_A_PERSON, refuse, show_privately
from bot.handlers.letters import draft_from_card
from bot.handlers.listen import Change, change_card, on_click
from bot.services.card_reads import DenialSummary
from bot.services.history import denial_history
from bot.services.triage import GONE, AppealForm
from bot.slack.payloads import Click

NOT_A_CARD = "This button is not on a card I know. Nothing was changed."
NOT_A_CAUSE = "That is not a root cause I know. Pick one from the card's list. Nothing was changed."
NOT_A_DENIAL = "This button does not name a denial. Use `/denials find CLAIM` to see its card."
WRITE_OFF = "write off a denial"
NOTHING_WAITS = (
    "Nothing sent for claim {claim} is waiting for the payer's decision. Log the appeal or the "
    "corrected claim first."
)
# What a click opens once acknowledged (a form, or why not).
Opener = Callable[[Deps, Click, Respond], None]


def register(app: App, deps: Deps) -> None:
    def run(respond: Respond, click: Click, change: Change) -> None:
        change_card(deps, respond, click, change, unknown=NOT_A_CARD, post_of=deps.cards.post_of)

    @on_click(app, ids.ROOT_CAUSE_SELECT)
    def root_cause(click: Click, respond: Respond) -> None:
        cause = click.cause
        if cause is None:
            refuse(respond, NOT_A_CAUSE)
            return
        actor, now = deps.actor(click.user), deps.clock.now()
        run(respond, click, lambda i, v: deps.triage.set_category(i, v, cause, actor, now))

    @on_click(app, ids.ASSIGN_SELECT)
    def assign(click: Click, respond: Respond) -> None:
        person = click.person
        if person is None:
            refuse(respond, NOT_A_PERSON)
            return
        actor, now = deps.actor(click.user), deps.clock.now()
        run(respond, click, lambda i, v: deps.triage.assign(i, v, person, actor, now))

    def corrected(click: Click, respond: Respond) -> None:
        actor, now = deps.actor(click.user), deps.clock.now()
        form = AppealForm(
            level="corrected", method=None, sent_on=deps.clock.today(), kind="corrected"
        )
        run(respond, click, lambda i, v: deps.triage.log_appeal(i, v, form, actor, now))

    def later(click: Click, respond: Respond, then: Opener) -> None:
        deps.after_ack(lambda: then(deps, click, respond), respond)

    @on_click(app, ids.LOG_APPEAL_BUTTON)
    def log_appeal(click: Click, respond: Respond) -> None:
        later(click, respond, _open_appeal_form)

    # the main button as the denial moves on (bot/blocks/card_state.py)
    on_click(app, ids.CORRECTED_BUTTON)(corrected)

    @on_click(app, ids.LOG_OUTCOME_BUTTON)
    def log_outcome(click: Click, respond: Respond) -> None:
        later(click, respond, _open_outcome_form)

    @on_click(app, ids.MARK_PAID_BUTTON)
    def mark_paid(click: Click, respond: Respond) -> None:
        later(click, respond, _open_paid_form)

    @on_click(app, ids.CARD_OVERFLOW)
    def overflow(click: Click, respond: Respond) -> None:
        actor, now = deps.actor(click.user), deps.clock.now()
        if click.choice == ids.OVERFLOW_CORRECTED:
            corrected(click, respond)
        elif click.choice == ids.OVERFLOW_REOPEN:
            run(respond, click, lambda i, v: deps.triage.reopen(i, v, actor, now))
        elif click.choice == ids.OVERFLOW_DRAFT_LETTER:
            deps.after_ack(lambda: draft_from_card(deps, click, respond), respond)
        elif click.choice == ids.OVERFLOW_PAID:
            later(click, respond, _open_paid_form)
        elif click.choice == ids.OVERFLOW_WRITE_OFF:
            later(click, respond, _open_write_off_form)
        elif click.choice == ids.OVERFLOW_LOG_REQUEST:
            later(click, respond, _open_request_form)
        elif click.choice == ids.OVERFLOW_LOG_APPEAL:
            later(click, respond, _open_appeal_form)
        elif click.choice == ids.OVERFLOW_LOG_OUTCOME:
            later(click, respond, _open_outcome_form)
        elif click.choice == ids.OVERFLOW_HISTORY:
            later(click, respond, _show_history)
        else:
            refuse(respond, NOT_A_CHOICE)

    @on_click(app, ids.OPEN_CARD_BUTTON)
    def open_card(click: Click, respond: Respond) -> None:
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


def _open_write_off_form(deps: Deps, click: Click, respond: Respond) -> None:
    """Write off (managers only): the form, or why not."""
    denial = _denial_or_refuse(deps, click, respond)
    if denial is None:
        return
    try:
        deps.triage.require_manager(deps.actor(click.user), WRITE_OFF)
    except DenialsError as refusal:
        refuse(respond, str(refusal))
        return
    ref = ids.denial_ref(denial.id, denial.version)
    view = write_off_modal(ref, denial.claim_number, amount=denial.denied_amount)
    deps.client.views_open(trigger_id=click.trigger_id, view=view)


def _open_paid_form(deps: Deps, click: Click, respond: Respond) -> None:
    denial = _denial_or_refuse(deps, click, respond)
    if denial is None:
        return
    ref = ids.denial_ref(denial.id, denial.version)
    view = mark_paid_modal(ref, denial.claim_number, denied=denial.denied_amount)
    deps.client.views_open(trigger_id=click.trigger_id, view=view)


def _open_outcome_form(deps: Deps, click: Click, respond: Respond) -> None:
    """The payer's decision on what the card waits on; refused when nothing waits."""
    denial = _denial_or_refuse(deps, click, respond)
    if denial is None:
        return
    card = deps.cards.denial_view(denial.id)
    if card is None or card.appeal is None:
        refuse(respond, NOTHING_WAITS.format(claim=denial.claim_number))
        return
    view = outcome_modal(
        ids.denial_ref(denial.id, denial.version),
        denial.claim_number,
        corrected=card.appeal.kind == "corrected",
        sent_on=card.appeal.sent_on,
        today=deps.clock.today(),
    )
    deps.client.views_open(trigger_id=click.trigger_id, view=view)


def _show_card(deps: Deps, click: Click, respond: Respond) -> None:
    """The denial's own card, just for the person asking."""
    if click.number is None:
        refuse(respond, NOT_A_DENIAL)
        return
    view = deps.cards.denial_view(click.number)
    if view is None:
        refuse(respond, GONE)
        return
    show_privately(respond, denial_card(view, today=deps.clock.today()))


def _show_history(deps: Deps, click: Click, respond: Respond) -> None:
    """Who did what to the denial and when, just for the person asking; read-only."""
    history = denial_history(deps.sessions, click.ref.id) if click.ref is not None else None
    if history is None:
        refuse(respond, GONE if click.ref is not None else NOT_A_CARD)
        return
    show_privately(respond, history_message(history, deps.clock.zone))


def _denial_or_refuse(deps: Deps, click: Click, respond: Respond) -> DenialSummary | None:
    if click.ref is None:
        refuse(respond, NOT_A_CARD)
        return None
    denial = deps.cards.summary(click.ref.id)
    if denial is None:
        refuse(respond, GONE)
    return denial
