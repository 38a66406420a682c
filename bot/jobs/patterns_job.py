"""Tick: the monthly pattern review of last month, from the first business day at 8:00.

Ticks hourly; the ledger keeps it to once per month and recipient, and a review missed while
the bot was down goes out on the next tick of that month.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.schedule import local_day, previous_month, review_due_at
from bot.jobs.context import Jobs
from bot.services.job_report import JobReport

NAME = "patterns"


def run(jobs: Jobs, now: datetime, *, manual: bool = False) -> JobReport:
    """`manual` sends last month's review now, even before the first business day."""
    if not manual and now < review_due_at(now, jobs.zone):
        return JobReport(NAME)
    return jobs.patterns.send(previous_month(local_day(now, jobs.zone)))
