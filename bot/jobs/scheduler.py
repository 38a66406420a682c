"""APScheduler as a metronome: jobs tick often; the database decides what is due.

Nothing is stored in APScheduler (replicas must not share its job store): every tick reads the
database and claims a ledger row before it sends, so a restart catches up and two replicas
never send twice. Each tick runs under `tick_lock` (PostgreSQL: one replica per tick) and
`guard`: a failure is logged by kind and reported to the managers, at most hourly per job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler

from bot.deps import Deps
from bot.jobs import deadlines_job, digest_job, inbox_job, patterns_job, post_job, refresh_job
from bot.jobs.context import Jobs, build_jobs
from bot.jobs.locks import tick_lock
from bot.services.job_report import JobReport

log = logging.getLogger(__name__)


class JobRun(Protocol):
    def __call__(self, jobs: Jobs, now: datetime, *, manual: bool = False) -> JobReport: ...


RUNS: dict[str, JobRun] = {
    post_job.NAME: post_job.run,
    inbox_job.NAME: inbox_job.run,
    deadlines_job.NAME: deadlines_job.run,
    digest_job.NAME: digest_job.run,
    patterns_job.NAME: patterns_job.run,
    refresh_job.NAME: refresh_job.run,
}
# (name, every, first tick after start): staggered so a restart catches up promptly
POST_EVERY_SECONDS = 15
TICKS: tuple[tuple[str, timedelta, timedelta], ...] = (
    (post_job.NAME, timedelta(seconds=POST_EVERY_SECONDS), timedelta(seconds=1)),
    (inbox_job.NAME, timedelta(minutes=2), timedelta(seconds=5)),
    (deadlines_job.NAME, timedelta(hours=1), timedelta(seconds=20)),
    (digest_job.NAME, timedelta(minutes=15), timedelta(seconds=30)),
    (patterns_job.NAME, timedelta(hours=1), timedelta(seconds=40)),
    (refresh_job.NAME, timedelta(minutes=10), timedelta(seconds=50)),
)
CRASHED = "it stopped with {error}"


def create_scheduler(deps: Deps, jobs: Jobs | None = None) -> BackgroundScheduler:
    """Every tick registered, not started. Raises ValueError for a bad DENIALS_DIGEST_AT."""
    jobs = jobs or build_jobs(deps)
    scheduler = BackgroundScheduler(timezone=deps.clock.zone)
    start = datetime.now(deps.clock.zone)
    for name, every, first in TICKS:
        if name == inbox_job.NAME and jobs.inbox is None:
            continue
        scheduler.add_job(
            guard(jobs, name),
            "interval",
            seconds=every.total_seconds(),
            id=name,
            name=name,
            next_run_time=start + first,
            max_instances=1,
            coalesce=True,  # ticks missed while busy or suspended run once, not in a burst
            misfire_grace_time=int(every.total_seconds()),
        )
    scheduler.add_listener(listener(jobs), EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    return scheduler


def guard(jobs: Jobs, name: str) -> Callable[[], None]:
    """The tick APScheduler calls: lock, run as of now, report problems."""

    def tick() -> None:
        try:
            with tick_lock(jobs.deps.sessions, name) as mine:
                if not mine:
                    log.debug("%s: another replica has this tick", name)
                    return
                report = RUNS[name](jobs, jobs.deps.clock.now())
        except Exception as error:  # never silent, and never a traceback with data in the log
            log.error("scheduled job %s failed: %s", name, type(error).__name__)
            log.debug("scheduled job %s failure", name, exc_info=True)
            jobs.reporter.report(name, [CRASHED.format(error=type(error).__name__)])
            return
        for line in report.sent:
            log.info("%s: %s", name, line)
        if report.errors:
            jobs.reporter.report(name, report.errors)

    tick.__name__ = tick.__qualname__ = f"{name}_tick"
    return tick


def listener(jobs: Jobs) -> Callable[[Any], None]:
    """What APScheduler itself reports: a job that raised past `guard`, or a missed tick."""

    def on_event(event: JobExecutionEvent) -> None:
        if event.code == EVENT_JOB_MISSED:
            log.warning(
                "scheduled job %s missed its tick (the bot was busy or asleep)", event.job_id
            )
            return
        error = type(event.exception).__name__ if event.exception else "an unknown error"
        log.error("scheduled job %s raised %s", event.job_id, error)
        jobs.reporter.report(str(event.job_id), [CRASHED.format(error=error)])

    return on_event


def run_now(jobs: Jobs, name: str, now: datetime, *, manual: bool = True) -> JobReport:
    """One job, once, as of `now` (the CLI's `denials jobs run NAME`)."""
    return RUNS[name](jobs, now, manual=manual)
