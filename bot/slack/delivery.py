"""Messages on their way to Slack: to a channel, a thread or a person's DM, paced, and marked
with their ledger `(kind, key)` so that a message whose answer was lost, or that was sent
before a crash, can be found.

`Delivery.send` and `Delivery.find` are what `SendLedger.send_once` calls to send and to look
for a message sent already; `Pacer.wait_out` is a job's patience with Slack's 429s.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.models.metadata import Metadata

from bot.blocks.message import Message
from bot.errors import SlackUnavailableError
from bot.slack.history import find_by_metadata
from bot.slack.taken import checked, unavailable

log = logging.getLogger(__name__)

SENT_METADATA_TYPE = "denial_triage_message"
MAX_WAITS = 3  # 429s in a row a job waits out for one message before it stops its round
LONGEST_WAIT = 120.0  # seconds: a longer Retry-After stops the round (the next tick goes on)

T = TypeVar("T")


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

    def wait_out(self, attempt: Callable[[], T]) -> T:
        """`attempt()`; after a 429, wait the `Retry-After` Slack gave and try again, as the
        card outbox does, rather than give up the round (and leave the rest for an hour)."""
        for _ in range(MAX_WAITS):
            try:
                return attempt()
            except SlackUnavailableError as error:
                if error.retry_after is None or error.retry_after > LONGEST_WAIT:
                    raise
                log.info("Slack asked us to wait %.0f s; waiting", error.retry_after)
                self.sleep(error.retry_after)
        return attempt()


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
    `find_delivered`. A failure is read by `bot.slack.taken`: `SlackUnavailableError` says
    whether Slack may have the message (only a lost answer to the post itself can mean so).
    """
    try:
        channel = _channel_of(client, to)
    except Exception as error:  # nothing was posted yet, whatever happened to the answer
        problem = unavailable(error)
        if problem is None:
            raise
        raise SlackUnavailableError(str(problem), retry_after=problem.retry_after) from error
    response = checked(
        lambda: client.chat_postMessage(
            channel=channel,
            text=message.text,
            blocks=message.blocks or None,
            thread_ts=thread_ts,
            unfurl_links=False,
            unfurl_media=False,
            metadata=None if marker is None else _metadata(marker),
        )
    )
    return {"channel": str(response["channel"]), "ts": str(response["ts"])}


def find_delivered(
    client: WebClient, to: str, marker: tuple[str, str], *, thread_ts: str | None = None
) -> dict[str, Any] | None:
    """The message `deliver` sent to `to` with `marker`, when it is among the latest ones.

    When Slack refuses to be asked (a workspace that has not granted `im:history` yet), the
    answer is "not found", and the message goes out again rather than not at all. When it
    cannot be asked now (no answer, a 5xx, a 429), `SlackUnavailableError`: look again later.
    """
    try:
        channel = _channel_of(client, to)
        ts = find_by_metadata(client, channel, _metadata(marker), thread_ts=thread_ts)
    except Exception as error:
        problem = unavailable(error)
        log.warning("could not look for %s %s in Slack (%s)", *marker, type(error).__name__)
        if problem is not None:
            raise SlackUnavailableError(str(problem), retry_after=problem.retry_after) from error
        if isinstance(error, SlackClientError):
            return None
        raise
    return None if ts is None else {"channel": channel, "ts": ts}


def _channel_of(client: WebClient, to: str) -> str:
    """A channel id as it is; a person's id: their DM with the bot."""
    if to.startswith(("U", "W")):
        return str(client.conversations_open(users=to)["channel"]["id"])
    return to


def _metadata(marker: tuple[str, str]) -> Metadata:
    kind, key = marker
    return Metadata(event_type=SENT_METADATA_TYPE, event_payload={"kind": kind, "key": key})
