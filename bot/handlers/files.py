"""An 835, 277 or CSV shared in the denials channel is imported; the summary goes in its thread.

A report whose columns are not all understood gets a "Map the columns" reply instead
(bot/handlers/column_mapping.py answers its button and form). A file (the payer's letter, the
records sent) shared as a reply in a records request's thread is attached to that request.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.blocks.bad_rows import bad_rows_message
from bot.blocks.column_mapping import FileRef, columns_needed_message
from bot.deps import Deps
from bot.handlers.feedback import reply_in_thread, show_change
from bot.importers.csv_columns import ColumnMapping
from bot.importers.csv_question import column_question
from bot.services.courier import new_key
from bot.services.importing import FileOutcome, ImportContext, import_file
from bot.slack.files import SlackFile, shared_file
from bot.slack.payloads import SharedFile

log = logging.getLogger(__name__)

MAX_BYTES = 200 << 20
TOO_BIG = "{name} is larger than 200 MB; import it with `denials import` on the server instead."
FETCH_FAILED = (
    "I couldn't download {name} from Slack ({why}). Share it again, or use `denials import`."
)
IMPORTABLE = (
    ".835",
    ".277",  # claim status, 277RFAI and 277CA files
    ".txt",
    ".edi",
    ".x12",
    ".era",
    ".dat",
    ".csv",
    ".tsv",
    ".psv",
    ".xlsx",
    ".xlsm",
    ".xls",  # refused with how to save it as .xlsx, rather than silently ignored
)
MAX_DETAIL_LINES = 20


def register(app: App, deps: Deps) -> None:
    @app.event("file_shared")
    def file_shared(body: dict[str, Any], event: dict[str, Any]) -> None:
        shared = SharedFile.parse(body, event)
        answer_key = f"file_shared:{body.get('event_id') or new_key()}"  # a redelivery: once
        if shared.channel and shared.channel == deps.settings.channel:  # the denials channel's
            deps.after_ack(lambda: _import_shared(deps, shared, answer_key))


def _import_shared(deps: Deps, shared: SharedFile, answer_key: str) -> None:
    """Download, import, answer in the file's thread, then post the new cards."""
    file = shared_file(deps.client, shared.file_id, shared.channel)
    if file.reply_to is not None:
        attached = deps.work.attach_in_thread(
            shared.channel,
            file.reply_to,
            file_id=shared.file_id,
            name=file.name,
            actor=deps.actor(shared.user),
            now=deps.clock.now(),
        )
        if attached is not None:
            show_change(deps, attached.post_id, attached.note)
            return
    if not file.name.lower().endswith(IMPORTABLE):
        return
    thread = file.thread_ts
    result = import_shared_file(deps, file, actor=deps.actor(shared.user).key, mapping=None)
    if isinstance(result, FileOutcome) and result.columns_needed is not None:
        needed = result.columns_needed
        message = columns_needed_message(
            file.name,
            [need.what for need in needed.detection.missing()],
            column_question(needed.detection),
            FileRef(shared.file_id, shared.channel, thread),
        )
        reply_in_thread(deps, shared.channel, thread, message, key=answer_key)
        return
    if isinstance(result, FileOutcome) and result.bad_rows is not None:
        bad = result.bad_rows  # a report refused whole for some rows: offer the others
        message = bad_rows_message(
            file.name,
            bad.describe(),
            len(bad.rows),
            bad.others,
            FileRef(shared.file_id, shared.channel, thread),
        )
        reply_in_thread(deps, shared.channel, thread, message, key=answer_key)
        return
    reply_in_thread(deps, shared.channel, thread, outcome_text(result), key=answer_key)
    deps.poster.post_pending()


def import_shared_file(
    deps: Deps,
    file: SlackFile,
    *,
    actor: str,
    mapping: ColumnMapping | None,
    skip_bad_rows: bool = False,
) -> FileOutcome | str:
    """The import's outcome, or the text saying why the file could not be fetched."""
    if file.size > MAX_BYTES:
        return TOO_BIG.format(name=file.name)
    try:
        data = file.download(deps.settings.slack_bot_token or "", limit=MAX_BYTES)
    except (OSError, KeyError) as error:
        log.warning("file download failed: %s", type(error).__name__)
        return FETCH_FAILED.format(name=file.name, why=type(error).__name__)
    context = ImportContext(
        sessions=deps.sessions,
        rulebook=deps.rulebook,
        actor=actor,
        now=deps.clock.now(),
        today=deps.clock.today(),
        csv_mapping=mapping,
        skip_bad_rows=skip_bad_rows,
        zone=deps.clock.zone,
        alert_channel=deps.settings.channel,
    )
    return import_file(data, context, file_name=file.name)


def outcome_text(result: FileOutcome | str) -> str:
    if isinstance(result, str):
        return result
    return "\n".join([result.summary_line(), *result.detail_lines()[:MAX_DETAIL_LINES]])
