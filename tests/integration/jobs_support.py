"""Helpers for the scheduled-job tests (no tests here): a bot wired to the Slack stand-in.

bot = JobBot.build(settings, sessions, rulebook, slack)
bot.import_835([denied("PCN1")], on=date(2026, 11, 2))
bot.run("post", at(2026, 11, 2, 9))
bot.run("deadlines", at(2026, 11, 30, 9))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.app import build_deps
from bot.bootstrap import Runtime
from bot.clock import Clock
from bot.config import Settings
from bot.deps import Deps
from bot.domain.rulebook import Rulebook
from bot.jobs.context import Jobs, build_jobs
from bot.jobs.scheduler import run_now
from bot.services.importing import FileOutcome, ImportContext, import_file
from bot.services.job_report import JobReport
from bot.slack.retries import retry_handlers
from storage.models import Denial
from storage.send_ledger import SendLedger
from tests.support.slack_standin import SlackStandIn
from tests.support.standin_state import Message
from tests.support.x835 import ClaimSpec, make_835

NY = ZoneInfo("America/New_York")
CHANNEL = "C0DENIALS"
MANAGER = "UMANAGER"
MANAGER_2 = "ULEE"
STAFF = "UJAMES"


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A local New York time, as the scheduler's clock gives it (aware)."""
    return datetime(year, month, day, hour, minute, tzinfo=NY)


def add_people(slack: SlackStandIn) -> None:
    for user, name in ((MANAGER, "dana"), (MANAGER_2, "lee"), (STAFF, "james")):
        slack.add_user(user, name=name)


@dataclass
class WallClock:
    """The ledger's wall clock, moved by hand to age claims."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 30, 14, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class JobBot:
    deps: Deps
    jobs: Jobs
    wall: WallClock
    slack: SlackStandIn

    @classmethod
    def build(
        cls,
        settings: Settings,
        sessions: sessionmaker[Session],
        rulebook: Rulebook,
        slack: SlackStandIn,
        *,
        worker: str = "test",
        wall: WallClock | None = None,
        client_timeout: int | None = None,
        **changes: Any,
    ) -> JobBot:
        """`client_timeout`: the production client's retries with that timeout (seconds),
        instead of a plain client."""
        settings = settings.model_copy(update=changes)
        runtime = Runtime(
            settings=settings,
            engine=sessions.kw["bind"],
            sessions=sessions,
            rulebook=rulebook,
            clock=Clock(settings.zone),
        )
        client = WebClient(token="xoxb-test", base_url=slack.url)
        if client_timeout is not None:
            client = WebClient(
                token="xoxb-test",
                base_url=slack.url,
                timeout=client_timeout,
                retry_handlers=retry_handlers(),
            )
        deps = build_deps(settings, client=client, runtime=runtime, post_interval=0)
        wall = wall or WallClock()
        jobs = build_jobs(deps, ledger=SendLedger(sessions, worker=worker, now=wall))
        return cls(deps, jobs, wall, slack)

    def run(self, name: str, now: datetime, *, manual: bool = False) -> JobReport:
        return run_now(self.jobs, name, now, manual=manual)

    def import_835(
        self, claims: Sequence[ClaimSpec], *, on: date, name: str = "remit.835", **kw: Any
    ) -> FileOutcome:
        now = datetime.combine(on, time(10), NY).astimezone(UTC)
        context = ImportContext(
            sessions=self.deps.sessions,
            rulebook=self.deps.rulebook,
            actor="cli:test",
            now=now,
            today=on,
            alert_channel=self.deps.settings.channel,
        )
        outcome = import_file(make_835(list(claims), **kw), context, file_name=name)
        assert outcome.status == "imported", outcome.summary_line()
        return outcome

    def set_deadline(self, claim: str, due: date, kind: str = "appeal", **values: Any) -> int:
        """Arrange a denial's deadline (and e.g. assignee/status) directly; returns its id."""
        with self.deps.sessions() as session, session.begin():
            denial_id = session.scalars(select(Denial.id).where(Denial.claim_number == claim)).one()
            session.execute(
                update(Denial)
                .where(Denial.id == denial_id)
                .values(deadline=due, deadline_kind=kind, **values)
            )
        return int(denial_id)

    # -- what Slack saw -------------------------------------------------------------------

    def cards(self) -> list[Message]:
        return self.slack.messages(CHANNEL)

    def thread_texts(self) -> list[str]:
        """Every reply in every card thread, in order."""
        return [m.text for card in self.cards() for m in self.slack.thread(CHANNEL, card.ts)]

    def dm_texts(self, user: str = MANAGER) -> list[str]:
        return [m.text for m in self.slack.dms(user)]

    def posts(self, method: str = "chat.postMessage") -> int:
        return len([c for c in self.slack.calls(method) if c.ok])
