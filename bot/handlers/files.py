"""An 835, 277 or CSV shared in the denials channel is imported; the summary goes in its thread.

A report whose columns are not all understood gets a "Map the columns" reply instead
(bot/handlers/column_mapping.py answers its button and form). A file (the payer's letter, the
records sent) shared as a reply in a records request's thread is attached to that request.
"""

from __future__ import annotations

import logging
import urllib.request
from typing import Any

from slack_bolt import App

from bot.blocks.column_mapping import FileRef, columns_needed_message
from bot.deps import Deps
from bot.handlers.feedback import show_change
from bot.importers.csv_columns import ColumnMapping
from bot.importers.csv_question import column_question
from bot.services.importing import FileOutcome, ImportContext, import_file
from bot.services.triage import Actor

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
    def file_shared(event: dict[str, Any]) -> None:
        channel = str(event.get("channel_id") or "")
        if channel and channel == deps.settings.channel:  # only the denials channel's files
            deps.after_ack(lambda: _import_shared(deps, event, channel))


def _import_shared(deps: Deps, event: dict[str, Any], channel: str) -> None:
    """Download, import, answer in the file's thread, then post the new cards."""
    info = deps.client.files_info(file=event["file_id"])["file"]
    name = str(info.get("name") or "upload")
    parent = _thread_of(info, channel)
    if parent is not None:
        attached = deps.work.attach_in_thread(
            channel,
            parent,
            file_id=str(event["file_id"]),
            name=name,
            actor=Actor(str(event.get("team_id", "")), str(event.get("user_id", ""))),
            now=deps.clock.now(),
        )
        if attached is not None:
            show_change(deps, attached)
            return
    if not name.lower().endswith(IMPORTABLE):
        return
    thread = share_ts(info, channel)
    result = import_shared_file(deps, info, name, actor=slack_actor(event), mapping=None)
    if isinstance(result, FileOutcome) and result.columns_needed is not None:
        needed = result.columns_needed
        message = columns_needed_message(
            name,
            [need.what for need in needed.detection.missing()],
            column_question(needed.detection),
            FileRef(str(event["file_id"]), channel, thread),
        )
        deps.client.chat_postMessage(
            channel=channel, thread_ts=thread, text=message.text, blocks=message.blocks
        )
        return
    deps.client.chat_postMessage(channel=channel, thread_ts=thread, text=outcome_text(result))
    deps.poster.post_pending()


def import_shared_file(
    deps: Deps,
    info: dict[str, Any],
    name: str,
    *,
    actor: str,
    mapping: ColumnMapping | None,
) -> FileOutcome | str:
    """The import's outcome, or the text saying why the file could not be fetched."""
    if int(info.get("size") or 0) > MAX_BYTES:
        return TOO_BIG.format(name=name)
    try:
        data = download(info, deps.settings.slack_bot_token or "")
    except (OSError, KeyError) as error:
        log.warning("file download failed: %s", type(error).__name__)
        return FETCH_FAILED.format(name=name, why=type(error).__name__)
    context = ImportContext(
        sessions=deps.sessions,
        rulebook=deps.rulebook,
        actor=actor,
        now=deps.clock.now(),
        today=deps.clock.today(),
        csv_mapping=mapping,
    )
    return import_file(data, context, file_name=name)


def outcome_text(result: FileOutcome | str) -> str:
    if isinstance(result, str):
        return result
    return "\n".join([result.summary_line(), *result.detail_lines()[:MAX_DETAIL_LINES]])


def download(info: dict[str, Any], token: str) -> bytes:
    # url_private needs the bot token; Slack serves it over HTTPS (tests: the local stand-in).
    url = str(info["url_private_download"])
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return bytes(response.read(MAX_BYTES + 1))


def _thread_of(info: dict[str, Any], channel: str) -> str | None:
    """The thread the file was shared in as a reply (its parent's ts), if it was."""
    shares = info.get("shares") or {}
    for kind in ("public", "private"):
        for entry in (shares.get(kind) or {}).get(channel) or []:
            parent = entry.get("thread_ts")
            if parent and parent != entry.get("ts"):
                return str(parent)
    return None


def share_ts(info: dict[str, Any], channel: str) -> str | None:
    shares = info.get("shares") or {}
    for kind in ("public", "private"):
        entries = (shares.get(kind) or {}).get(channel) or []
        if entries:
            return str(entries[0].get("ts"))
    return None


def slack_actor(body: dict[str, Any]) -> str:
    """`slack:<team>:<user>` from an event or an interaction payload."""
    user = body.get("user")
    user_id = user.get("id") if isinstance(user, dict) else body.get("user_id")
    team = body.get("team")
    team_id = team.get("id") if isinstance(team, dict) else body.get("team_id")
    return f"slack:{team_id or ''}:{user_id or ''}"
