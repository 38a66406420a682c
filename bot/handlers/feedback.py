"""After a change: rebuild the card from the database, note it in the thread; or explain."""

from __future__ import annotations

import logging

from slack_bolt import Respond
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.deps import Deps
from bot.services.triage import TriageResult

log = logging.getLogger(__name__)


def show_change(deps: Deps, result: TriageResult, *, post_id: int | None = None) -> None:
    """The card updated in place and a one-line note in its thread (not broadcast)."""
    target = post_id if post_id is not None else result.post_id
    if target is None:
        return
    try:
        deps.poster.refresh(target)
        deps.poster.thread_note(target, result.note)
    except (SlackApiError, SlackClientError, OSError) as error:
        # The change is stored; the card catches up on the next posting round.
        log.warning("card refresh failed after a change: %s", type(error).__name__)
        deps.poster.mark_stale(target)


def show_latest(deps: Deps, post_id: int) -> None:
    """After a refused click: the card shows what the database holds now."""
    try:
        deps.poster.refresh(post_id)
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("card refresh failed after a refusal: %s", type(error).__name__)
        deps.poster.mark_stale(post_id)


def refuse(respond: Respond, text: str) -> None:
    """Every refusal or error is ephemeral, and says what to do."""
    respond(text=text, response_type="ephemeral", replace_original=False)
