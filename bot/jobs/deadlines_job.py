"""Tick: escalating deadline warnings for today (local), from 8:00 on.

Ticks hourly; the service decides per day what applies and the ledger what was sent, so a
day missed while the bot was down is caught up on the next tick.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.schedule import local_day, warnings_due
from bot.jobs.context import Jobs
from bot.services.job_report import JobReport

NAME = "deadlines"


def run(jobs: Jobs, now: datetime, *, manual: bool = False) -> JobReport:
    """`manual` runs at any hour; the scheduled tick waits for the morning."""
    if not manual and not warnings_due(now, jobs.zone):
        return JobReport(NAME)
    return jobs.warnings.run(local_day(now, jobs.zone))
