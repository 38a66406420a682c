""" "Import the other N rows": the button under a shared report refused for rows that cannot be
read. The click imports the file again with those rows (and their claims' other rows) left out
on purpose; the summary, listing what was left out, goes in the file's thread."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App

from bot.blocks import ids
from bot.blocks.bad_rows import other_rows_imported_message
from bot.blocks.column_mapping import FileRef
from bot.deps import Deps
from bot.handlers.feedback import reply_in_thread
from bot.handlers.files import import_shared_file, outcome_text
from bot.services.importing import FileOutcome
from bot.slack.files import shared_file
from bot.slack.payloads import Click


def register(app: App, deps: Deps) -> None:
    @app.action(ids.IMPORT_OTHER_ROWS_BUTTON)
    def import_other_rows(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        click = Click.parse(body, action)
        try:
            ref = FileRef.decode(click.choice or "")
        except ValueError:
            return  # not a button we drew
        ref = replace(ref, message_ts=click.message_ts)
        actor, user = deps.actor(click.user).key, click.user.user
        deps.after_ack(lambda: _import_others(deps, ref, actor=actor, user=user))


def _import_others(deps: Deps, ref: FileRef, *, actor: str, user: str) -> None:
    """Import the file less its unreadable rows; answer in its thread; post the new cards."""
    file = shared_file(deps.client, ref.file_id, ref.channel)
    result = import_shared_file(deps, file, actor=actor, mapping=None, skip_bad_rows=True)
    if isinstance(result, FileOutcome) and result.status == "imported" and ref.message_ts:
        done = other_rows_imported_message(file.name, result.rows_imported, user)
        deps.client.chat_update(
            channel=ref.channel, ts=ref.message_ts, text=done.text, blocks=done.blocks
        )
    reply_in_thread(deps, ref.channel, ref.thread_ts, outcome_text(result))
    deps.poster.post_pending()
