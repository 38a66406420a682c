"""APScheduler as a metronome: jobs tick often; the database decides what is due."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler

from bot.handlers.deps import Deps

log = logging.getLogger(__name__)

POST_EVERY_SECONDS = 15


def create_scheduler(deps: Deps) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=deps.clock.zone)
    scheduler.add_job(
        deps.poster.post_pending,
        "interval",
        seconds=POST_EVERY_SECONDS,
        id="post",
        max_instances=1,
        coalesce=True,
    )
    return scheduler
