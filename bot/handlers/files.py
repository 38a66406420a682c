"""An 835 or CSV shared in the denials channel is imported; the summary goes in its thread."""

from __future__ import annotations

import logging
import urllib.request
from typing import Any

from slack_bolt import App

from bot.deps import Deps
from bot.services.importing import ImportContext, import_file

log = logging.getLogger(__name__)

MAX_BYTES = 200 << 20
TOO_BIG = "{name} is larger than 200 MB; import it with `denials import` on the server instead."
FETCH_FAILED = (
    "I couldn't download {name} from Slack ({why}). Share it again, or use `denials import`."
)
IMPORTABLE = (".835", ".txt", ".edi", ".x12", ".era", ".dat", ".csv")


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
    if not name.lower().endswith(IMPORTABLE):
        return
    thread = _share_ts(info, channel)
    summary = _import(
        deps, info, name, actor=f"slack:{event.get('team_id', '')}:{event.get('user_id', '')}"
    )
    deps.client.chat_postMessage(channel=channel, thread_ts=thread, text=summary)
    deps.poster.post_pending()


def _import(deps: Deps, info: dict[str, Any], name: str, *, actor: str) -> str:
    if int(info.get("size") or 0) > MAX_BYTES:
        return TOO_BIG.format(name=name)
    try:
        data = _download(str(info["url_private_download"]), deps.settings.slack_bot_token or "")
    except (OSError, KeyError) as error:
        log.warning("file download failed: %s", type(error).__name__)
        return FETCH_FAILED.format(name=name, why=type(error).__name__)
    context = ImportContext(
        sessions=deps.sessions,
        rulebook=deps.rulebook,
        actor=actor,
        now=deps.clock.now(),
        today=deps.clock.today(),
    )
    outcome = import_file(data, context, file_name=name)
    lines = [outcome.summary_line(), *outcome.detail_lines()[:20]]
    return "\n".join(lines)


def _download(url: str, token: str) -> bytes:
    # url_private needs the bot token; Slack serves it over HTTPS (tests: the local stand-in).
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return bytes(response.read(MAX_BYTES + 1))


def _share_ts(info: dict[str, Any], channel: str) -> str | None:
    shares = info.get("shares") or {}
    for kind in ("public", "private"):
        entries = (shares.get(kind) or {}).get(channel) or []
        if entries:
            return str(entries[0].get("ts"))
    return None
