"""A fixed day reads the same whatever the hour the tests (or `--today`) run at."""

from __future__ import annotations

import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock

NEW_YORK = ZoneInfo("America/New_York")


def test_a_fixed_day_starts_at_noon_local_and_runs_on() -> None:
    clock = Clock(NEW_YORK, date(2026, 11, 30))
    first = clock.now()
    time.sleep(0.02)
    later = clock.now()

    assert first.astimezone(NEW_YORK).date() == date(2026, 11, 30)
    assert datetime(2026, 11, 30, 12, tzinfo=NEW_YORK) <= first < later
    assert (later - first).total_seconds() >= 0.02
    assert clock.today() == date(2026, 11, 30)
    assert clock.on(date(2026, 12, 1)).now().astimezone(NEW_YORK).hour == 12


def test_without_a_fixed_day_it_is_the_real_time() -> None:
    clock = Clock(NEW_YORK)
    assert abs((clock.now() - datetime.now(NEW_YORK)).total_seconds()) < 5
