"""Listeners for the cards of documentation requests and rejections, and their forms.

Same shape as `card_actions` and `modals`: acknowledge at once, then one use case of
`WorkItems`, then the card refreshed in place with a note in its thread (or a refusal, just for
the person who clicked).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.blocks import ids
from bot.blocks.history import history_message
from bot.blocks.work_modals import corrected_modal, due_modal, request_modal, sent_modal
from bot.deps import Deps
from bot.domain.actor import Actor
from bot.errors import DenialsError
from bot.handlers.feedback import NOT_A_CHOICE, NOT_A_PERSON, refuse, show_privately
from bot.handlers.listen import change_card, keep_open, on_click, on_submit, submit_change
from bot.services.audited import TriageResult
from bot.services.history import work_history
from bot.services.work_items import REJECTION, REJECTION_GONE, REQUEST, REQUEST_GONE, Brief
from bot.slack.payloads import Click, Submission

NOT_A_CARD = "This button is not on a card I know. Nothing was changed."
FORM_OUT_OF_DATE = "This form is out of date. Close it and click the button on the card again."
CLAIM_MISSING = "Which claim? Type the claim number from the payer's letter."
DATE_MISSING = "Pick a date."
DATE_IN_FUTURE = "That day hasn't come yet. Pick the day it happened."
DATE_TOO_OLD = "That date is more than a year ago. Check the year."
DUE_TOO_FAR = "That date is more than a year away. Check the year."
LOGGED = "Logged: records for claim {claim} due {due}; the card is in the channel."
YEAR = timedelta(days=366)

Change = Callable[[int, int | None], TriageResult]


# A form a click opens: the item's brief and today in, the view out.
Form = Callable[[Brief, date], dict[str, Any]]
# What an overflow choice does: (who clicked, when) -> the change.
Choice = Callable[[Actor, datetime], Change]
Assign = Callable[[int, int | None, str | None, Actor, datetime], TriageResult]


def register(app: App, deps: Deps) -> None:
    # `deps.work` is read when a click comes, not here: registering needs no database
    _on_click(
        app, deps, REQUEST, ids.REQUEST_ASSIGN_SELECT, assign=lambda: deps.work.assign_request
    )
    _on_click(app, deps, REQUEST, ids.REQUEST_SENT_BUTTON, form=_sent_form)
    _on_click(
        app,
        deps,
        REQUEST,
        ids.REQUEST_OVERFLOW,
        choices={
            ids.WORK_WITHDRAWN: lambda a, now: lambda i, v: deps.work.withdraw(i, v, None, a, now),
            ids.WORK_ACCEPTED: lambda a, now: lambda i, v: deps.work.accept(i, v, a, now),
            ids.WORK_REOPEN: lambda a, now: lambda i, v: deps.work.reopen_request(i, v, a, now),
        },
        forms={ids.WORK_DUE_DATE: _due_form},
    )
    _on_click(
        app, deps, REJECTION, ids.REJECTION_ASSIGN_SELECT, assign=lambda: deps.work.assign_rejection
    )
    _on_click(app, deps, REJECTION, ids.REJECTION_CORRECTED_BUTTON, form=_corrected_form)
    _on_click(
        app,
        deps,
        REJECTION,
        ids.REJECTION_OVERFLOW,
        choices={
            ids.WORK_CLOSE: lambda a, now: (
                lambda i, v: deps.work.close_rejection(i, v, None, a, now)
            ),
            ids.WORK_REOPEN: lambda a, now: lambda i, v: deps.work.reopen_rejection(i, v, a, now),
        },
    )
    _register_forms(app, deps)

    @on_click(app, ids.OPEN_REQUEST_BUTTON)
    def open_request(click: Click, respond: Respond) -> None:
        deps.after_ack(lambda: _show(deps, respond, REQUEST, click.number), respond)

    @on_click(app, ids.OPEN_REJECTION_BUTTON)
    def open_rejection(click: Click, respond: Respond) -> None:
        deps.after_ack(lambda: _show(deps, respond, REJECTION, click.number), respond)


def _on_click(
    app: App,
    deps: Deps,
    kind: str,
    action_id: str,
    *,
    assign: Callable[[], Assign] | None = None,
    form: Form | None = None,
    choices: dict[str, Choice] | None = None,
    forms: dict[str, Form] | None = None,
) -> None:
    """One control of a request's or rejection's card: a user select that assigns, a button
    that opens a form, or an overflow whose choices change the item or open a form."""

    @on_click(app, action_id)
    def clicked(click: Click, respond: Respond) -> None:
        actor, now = deps.actor(click.user), deps.clock.now()
        if assign is not None:
            who, change = click.person, assign()
            if who is None:
                refuse(respond, NOT_A_PERSON)
                return
            _run(deps, respond, click, kind, lambda i, v: change(i, v, who, actor, now))
            return
        choice = click.choice or ""
        if choices is not None and choice == ids.WORK_HISTORY:
            deps.after_ack(lambda: _show_history(deps, click, respond, kind), respond)
            return
        opens = form or (forms or {}).get(choice)
        if opens is not None:
            deps.after_ack(lambda: _open_form(deps, click, respond, kind, opens), respond)
        elif choices and choice in choices:
            _run(deps, respond, click, kind, choices[choice](actor, now))
        else:
            refuse(respond, NOT_A_CHOICE)


def _open_form(deps: Deps, click: Click, respond: Respond, kind: str, form: Form) -> None:
    item = _item_or_refuse(deps, respond, click, kind)
    if item is not None:
        view = form(item, deps.clock.today())
        deps.client.views_open(trigger_id=click.trigger_id, view=view)


def _sent_form(item: Brief, today: date) -> dict[str, Any]:
    return sent_modal(ids.denial_ref(item.id, item.version), item.subject, today=today)


def _due_form(item: Brief, today: date) -> dict[str, Any]:
    return due_modal(ids.denial_ref(item.id, item.version), item.subject, due=item.due)


def _corrected_form(item: Brief, today: date) -> dict[str, Any]:
    return corrected_modal(ids.denial_ref(item.id, item.version), item.subject, today=today)


def _register_forms(app: App, deps: Deps) -> None:
    def submit(ack: Ack, form: Submission, change: Change) -> None:
        submit_change(deps, ack, form, change, stale=FORM_OUT_OF_DATE)

    @on_submit(app, ids.REQUEST_MODAL)
    def log(form: Submission, ack: Ack) -> None:
        today = deps.clock.today()
        claim = form.text(ids.REQUEST_CLAIM_BLOCK, ids.REQUEST_CLAIM_INPUT)
        if not claim:
            keep_open(ack, ids.REQUEST_CLAIM_BLOCK, CLAIM_MISSING)
            return
        raw_due = form.text(ids.REQUEST_DUE_BLOCK, ids.REQUEST_DUE_INPUT)
        due = _day(raw_due) if raw_due else None
        if raw_due and (due is None or abs((due - today).days) > YEAR.days):
            keep_open(ack, ids.REQUEST_DUE_BLOCK, DUE_TOO_FAR)
            return
        try:
            logged = deps.work.log_request(
                claim,
                due=due,
                what=form.text(ids.REQUEST_WHAT_BLOCK, ids.REQUEST_WHAT_INPUT) or None,
                payer_name=form.text(ids.REQUEST_PAYER_BLOCK, ids.REQUEST_PAYER_INPUT) or None,
                actor=deps.actor(form.user),
                now=deps.clock.now(),
                today=today,
            )
        except DenialsError as refusal:
            keep_open(ack, ids.REQUEST_CLAIM_BLOCK, str(refusal))
            return
        ack()
        deps.after_ack(lambda: deps.poster.post_now(logged.post_id))

    @on_submit(app, ids.REQUEST_SENT_MODAL)
    def sent(form: Submission, ack: Ack) -> None:
        day, problem = _past_day(form.text(ids.SENT_ON_BLOCK, ids.SENT_ON_INPUT), deps)
        if day is None:
            keep_open(ack, ids.SENT_ON_BLOCK, problem)
            return
        method = form.text(ids.SENT_METHOD_BLOCK, ids.SENT_METHOD_INPUT) or None
        reference = form.text(ids.SENT_REFERENCE_BLOCK, ids.SENT_REFERENCE_INPUT) or None
        actor = deps.actor(form.user)
        submit(
            ack,
            form,
            lambda i, v: deps.work.mark_sent(
                i,
                v,
                sent_on=day,
                method=method,
                reference=reference,
                actor=actor,
                now=deps.clock.now(),
            ),
        )

    @on_submit(app, ids.REQUEST_DUE_MODAL)
    def due(form: Submission, ack: Ack) -> None:
        day = _day(form.text(ids.REQUEST_DUE_BLOCK, ids.REQUEST_DUE_INPUT))
        if day is None or abs((day - deps.clock.today()).days) > YEAR.days:
            keep_open(ack, ids.REQUEST_DUE_BLOCK, DUE_TOO_FAR)
            return
        actor = deps.actor(form.user)
        submit(ack, form, lambda i, v: deps.work.set_due(i, v, day, actor, deps.clock.now()))

    @on_submit(app, ids.REJECTION_CORRECTED_MODAL)
    def corrected(form: Submission, ack: Ack) -> None:
        day, problem = _past_day(form.text(ids.CORRECTED_ON_BLOCK, ids.CORRECTED_ON_INPUT), deps)
        if day is None:
            keep_open(ack, ids.CORRECTED_ON_BLOCK, problem)
            return
        note = form.text(ids.CORRECTED_NOTE_BLOCK, ids.CORRECTED_NOTE_INPUT) or None
        actor = deps.actor(form.user)
        submit(
            ack,
            form,
            lambda i, v: deps.work.mark_corrected(
                i, v, on=day, note=note, actor=actor, now=deps.clock.now()
            ),
        )


def open_request_form(deps: Deps, trigger_id: str | None, claim: str, payer: str | None) -> None:
    """The "Log a records request" form, from a denial card's ⋯ menu."""
    deps.client.views_open(trigger_id=trigger_id, view=request_modal(claim=claim, payer=payer))


# -- shared ----------------------------------------------------------------------------------


def _run(deps: Deps, respond: Respond, click: Click, kind: str, change: Change) -> None:
    def post_of(item_id: int) -> int | None:
        item = deps.work.brief(kind, item_id)
        return item.post_id if item is not None else None

    change_card(deps, respond, click, change, unknown=NOT_A_CARD, post_of=post_of)


def _item_or_refuse(deps: Deps, respond: Respond, click: Click, kind: str) -> Brief | None:
    if click.ref is None:
        refuse(respond, NOT_A_CARD)
        return None
    item = deps.work.brief(kind, click.ref.id)
    if item is None:
        refuse(respond, REQUEST_GONE if kind == REQUEST else REJECTION_GONE)
    return item


def _show(deps: Deps, respond: Respond, kind: str, item_id: int | None) -> None:
    """[Open] on a list row: the card, just for the person asking."""
    message = (
        deps.work.card(kind, item_id, phi=deps.settings.phi, today=deps.clock.today())
        if item_id is not None
        else None
    )
    if message is None:
        refuse(respond, REQUEST_GONE if kind == REQUEST else REJECTION_GONE)
        return
    show_privately(respond, message)


def _show_history(deps: Deps, click: Click, respond: Respond, kind: str) -> None:
    """⋯ History: who did what to the item and when, just for the person asking; read-only."""
    history = work_history(deps.sessions, kind, click.ref.id) if click.ref is not None else None
    if history is None:
        gone = REQUEST_GONE if kind == REQUEST else REJECTION_GONE
        refuse(respond, gone if click.ref is not None else NOT_A_CARD)
        return
    show_privately(respond, history_message(history, deps.clock.zone))


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _past_day(raw: str, deps: Deps) -> tuple[date | None, str]:
    day = _day(raw) if raw else None
    today = deps.clock.today()
    if day is None:
        return None, DATE_MISSING
    if day > today:
        return None, DATE_IN_FUTURE
    if day < today - YEAR:
        return None, DATE_TOO_OLD
    return day, ""
