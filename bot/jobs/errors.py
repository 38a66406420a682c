"""A scheduled job's problems are never silent: logged, and sent to the managers by DM.

At most one report per job per hour: a per-process limiter (which still works when the
database is what is failing) and a ledger row per job and UTC hour (so replicas do not each
send one). The row keeps the report's words, so one Slack did not take is sent by a later
posting round until it is sent once, however the limiter stands. Reports name the job and the
kind of problem only, never claim or patient data.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from sqlalchemy.exc import SQLAlchemyError

from bot.blocks.message import Message
from bot.blocks.text import clip
from bot.errors import SlackUnavailableError
from bot.services.courier import Courier
from bot.services.recipients import Recipients
from bot.slack.delivery import deliver
from storage.send_ledger import SendLedger, utc_now

log = logging.getLogger(__name__)

KIND = "job_error"
EVERY = timedelta(hours=1)
MAX_PROBLEMS = 5
REPORT = (
    ":warning: The scheduled job *{job}* had a problem:\n{problems}\n"
    "It tries again on its next run; the bot's log has the details. "
    "(At most one report per job per hour.)"
)
MORE = "• and {count} more"


@dataclass
class ErrorReporter:
    client: WebClient
    ledger: SendLedger
    managers: tuple[str, ...]
    channel: str
    every: timedelta = EVERY
    now: Callable[[], datetime] = utc_now
    monotonic: Callable[[], float] = time.monotonic
    _last: dict[str, float] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def report(self, job: str, problems: Sequence[str]) -> bool:
        """Log the problems; DM them unless this job was reported within the hour."""
        log.error("scheduled job %s: %s", job, "; ".join(problems))
        with self._lock:
            last = self._last.get(job)
            if last is not None and self.monotonic() - last < self.every.total_seconds():
                return False
            self._last[job] = self.monotonic()
        message = Message(text=self.text(job, problems))
        hour = self.now().strftime("%Y-%m-%dT%H")
        sent = False
        for who in Recipients.managers_or_channel(self.managers, self.channel):
            sent = self._send(f"{job}:{hour}:{who}", who, message) or sent
        return sent

    def text(self, job: str, problems: Sequence[str]) -> str:
        lines = [f"• {clip(p, 500)}" for p in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            lines.append(MORE.format(count=len(problems) - MAX_PROBLEMS))
        return REPORT.format(job=job, problems="\n".join(lines))

    def _send(self, key: str, who: str, message: Message) -> bool:
        """Through the ledger with its words: a report Slack did not take now is sent by the
        next posting round (`Courier.resend_due`), whatever this limiter says meanwhile."""
        try:
            try:
                return Courier(self.client, self.ledger).send(KIND, key, who, message.text)
            except SQLAlchemyError:  # the database is down: report anyway, once an hour
                deliver(self.client, who, message)
                return True
        except (SlackUnavailableError, SlackClientError, OSError) as error:
            log.warning("could not report a job problem to Slack: %s", type(error).__name__)
            return False
