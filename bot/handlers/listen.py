"""How a listener is wired, once for all of them: a click or a form is acknowledged (or kept
open) at once and its payload read into a typed value, and the change most of them make to a
card goes the same way: applied, then the card redrawn with a note in its thread, or the person
told why not (and a card that showed an older state redrawn)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from slack_bolt import Ack, App, Respond

from bot.deps import Deps
from bot.errors import ConflictError, DenialsError
from bot.handlers.feedback import refuse, show_change, show_latest
from bot.slack.payloads import Click, Submission

ClickHandler = Callable[[Click, Respond], None]
FormHandler = Callable[[Submission, Ack], None]
# The card a reference names (a denial, a grouped card, a request…): where its post is.
PostOf = Callable[[int], int | None]


class Changed(Protocol):
    """What a change to a card's item says: which card to redraw, the note for its thread."""

    @property
    def post_id(self) -> int | None: ...

    @property
    def note(self) -> str: ...


# A refusal a form answers by showing itself again, changed (None: beside the first input).
Redraw = Callable[[DenialsError], dict[str, Any] | None]

# One change to the item a card or form is about: (id, the version it showed) -> what happened.
Change = Callable[[int, int], Changed]


def on_click(app: App, action_id: str) -> Callable[[ClickHandler], ClickHandler]:
    """Register `handler(click, respond)` for a control: acknowledged first, then read."""

    def register(handler: ClickHandler) -> ClickHandler:
        def listener(
            ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
        ) -> None:
            ack()
            handler(Click.parse(body, action), respond)

        app.action(action_id)(listener)
        return handler

    return register


def on_submit(app: App, callback_id: str) -> Callable[[FormHandler], FormHandler]:
    """Register `handler(form, ack)` for a form: it acknowledges, closing or keeping it open."""

    def register(handler: FormHandler) -> FormHandler:
        def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
            handler(Submission.parse(body, view), ack)

        app.view(callback_id)(listener)
        return handler

    return register


def keep_open(ack: Ack, block: str, problem: str) -> None:
    """Answer a form with `problem` beside the input `block`: the form stays open."""
    ack(response_action="errors", errors={block: problem})


def change_card(
    deps: Deps, respond: Respond, click: Click, change: Change, *, unknown: str, post_of: PostOf
) -> None:
    """Once acknowledged: apply `change` to the item the clicked card is about."""

    def apply() -> None:
        if click.ref is None:
            refuse(respond, unknown)
            return
        try:
            result = change(click.ref.id, click.ref.version)
        except DenialsError as refusal:
            refuse(respond, str(refusal))
            if isinstance(refusal, ConflictError):  # the card may show an older state
                post_id = post_of(click.ref.id)
                if post_id is not None:
                    show_latest(deps, post_id)
            return
        show_change(deps, result.post_id, result.note)

    deps.after_ack(apply, respond)


def submit_change(
    deps: Deps,
    ack: Ack,
    form: Submission,
    change: Change,
    *,
    stale: str,
    redraw: Redraw | None = None,
) -> None:
    """Store first: a refusal keeps the form open with the reason (or the form `redraw` makes
    of it); success closes it, then the card shows the change. `stale` is said of a form that
    names no item."""
    if form.ref is None:
        keep_open(ack, form.first_block, stale)
        return
    try:
        result = change(form.ref.id, form.ref.version)
    except DenialsError as refusal:
        view = redraw(refusal) if redraw is not None else None
        if view is not None:
            ack(response_action="update", view=view)
        else:
            keep_open(ack, form.first_block, str(refusal))
        return
    ack()
    deps.after_ack(lambda: show_change(deps, result.post_id, result.note))
