"""Tick: the weekly digest, once the week's slot (DENIALS_DIGEST_AT, local time) has come.

A digest missed while the bot was down goes out when it is back, marked late; the ledger
keeps it to one per channel and week however often this ticks.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.schedule import is_late, local_day
from bot.jobs.context import Jobs
from bot.services.job_report import JobReport

NAME = "digest"


def run(jobs: Jobs, now: datetime, *, manual: bool = False) -> JobReport:
    """`manual` (`denials jobs run digest`) is never marked late."""
    slot = jobs.digest_at.latest(now, jobs.zone)
    late = not manual and is_late(slot, now)
    return jobs.digest.send(
        slot.astimezone(jobs.zone).date(), today=local_day(now, jobs.zone), late=late
    )
