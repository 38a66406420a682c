"""When scheduled work is due, in the practice's time zone: pure functions of `now`.

The ticks run often; these decide whether the moment has come. Local times are built with
`datetime.combine(day, time, zone)`, so 08:00 is 08:00 on both sides of a DST change (13:00 UTC
in New York winter, 12:00 UTC in summer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MORNING = time(8)  # deadline warnings and the pattern review go out from 8:00 local
LATE_AFTER = timedelta(hours=1)  # a digest sent later than this says it is late
BAD_SLOT = "DENIALS_DIGEST_AT={text!r} is not a day and time like 'mon 08:00' (24-hour clock)"
_SLOT = re.compile(r"^\s*([a-z]{3})[a-z]*\s+(\d{1,2})(?::(\d{2}))?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class WeeklySlot:
    """A day of the week and a local time, e.g. Monday 08:00 (`DENIALS_DIGEST_AT`)."""

    weekday: int  # Monday is 0
    at: time

    @classmethod
    def parse(cls, text: str) -> WeeklySlot:
        """`mon 08:00`, `Monday 8:00`, `fri 16`."""
        match = _SLOT.match(text)
        if not match or match.group(1).lower() not in WEEKDAYS:
            raise ValueError(BAD_SLOT.format(text=text))
        hour, minute = int(match.group(2)), int(match.group(3) or 0)
        if hour > 23 or minute > 59:
            raise ValueError(BAD_SLOT.format(text=text))
        return cls(WEEKDAYS.index(match.group(1).lower()), time(hour, minute))

    def latest(self, now: datetime, zone: ZoneInfo) -> datetime:
        """The most recent slot at or before `now` (this week's, else last week's)."""
        today = local_day(now, zone)
        monday = today - timedelta(days=today.weekday())
        slot = datetime.combine(monday + timedelta(days=self.weekday), self.at, zone)
        if slot > now:
            slot = datetime.combine(slot.date() - timedelta(days=7), self.at, zone)
        return slot


def local_day(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()


def is_late(slot: datetime, now: datetime) -> bool:
    return now - slot > LATE_AFTER


def first_business_day(year: int, month: int) -> date:
    """The first Monday–Friday of the month (public holidays are not modelled)."""
    day = date(year, month, 1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def previous_month(day: date) -> date:
    """First day of the month before `day`'s."""
    first = day.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def review_due_at(now: datetime, zone: ZoneInfo) -> datetime:
    """This month's pattern review moment: its first business day at 8:00 local."""
    today = local_day(now, zone)
    return datetime.combine(first_business_day(today.year, today.month), MORNING, zone)


def warnings_due(now: datetime, zone: ZoneInfo) -> bool:
    """Deadline warnings go out from 8:00 local, not at midnight."""
    return now.astimezone(zone).time() >= MORNING
