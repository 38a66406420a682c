"""Messages kept in the send ledger until Slack has them, once: thread notes, error reports.

A note in a card's thread after a change, a file's import summary, a job's error report: each
is claimed in the ledger with its words before it is sent. A send Slack refused or could not
take stays there and goes out on a later round (`resend_due`, from every posting round), and
one whose answer was lost is looked for before it goes again (`bot.slack.taken`'s rule). So
nothing a person or a job was told is lost, and nothing is said twice.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.blocks.message import Message
from bot.errors import SlackUnavailableError
from bot.slack.delivery import Delivery, Pacer
from storage.send_ledger import SendLedger

log = logging.getLogger(__name__)

NOTE = "note"


def new_key() -> str:
    """A key of its own for a message that is said once, whenever it happens (a click's note)."""
    return uuid.uuid4().hex


@dataclass
class Courier:
    client: WebClient
    ledger: SendLedger
    pace: Pacer = field(default_factory=lambda: Pacer(0.0))

    def send(
        self, kind: str, key: str, to: str, said: str | Message, *, thread_ts: str | None = None
    ) -> bool:
        """Say `said` (words, or a message with blocks) to `to` (a channel, a thread in it, or
        a person's DM) once.

        True when Slack has it; False when someone else has it, or when it waits in the ledger
        for a later round (the failure is logged, never raised: the change it reports is done).
        """
        text, blocks = (said, []) if isinstance(said, str) else (said.text, said.blocks)
        message = {"to": to, "thread_ts": thread_ts, "text": text, "blocks": blocks}
        try:
            return self._send_once(kind, key, message)
        except (SlackUnavailableError, SlackClientError, OSError) as error:
            log.warning("%s %s waits for a later round (%s)", kind, key, type(error).__name__)
            return False

    def resend_due(self, limit: int = 100) -> int:
        """Send what waits in the ledger and may go now; how many went. A 429 is waited out
        (`Retry-After`, as the card outbox does) and the round goes on; Slack out of reach,
        or asking for a longer wait, stops it: the rest wait for the next round."""
        sent = 0
        for kind, key, detail in self.ledger.due(limit):
            try:
                sent += self.pace.wait_out(partial(self._send_once, kind, key, detail["message"]))
            except SlackUnavailableError as error:
                log.warning("%s %s waits for a later round (%s)", kind, key, error)
                break
            except (SlackClientError, OSError) as error:  # refused: retried with backoff
                log.warning("%s %s not sent (%s)", kind, key, type(error).__name__)
        return sent

    def _send_once(self, kind: str, key: str, message: dict[str, Any]) -> bool:
        delivery = Delivery(
            self.client,
            str(message["to"]),
            Message(text=str(message["text"]), blocks=list(message.get("blocks") or [])),
            (kind, key),
            message.get("thread_ts") or None,
        )

        def send() -> dict[str, Any]:
            self.pace()
            return delivery.send()

        return self.ledger.send_once(
            kind, key, send, detail={"message": message}, find_sent=delivery.find
        )
