"""Scheduled messages on their way to Slack: to a channel or a person's DM, paced, and
marked with their ledger `(kind, key)` so that a message sent before a crash can be found.

`Delivery.send` and `Delivery.find` are what `SendLedger.send_once` calls to send and to look
for a message sent before a restart.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.models.metadata import Metadata

from bot.blocks.message import Message
from bot.slack.history import find_by_metadata

log = logging.getLogger(__name__)

SENT_METADATA_TYPE = "denial_triage_message"


@dataclass
class Pacer:
    """Slack allows about one message per second per channel: space the sends out."""

    interval: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    _last: float = field(default=-1e9, init=False)

    def __call__(self) -> None:
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        self._last = time.monotonic()


@dataclass(frozen=True)
class Delivery:
    """A scheduled message, where it goes, and its ledger `(kind, key)` as a marker: `send`
    and `find` (for `SendLedger.send_once`'s `find_sent`) always agree on the destination."""

    client: WebClient
    to: str  # a channel id, or a person's id for their DM
    message: Message
    marker: tuple[str, str]
    thread_ts: str | None = None

    def send(self) -> dict[str, Any]:
        return deliver(
            self.client, self.to, self.message, thread_ts=self.thread_ts, marker=self.marker
        )

    def find(self) -> dict[str, Any] | None:
        return find_delivered(self.client, self.to, self.marker, thread_ts=self.thread_ts)


def deliver(
    client: WebClient,
    to: str,
    message: Message,
    *,
    thread_ts: str | None = None,
    marker: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """Post to a channel, or to a person's DM (`conversations.open`, then `chat.postMessage`).

    `marker`, the ledger's `(kind, key)`, goes with the message as metadata: see
    `find_delivered`.
    """
    response = client.chat_postMessage(
        channel=_channel_of(client, to),
        text=message.text,
        blocks=message.blocks or None,
        thread_ts=thread_ts,
        unfurl_links=False,
        unfurl_media=False,
        metadata=None if marker is None else _metadata(marker),
    )
    return {"channel": str(response["channel"]), "ts": str(response["ts"])}


def find_delivered(
    client: WebClient, to: str, marker: tuple[str, str], *, thread_ts: str | None = None
) -> dict[str, Any] | None:
    """The message `deliver` sent to `to` with `marker`, when it is among the latest ones.

    When Slack cannot be asked (a workspace that has not granted `im:history` yet, an
    outage), the answer is "not found", and the message goes out again rather than not at all.
    """
    try:
        channel = _channel_of(client, to)
        ts = find_by_metadata(client, channel, _metadata(marker), thread_ts=thread_ts)
    except (SlackClientError, OSError) as error:
        log.warning("could not look for %s %s in Slack (%s)", *marker, type(error).__name__)
        return None
    return None if ts is None else {"channel": channel, "ts": ts}


def _channel_of(client: WebClient, to: str) -> str:
    """A channel id as it is; a person's id: their DM with the bot."""
    if to.startswith(("U", "W")):
        return str(client.conversations_open(users=to)["channel"]["id"])
    return to


def _metadata(marker: tuple[str, str]) -> Metadata:
    kind, key = marker
    return Metadata(event_type=SENT_METADATA_TYPE, event_payload={"kind": kind, "key": key})
