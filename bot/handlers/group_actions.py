"""Listeners for a grouped card: root cause for all, assign all, show each claim, record a fix;
and "Record a fix" on an early warning or in `/denials patterns` (the same form)."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, Respond

from bot.blocks import ids
from bot.blocks.due_list import due_list
from bot.blocks.group_card import pattern_label
from bot.blocks.modals import record_fix_modal
from bot.deps import Deps
from bot.errors import DenialsError
from bot.handlers.feedback import NOT_A_PERSON, refuse, show_change, show_privately
from bot.handlers.listen import on_click
from bot.services.group_triage import GroupChange
from bot.services.patterns import pattern_title
from bot.slack.payloads import Click

NOT_A_GROUP = "This button is not on a grouped card I know. Nothing was changed."
NOT_A_PATTERN = (
    "I don't know this pattern any more (its payer may have been merged into another). "
    "Run `/denials patterns` and record the fix from there."
)


def register(app: App, deps: Deps) -> None:
    @on_click(app, ids.GROUP_ROOT_CAUSE_SELECT)
    def root_cause_all(click: Click, respond: Respond) -> None:
        cause = click.cause
        if cause is None:
            refuse(respond, NOT_A_GROUP)
            return
        actor, now = deps.actor(click.user), deps.clock.now()
        _bulk(deps, respond, click, lambda post: deps.groups.set_category(post, cause, actor, now))

    @on_click(app, ids.GROUP_ASSIGN_SELECT)
    def assign_all(click: Click, respond: Respond) -> None:
        assignee = click.person
        if assignee is None:
            refuse(respond, NOT_A_PERSON)
            return
        actor, now = deps.actor(click.user), deps.clock.now()
        _bulk(deps, respond, click, lambda post: deps.groups.assign(post, assignee, actor, now))

    @on_click(app, ids.GROUP_SHOW_EACH)
    def show_each(click: Click, respond: Respond) -> None:
        deps.after_ack(lambda: _show_each(deps, click, respond), respond)

    @on_click(app, ids.GROUP_RECORD_FIX)
    def record_fix(click: Click, respond: Respond) -> None:
        deps.after_ack(lambda: _open_fix_form(deps, click, respond), respond)

    @on_click(app, ids.PATTERN_RECORD_FIX)
    def record_pattern_fix(click: Click, respond: Respond) -> None:
        deps.after_ack(lambda: _open_pattern_fix_form(deps, click, respond), respond)


def _show_each(deps: Deps, click: Click, respond: Respond) -> None:
    if click.ref is None:
        refuse(respond, NOT_A_GROUP)
        return
    show_privately(respond, due_list(deps.cards.group_due(click.ref.id, deps.clock.today())))


def _open_fix_form(deps: Deps, click: Click, respond: Respond) -> None:
    view = deps.cards.group_view(click.ref.id) if click.ref is not None else None
    if view is None:
        refuse(respond, NOT_A_GROUP)
        return
    modal = record_fix_modal(
        ids.denial_ref(view.group_id, view.version),
        pattern=pattern_label(view),
        owner=click.user.user,
        today=deps.clock.today(),
    )
    deps.client.views_open(trigger_id=click.trigger_id, view=modal)


def _open_pattern_fix_form(deps: Deps, click: Click, respond: Respond) -> None:
    scope = click.choice or ""
    title = pattern_title(deps.sessions, scope)
    if title is None:
        refuse(respond, NOT_A_PATTERN)
        return
    modal = record_fix_modal(
        ids.PATTERN_METADATA_PREFIX + scope,
        pattern=title,
        owner=click.user.user,
        today=deps.clock.today(),
    )
    deps.client.views_open(trigger_id=click.trigger_id, view=modal)


def _bulk(deps: Deps, respond: Respond, click: Click, change: Callable[[int], GroupChange]) -> None:
    """Once acknowledged: one change to every open denial of the card; say what was not done."""
    deps.after_ack(lambda: _apply_to_group(deps, respond, click, change), respond)


def _apply_to_group(
    deps: Deps, respond: Respond, click: Click, change: Callable[[int], GroupChange]
) -> None:
    if click.ref is None:
        refuse(respond, NOT_A_GROUP)
        return
    try:
        result = change(click.ref.id)
    except DenialsError as refusal:
        refuse(respond, str(refusal))
        return
    if result.problem:
        refuse(respond, result.problem)
    if result.changed:
        show_change(deps, result.post_id, result.note)
