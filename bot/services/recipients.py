"""Who a scheduled message goes to, and the one way it is sent to each of them.

The digest goes to the denials channel; the pattern review, the managers' deadline DM and a
job's error report go to each manager by DM, or to the channel when no manager is set. Each
message is sent once per ledger `(kind, key)`, paced, with Slack's 429s waited out, and what
became of it for each recipient comes back as a `Sent` that the job writes into its report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.blocks.message import Message
from bot.blocks.text import mention
from bot.errors import SlackUnavailableError
from bot.services.job_report import JobReport
from bot.slack.delivery import Delivery, Pacer
from bot.slack.taken import describe
from storage.send_ledger import DONE, SendLedger


@dataclass(frozen=True)
class Recipients:
    """Channel ids, or user ids (each gets the message in a DM with the bot)."""

    ids: tuple[str, ...]

    @classmethod
    def managers_or_channel(cls, managers: Sequence[str], channel: str | None) -> Recipients:
        """DENIALS_MANAGERS, each by DM; without any, the denials channel; else nobody."""
        return cls(tuple(managers) or ((channel,) if channel else ()))

    @classmethod
    def channel(cls, channel: str | None) -> Recipients:
        return cls((channel,) if channel else ())

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __bool__(self) -> bool:
        return bool(self.ids)


def addressed(recipient: str) -> str:
    """A recipient as a report line names them: `<@U123>` or `<#C123>`."""
    return mention(recipient) if recipient.startswith(("U", "W")) else f"<#{recipient}>"


class Outcome(Enum):
    SENT = "sent"  # Slack has it now
    ALREADY = "already"  # it was sent before (or given up on after repeated failures)
    IN_FLIGHT = "in flight"  # another process has it, or it waits for its retry
    REFUSED = "refused"  # not sent this time; retried later, and the others go on
    STOPPED = "stopped"  # Slack cannot be reached, or keeps asking us to wait: stop the round


@dataclass(frozen=True)
class Sent:
    to: str
    outcome: Outcome
    why: str = ""  # REFUSED and STOPPED: what went wrong, in words for the report


@dataclass(frozen=True, kw_only=True)
class Words:
    """What a job's report says of each outcome: templates with `{who}`, `{why}` and the
    job's own fields (`{month}`, `{start}`, …); None says nothing of that outcome."""

    sent: str
    not_sent: str
    already: str | None = None
    in_flight: str | None = None

    def record(self, report: JobReport, results: Sequence[Sent], **fields: object) -> None:
        for result in results:
            said = {**fields, "who": addressed(result.to), "why": result.why}
            if result.outcome is Outcome.SENT:
                report.sent.append(self.sent.format(**said))
            elif result.outcome is Outcome.ALREADY and self.already is not None:
                report.skipped.append(self.already.format(**said))
            elif result.outcome is Outcome.IN_FLIGHT and self.in_flight is not None:
                report.skipped.append(self.in_flight.format(**said))
            elif result.outcome in (Outcome.REFUSED, Outcome.STOPPED):
                report.errors.append(self.not_sent.format(**said))


@dataclass
class Sender:
    client: WebClient
    ledger: SendLedger
    pace: Pacer = field(default_factory=Pacer)

    def each(
        self,
        recipients: Recipients,
        kind: str,
        key: Callable[[str], str],
        message: Callable[[], Message],
        *,
        detail: dict[str, Any] | None = None,
    ) -> list[Sent]:
        """`message()` once to each recipient (key `key(recipient)`), in order, until Slack
        cannot be reached. The message is drawn only if someone still needs it."""
        todo = [who for who in recipients if self.ledger.status(kind, key(who)) not in DONE]
        results = [Sent(who, Outcome.ALREADY) for who in recipients if who not in todo]
        drawn: Message | None = None
        for who in todo:
            if drawn is None:
                drawn = message()
            result = self.one(kind, key(who), who, drawn, detail=detail)
            results.append(result)
            if result.outcome is Outcome.STOPPED:
                break
        return results

    def one(
        self,
        kind: str,
        key: str,
        to: str,
        message: Message,
        *,
        thread_ts: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> Sent:
        """`message` to `to` (a channel, a thread in it, or a person's DM) once for `(kind,
        key)`. `detail` is kept on the ledger row, also when the message goes out."""
        if self.ledger.status(kind, key) in DONE:
            return Sent(to, Outcome.ALREADY)
        delivery = Delivery(self.client, to, message, (kind, key), thread_ts)

        def send() -> dict[str, Any]:
            self.pace()
            return {**(detail or {}), **delivery.send()}

        try:
            sent = self.pace.wait_out(
                lambda: self.ledger.send_once(
                    kind, key, send, detail=detail, find_sent=delivery.find
                )
            )
        except SlackUnavailableError as error:
            # A lost answer is looked for on a later tick, and the others go on now.
            outcome = Outcome.REFUSED if error.maybe_sent else Outcome.STOPPED
            return Sent(to, outcome, describe(error))
        except SlackApiError as error:  # refused: this one waits for its retry
            return Sent(to, Outcome.REFUSED, describe(error))
        except (SlackClientError, OSError) as error:
            return Sent(to, Outcome.STOPPED, describe(error))
        if sent:
            return Sent(to, Outcome.SENT)
        done = self.ledger.status(kind, key) in DONE
        return Sent(to, Outcome.ALREADY if done else Outcome.IN_FLIGHT)
