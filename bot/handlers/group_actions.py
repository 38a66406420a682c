"""Listeners for a grouped card: root cause for all, assign all, show each claim, record a fix."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.blocks import ids, thread_notes
from bot.blocks.due_list import due_list
from bot.blocks.group_card import pattern_label
from bot.blocks.modals import record_fix_modal
from bot.blocks.views import DueView
from bot.deps import Deps
from bot.domain.findings import RootCause
from bot.handlers.feedback import refuse
from bot.presenters.card_views import group_view
from bot.services.due import due_row
from bot.services.lookup import open_denial_ids
from bot.services.triage import TriageRefused
from storage.models import SlackPost

NOT_A_GROUP = "This button is not on a grouped card I know. Nothing was changed."
ALL_CLOSED = "Every denial on this card is closed already. Nothing was changed."


def register(app: App, deps: Deps) -> None:
    @app.action(ids.GROUP_ROOT_CAUSE_SELECT)
    def root_cause_all(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        cause = RootCause(action["selected_option"]["value"])
        actor = deps.actor(body)
        _bulk(
            deps,
            respond,
            action,
            lambda i: deps.triage.set_category(i, None, cause, actor, deps.clock.now()),
            lambda n: thread_notes.bulk_root_cause(actor.user, cause, n),
        )

    @app.action(ids.GROUP_ASSIGN_SELECT)
    def assign_all(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        assignee = action.get("selected_user")
        actor = deps.actor(body)
        if not assignee:
            return
        _bulk(
            deps,
            respond,
            action,
            lambda i: deps.triage.assign(i, None, assignee, actor, deps.clock.now()),
            lambda n: thread_notes.bulk_assigned(actor.user, assignee, n),
        )

    @app.action(ids.GROUP_SHOW_EACH)
    def show_each(ack: Ack, action: dict[str, Any], respond: Respond) -> None:
        ack()
        deps.after_ack(lambda: _show_each(deps, action, respond), respond)

    @app.action(ids.GROUP_RECORD_FIX)
    def record_fix(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        deps.after_ack(lambda: _open_fix_form(deps, body, action, respond), respond)


def _show_each(deps: Deps, action: dict[str, Any], respond: Respond) -> None:
    post_id = _post_id(action)
    if post_id is None:
        refuse(respond, NOT_A_GROUP)
        return
    today = deps.clock.today()
    with deps.sessions() as session:
        post = session.get(SlackPost, post_id)
        rows = tuple(due_row(d, today) for d in (post.denials if post else []) if d.deadline)
    message = due_list(
        DueView(today=today, window_days=3650, rows=rows, filter_description="this group")
    )
    respond(
        text=message.text,
        blocks=message.blocks,
        response_type="ephemeral",
        replace_original=False,
    )


def _open_fix_form(
    deps: Deps, body: dict[str, Any], action: dict[str, Any], respond: Respond
) -> None:
    post_id = _post_id(action)
    with deps.sessions() as session:
        post = session.get(SlackPost, post_id) if post_id else None
        if post is None or not post.denials:
            refuse(respond, NOT_A_GROUP)
            return
        view = group_view(session, post, table=deps.rulebook.root_causes, zone=deps.clock.zone)
    modal = record_fix_modal(
        ids.denial_ref(view.group_id, view.version), pattern=pattern_label(view)
    )
    deps.client.views_open(trigger_id=body["trigger_id"], view=modal)


def _post_id(action: dict[str, Any]) -> int | None:
    try:
        return ids.ref_from_action(action)[0]
    except ValueError:
        return None


def _bulk(deps: Deps, respond: Respond, action: dict[str, Any], change: Any, note: Any) -> None:
    """Once acknowledged: apply one change to every open denial of a grouped card."""
    deps.after_ack(lambda: _apply_to_group(deps, respond, action, change, note), respond)


def _apply_to_group(
    deps: Deps, respond: Respond, action: dict[str, Any], change: Any, note: Any
) -> None:
    post_id = _post_id(action)
    if post_id is None:
        refuse(respond, NOT_A_GROUP)
        return
    denial_ids = open_denial_ids(deps.sessions, post_id)
    if not denial_ids:
        refuse(respond, ALL_CLOSED)
        return
    done, refusals = 0, []
    for denial_id in denial_ids:
        try:
            change(denial_id)
            done += 1
        except TriageRefused as refusal:
            refusals.append(str(refusal))
    if refusals:
        refuse(respond, f"{len(refusals)} of {len(denial_ids)} were not changed: {refusals[0]}")
    if done:
        deps.poster.refresh(post_id)
        deps.poster.thread_note(post_id, note(done))
