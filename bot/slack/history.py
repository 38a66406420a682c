"""Finding a message the bot sent, by the metadata it carries, after a crash hid the answer."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.models.metadata import Metadata

HISTORY_LOOKBACK = 200  # latest messages searched


def find_by_metadata(
    client: WebClient, channel: str, metadata: Metadata, *, thread_ts: str | None = None
) -> str | None:
    """The `ts` of the message in `channel` (or in the thread `thread_ts`) carrying exactly
    `metadata`, when it is among the latest ones; None otherwise.

    The latest messages rather than a time window: our clock and Slack's may disagree.
    Slack's errors propagate: the caller decides what "could not look" means.
    """
    wanted = metadata.to_dict()
    if thread_ts is None:
        answer = client.conversations_history(
            channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
        )
    else:
        answer = client.conversations_replies(
            channel=channel, ts=thread_ts, limit=HISTORY_LOOKBACK, include_all_metadata=True
        )
    for message in answer.get("messages") or []:
        found: dict[str, Any] = message.get("metadata") or {}
        if found.get("event_type") == wanted["event_type"] and (
            found.get("event_payload") == wanted["event_payload"]
        ):
            return str(message["ts"])
    return None
