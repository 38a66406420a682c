"""Tick: the daily card refresh, on the first tick after midnight (local time) each day.

Ticks every 10 minutes; the send ledger keeps it to once a day however often it ticks and
however many replicas run, and a day missed while the bot was down is done when it is back.
It only marks the cards whose words changed; the posting job edits them, paced. Run by hand
(`denials jobs run refresh`), it also edits them at once.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.schedule import local_day
from bot.jobs.context import Jobs
from bot.services.job_report import JobReport

NAME = "refresh"
UPDATED = "{count} cards updated"


def run(jobs: Jobs, now: datetime, *, manual: bool = False) -> JobReport:
    report = jobs.refresh.run(local_day(now, jobs.zone), manual=manual)
    if manual:  # a person waits for it: edit them all now, at the pace of the posting job
        edited = 0
        while done := jobs.deps.poster.refresh_changed():
            edited += done
        if edited:
            report.sent.append(UPDATED.format(count=edited))
    return report
