"""Tick: import what was dropped in DENIALS_INBOX, then post the new cards."""

from __future__ import annotations

from datetime import datetime

from bot.domain.schedule import local_day
from bot.jobs.context import Jobs
from bot.jobs.post_job import run as post
from bot.services.job_report import JobReport

NAME = "inbox"
NO_INBOX = "DENIALS_INBOX is not set: there is no folder to watch"


def run(jobs: Jobs, now: datetime, *, manual: bool = False) -> JobReport:
    if jobs.inbox is None:
        return JobReport(NAME, errors=[NO_INBOX] if manual else [])
    report = jobs.inbox.run(now=now, today=local_day(now, jobs.zone))
    if report.sent:
        posted = post(jobs, now, manual=manual)
        report.sent += posted.sent
        report.errors += posted.errors
    return report
