"""The metronome: what `create_scheduler` registers, and that no failure is ever silent."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.domain.rulebook import Rulebook
from bot.jobs.scheduler import RUNS, create_scheduler, guard
from bot.services.job_report import JobReport
from tests.integration.jobs_support import MANAGER, JobBot
from tests.support.slack_standin import SlackStandIn


@pytest.fixture
def make_bot(
    settings: Settings, sessions: sessionmaker[Session], rulebook: Rulebook, slack: SlackStandIn
) -> Callable[..., JobBot]:
    def make(**changes: Any) -> JobBot:
        return JobBot.build(settings, sessions, rulebook, slack, **changes)

    return make


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_every_tick_is_registered_with_coalescing_and_a_grace_time(
    make_bot: Callable[..., JobBot], tmp_path: Path
) -> None:
    bot = make_bot(inbox=tmp_path)
    scheduler = create_scheduler(bot.deps, bot.jobs)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"post", "inbox", "deadlines", "digest", "patterns", "refresh"}
    every = {
        name: job.trigger.interval.total_seconds()
        for name, job in jobs.items()
        if isinstance(job.trigger, IntervalTrigger)
    }
    assert every == {
        "post": 15,
        "inbox": 120,
        "deadlines": 3600,
        "digest": 900,
        "patterns": 3600,
        "refresh": 600,
    }
    for job in jobs.values():
        assert job.coalesce
        assert job.max_instances == 1
        assert job.misfire_grace_time == every[job.id]
    assert "inbox" not in {j.id for j in create_scheduler(make_bot().deps).get_jobs()}


def test_a_bad_digest_time_is_refused_with_the_expected_format(
    make_bot: Callable[..., JobBot],
) -> None:
    bot = make_bot()
    settings = bot.deps.settings.model_copy(update={"digest_cron": "monday morning"})
    deps = replace(bot.deps, settings=settings)
    with pytest.raises(ValueError, match="like 'mon 08:00'"):
        create_scheduler(deps)


def test_a_crashing_tick_is_logged_and_reported_to_the_managers_once_an_hour(
    make_bot: Callable[..., JobBot],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = make_bot()

    def boom(jobs: object, now: datetime, *, manual: bool = False) -> JobReport:
        raise ZeroDivisionError("claim PCN1 for patient X")  # a message that must not leak

    monkeypatch.setitem(RUNS, "digest", boom)
    tick = guard(bot.jobs, "digest")
    tick()
    tick()
    assert bot.dm_texts() == [
        ":warning: The scheduled job *digest* had a problem:\n"
        "• it stopped with ZeroDivisionError\n"
        "It tries again on its next run; the bot's log has the details. "
        "(At most one report per job per hour.)"
    ]
    assert "scheduled job digest failed: ZeroDivisionError" in caplog.text
    assert "patient X" not in caplog.text


def test_problems_a_job_reports_reach_the_managers(make_bot: Callable[..., JobBot]) -> None:
    bot = make_bot(channel=None)
    guard(bot.jobs, "digest")()
    assert len(bot.dm_texts()) == 1
    assert "DENIALS_CHANNEL is not set" in bot.dm_texts()[0]


def test_the_running_scheduler_reports_a_job_that_raised_past_the_guard(
    make_bot: Callable[..., JobBot],
) -> None:
    bot = make_bot()
    scheduler = create_scheduler(bot.deps, bot.jobs)
    for job in scheduler.get_jobs():
        job.pause()

    def broken() -> None:
        raise RuntimeError("unexpected")

    scheduler.add_job(broken, id="broken", name="broken")
    scheduler.start()
    try:
        # Done once the DM is sent *and* APScheduler's thread has retired the one-shot job:
        # the DM can arrive first, and shutdown() marks the scheduler stopped before taking
        # the job-store lock, so that thread's remove_job would then raise JobLookupError.
        wait_for(lambda: len(bot.slack.dms(MANAGER)) == 1 and scheduler.get_job("broken") is None)
    finally:
        scheduler.shutdown(wait=True)
    assert "*broken* had a problem:\n• it stopped with RuntimeError" in bot.dm_texts()[0]
