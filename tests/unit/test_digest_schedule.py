"""When scheduled work is due, in local time across DST changes, weeks, months and years."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.schedule import (
    WeeklySlot,
    first_business_day,
    is_late,
    previous_month,
    review_due_at,
    warnings_due,
)

NY = ZoneInfo("America/New_York")
MONDAY_8 = WeeklySlot(0, time(8))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("mon 08:00", WeeklySlot(0, time(8))),
        ("Monday 8:00", WeeklySlot(0, time(8))),
        ("fri 16", WeeklySlot(4, time(16))),
        ("SUN 23:59", WeeklySlot(6, time(23, 59))),
    ],
)
def test_the_digest_slot_is_read_from_a_day_and_a_time(text: str, slot: WeeklySlot) -> None:
    assert WeeklySlot.parse(text) == slot


@pytest.mark.parametrize("text", ["", "08:00", "mon", "xyz 08:00", "mon 25:00", "mon 8:61"])
def test_a_bad_digest_slot_says_what_it_should_look_like(text: str) -> None:
    with pytest.raises(ValueError, match="like 'mon 08:00'"):
        WeeklySlot.parse(text)


def test_monday_8_local_is_13_utc_in_winter_and_12_utc_in_summer() -> None:
    # DST began Sunday 2026-03-08 and ended Sunday 2026-11-01 in New York
    assert MONDAY_8.latest(utc(2026, 3, 9, 12, 0), NY) == utc(2026, 3, 9, 12, 0)
    assert MONDAY_8.latest(utc(2026, 3, 9, 11, 59), NY) == utc(2026, 3, 2, 13, 0)
    assert MONDAY_8.latest(utc(2026, 11, 2, 13, 0), NY) == utc(2026, 11, 2, 13, 0)
    assert MONDAY_8.latest(utc(2026, 11, 2, 12, 30), NY) == utc(2026, 10, 26, 12, 0)


def test_the_latest_slot_crosses_week_and_year_boundaries() -> None:
    # Sunday night local is still last week; 2027-01-04 is the first Monday of 2027
    assert MONDAY_8.latest(utc(2026, 11, 30, 4, 59), NY).date() == date(2026, 11, 23)
    assert MONDAY_8.latest(utc(2027, 1, 4, 13, 0), NY).date() == date(2027, 1, 4)
    assert MONDAY_8.latest(utc(2027, 1, 3, 13, 0), NY).date() == date(2026, 12, 28)
    friday = WeeklySlot(4, time(16))
    assert friday.latest(utc(2026, 11, 30, 15, 0), NY).date() == date(2026, 11, 27)


def test_late_means_more_than_an_hour_after_the_slot() -> None:
    slot = utc(2026, 11, 30, 13, 0)
    assert not is_late(slot, utc(2026, 11, 30, 14, 0))
    assert is_late(slot, utc(2026, 11, 30, 14, 1))


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [(2026, 11, 2), (2026, 12, 1), (2027, 1, 1), (2026, 8, 3), (2027, 5, 3)],
)
def test_the_first_business_day_skips_the_weekend(year: int, month: int, day: int) -> None:
    assert first_business_day(year, month) == date(year, month, day)


def test_the_review_covers_the_month_before_and_is_due_at_8_local() -> None:
    assert previous_month(date(2027, 1, 4)) == date(2026, 12, 1)
    assert previous_month(date(2026, 3, 31)) == date(2026, 2, 1)
    # November 2026 starts on a Sunday, after the DST change: 8:00 EST is 13:00 UTC
    assert review_due_at(utc(2026, 11, 1, 12, 0), NY) == utc(2026, 11, 2, 13, 0)
    # March 2027: the 1st is a Monday, before DST (March 14): 8:00 EST
    assert review_due_at(utc(2027, 3, 20, 12, 0), NY) == utc(2027, 3, 1, 13, 0)


def test_warnings_wait_for_the_local_morning() -> None:
    assert not warnings_due(utc(2026, 3, 9, 11, 59), NY)  # 07:59 EDT
    assert warnings_due(utc(2026, 3, 9, 12, 0), NY)
    assert not warnings_due(utc(2026, 11, 2, 12, 59), NY)  # 07:59 EST
    assert warnings_due(utc(2026, 11, 2, 13, 0), NY)
