"""Scheduled jobs end to end: the `denials jobs run` command and the running scheduler, over
real HTTP against the Slack stand-in, on the test database."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED
from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import sessionmaker

from bot.app import build_deps
from bot.bootstrap import Runtime
from bot.cli import main
from bot.clock import Clock
from bot.config import Settings
from bot.domain.rulebook import Rulebook
from bot.jobs.scheduler import create_scheduler
from storage.models import Denial
from tests.e2e.conftest import BOT_TOKEN
from tests.support.slack_standin import SlackStandIn
from tests.support.x835 import denied, make_835

CHANNEL = "C0DENIALS"
MANAGER = "UMANAGER"
OLD = time.time() - 3600


def wait_for(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the scheduler"
        time.sleep(0.05)


@pytest.fixture
def people(slack: SlackStandIn) -> SlackStandIn:
    slack.add_user(MANAGER, name="dana")
    return slack


def test_a_billing_week_through_denials_jobs_run(
    people: SlackStandIn,
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    slack = people
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for key, value in {
        "DENIALS_DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": slack.url,
        "DENIALS_CHANNEL": CHANNEL,
        "DENIALS_MANAGERS": MANAGER,
        "DENIALS_INBOX": str(inbox),
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # no stray .env
    remit = inbox / "remit.835"
    remit.write_bytes(make_835([denied("PCN1"), denied("PCN2", carc="27"), denied("PCN3")]))
    os.utime(remit, (OLD, OLD))

    assert main(["jobs", "run", "inbox", "--today", "2026-10-20"]) == 0
    assert "remit.835: imported 3 claims, 3 denials ($300.00)." in capsys.readouterr().out
    assert len(slack.messages(CHANNEL)) == 3
    assert (inbox / "processed" / "remit.835").exists()

    with sessionmaker(engine)() as session, session.begin():
        session.execute(update(Denial).values(deadline=date(2026, 12, 7)))
        session.execute(
            update(Denial).where(Denial.claim_number == "PCN3").values(status="appealed")
        )
    assert main(["jobs", "run", "deadlines", "--today", "2026-11-30"]) == 0
    assert "2 deadline notes posted in card threads" in capsys.readouterr().out
    notes = [m.text for card in slack.messages(CHANNEL) for m in slack.thread(CHANNEL, card.ts)]
    assert notes == [
        f"<@{MANAGER}> the appeal for PCN1 (Aetna, $100.00) is due in 7 days.",
        # the manager is @-mentioned in one thread a day (issue 14)
        "The appeal for PCN2 (Aetna, $100.00) is due in 7 days. Nobody owns it yet: assign it"
        " from the card.",
    ]
    assert main(["jobs", "run", "deadlines", "--today", "2026-12-06"]) == 0
    assert [m.text for m in slack.dms(MANAGER)] == [
        "2 denials are due tomorrow or overdue ($200.00)"
    ]
    assert main(["jobs", "run", "deadlines", "--today", "2026-12-06"]) == 0
    assert "deadlines: nothing to do." in capsys.readouterr().out

    assert main(["jobs", "run", "digest", "--today", "2026-11-30"]) == 0
    assert main(["jobs", "run", "digest", "--today", "2026-12-02"]) == 0
    out = capsys.readouterr().out
    assert "digest for the week of 2026-11-23 posted" in out
    assert "digest for the week of 2026-11-23 was already posted" in out
    assert slack.messages(CHANNEL)[-1].text.startswith("Denials week of Nov 23 – Nov 29")

    assert main(["jobs", "run", "patterns", "--today", "2026-11-02"]) == 0
    assert slack.dms(MANAGER)[-1].text.startswith("🔁 Repeat denial patterns · October 2026")
    assert main(["jobs", "run", "post"]) == 0
    assert slack.warnings() == []


def test_a_job_that_cannot_reach_slack_says_so_and_fails(
    slack: SlackStandIn,
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DENIALS_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    assert main(["jobs", "run", "digest"]) == 2
    assert "needs SLACK_BOT_TOKEN" in capsys.readouterr().err

    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_API_URL", slack.url)
    monkeypatch.setenv("DENIALS_CHANNEL", CHANNEL)
    slack.go_down()
    assert main(["jobs", "run", "digest", "--today", "2026-11-30"]) == 1
    assert "will be tried again" in capsys.readouterr().err
    slack.come_back()
    assert main(["jobs", "run", "digest", "--today", "2026-11-30"]) == 0
    assert "waiting to be retried after a failed attempt" in capsys.readouterr().out
    assert slack.messages(CHANNEL) == []  # the failed claim is retried a few minutes later


def test_the_running_scheduler_catches_up_after_a_restart_and_sends_nothing_twice(
    people: SlackStandIn,
    settings: Settings,
    engine: Engine,
    rulebook: Rulebook,
) -> None:
    slack = people
    clock = Clock(settings.zone, date(2026, 11, 30))  # Monday: the digest is due (late: noon)
    runtime = Runtime(
        settings, engine, sessionmaker(engine, expire_on_commit=False), rulebook, clock
    )
    from bot.services.importing import ImportContext, import_file

    context = ImportContext(
        sessions=runtime.sessions,
        rulebook=rulebook,
        actor="cli:test",
        now=clock.now(),
        today=clock.today(),
    )
    import_file(make_835([denied("PCN1")]), context, file_name="remit.835")
    with runtime.sessions() as session, session.begin():
        session.execute(update(Denial).values(deadline=date(2026, 12, 14)))

    ticked: set[str] = set()  # the jobs that have run since the scheduler (re)started

    def start() -> BackgroundScheduler:
        client = WebClient(token=BOT_TOKEN, base_url=slack.url)
        deps = build_deps(settings, client=client, runtime=runtime, post_interval=0)
        scheduler = create_scheduler(deps)
        ticked.clear()
        scheduler.add_listener(lambda event: ticked.add(event.job_id), EVENT_JOB_EXECUTED)
        scheduler.start()
        wait_for(lambda: len(slack.messages(CHANNEL)) >= 1)  # the post tick comes first
        soon = datetime.now(settings.zone) + timedelta(milliseconds=100)
        for name in ("deadlines", "digest", "patterns"):
            scheduler.modify_job(name, next_run_time=soon)
        return scheduler

    def everything_sent() -> bool:
        cards = slack.messages(CHANNEL)
        threads = [m for c in cards for m in slack.thread(CHANNEL, c.ts)]
        return len(cards) == 2 and len(threads) == 1 and len(slack.dms(MANAGER)) == 1

    scheduler = start()
    try:
        wait_for(everything_sent)
    finally:
        scheduler.shutdown(wait=True)
    card, digest = slack.messages(CHANNEL)
    assert digest.text.startswith("Denials week of Nov 23 – Nov 29")
    assert "Sent late" in str(digest.blocks)
    assert slack.thread(CHANNEL, card.ts)[0].text == (
        ":hourglass: 14 days to the appeal deadline (Dec 14)"
    )
    assert slack.dms(MANAGER)[0].text.startswith("🔁 Repeat denial patterns · October 2026")
    calls = len(slack.calls("chat.postMessage"))

    scheduler = start()  # a restart: every tick runs again at once
    try:
        wait_for(lambda: {"post", "deadlines", "digest", "patterns"} <= ticked)
    finally:
        scheduler.shutdown(wait=True)
    assert len(slack.calls("chat.postMessage")) == calls
    with runtime.sessions() as session:
        assert session.scalar(select(Denial.status)) == "new"
