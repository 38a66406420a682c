"""After a change: rebuild the card from the database, note it in the thread; or explain."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt import BoltResponse, Respond
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.blocks.message import Message
from bot.deps import Deps
from bot.services.courier import NOTE, new_key

log = logging.getLogger(__name__)


def show_change(deps: Deps, post_id: int | None, note: str) -> None:
    """The card updated in place and a one-line note in its thread (not broadcast)."""
    if post_id is None:
        return
    try:
        deps.poster.refresh(post_id)
    except (SlackApiError, SlackClientError, OSError) as error:
        # The change is stored; the card catches up on the next posting round.
        log.warning("card refresh failed after a change: %s", type(error).__name__)
        deps.poster.mark_stale(post_id)
    deps.poster.thread_note(post_id, note)  # kept until Slack has it, said once


def show_latest(deps: Deps, post_id: int) -> None:
    """After a refused click: the card shows what the database holds now."""
    try:
        deps.poster.refresh(post_id)
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("card refresh failed after a refusal: %s", type(error).__name__)
        deps.poster.mark_stale(post_id)


NOT_A_PERSON = "That is not a person I can assign. Pick someone from the list. Nothing was changed."
NOT_A_CHOICE = "That is not a choice of this menu. Nothing was changed; try the ⋯ menu again."


def refuse(respond: Respond, text: str) -> None:
    """Every refusal or error is ephemeral, and says what to do."""
    respond(text=text, response_type="ephemeral", replace_original=False)


def show_privately(respond: Respond, message: Message) -> None:
    """A message only the person who asked sees, below the one they clicked in."""
    respond(
        text=message.text,
        blocks=message.blocks,
        response_type="ephemeral",
        replace_original=False,
    )


def reply_in_thread(
    deps: Deps, channel: str, thread_ts: str | None, said: str | Message, *, key: str | None = None
) -> None:
    """Answer in a thread (a shared file's), once, kept in the send ledger until Slack has it.
    `key` names the answer when a redelivery could ask for it again (the event's id)."""
    deps.poster.notes.send(NOTE, key or new_key(), channel, said, thread_ts=thread_ts)


def form_refusal(body: Mapping[str, Any], text: str) -> BoltResponse:
    """The answer to a form's submission that keeps it open, saying `text` on its first input
    (or closes it, when it has none)."""
    view = body.get("view")
    blocks = view.get("blocks") if isinstance(view, Mapping) else None
    inputs = [
        str(block["block_id"])
        for block in blocks or ()
        if isinstance(block, Mapping) and block.get("type") == "input" and block.get("block_id")
    ]
    if not inputs:
        return BoltResponse(status=200, body="")
    answer = {"response_action": "errors", "errors": {inputs[0]: text}}
    return BoltResponse(
        status=200, body=json.dumps(answer), headers={"content-type": "application/json"}
    )
