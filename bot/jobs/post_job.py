"""Tick: send the outbox (new cards, and cards to rebuild) with `SlackPoster`."""

from __future__ import annotations

from datetime import datetime

from bot.jobs.context import Jobs
from bot.services.job_report import JobReport

NAME = "post"


def run(jobs: Jobs, now: datetime, *, manual: bool = False) -> JobReport:
    done = jobs.deps.poster.post_pending()
    report = JobReport(NAME, errors=list(done.errors))
    if done.posted:
        report.sent.append(f"{done.posted} cards posted")
    if done.updated:
        report.sent.append(f"{done.updated} cards updated")
    if done.deferred:
        report.skipped.append(f"{done.deferred} cards deferred to a later round")
    return report
