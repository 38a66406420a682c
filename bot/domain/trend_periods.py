"""The periods `/denials trends` compares: the last N days, weeks or months up to today, and
the period of equal length just before it. Pure: `today` is passed in."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Dimension = Literal["category", "payer", "cpt", "provider", "carc"]
DIMENSIONS: tuple[Dimension, ...] = ("category", "payer", "cpt", "provider", "carc")
Unit = Literal["d", "w", "m"]
UNIT_WORDS: dict[Unit, tuple[str, str]] = {
    "d": ("day", "days"),
    "w": ("week", "weeks"),
    "m": ("month", "months"),
}


@dataclass(frozen=True, slots=True)
class Period:
    """Both ends included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of equal length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)


@dataclass(frozen=True, slots=True)
class Span:
    """`30d`, `12w`, `12m`: how far back from today."""

    count: int
    unit: Unit

    @property
    def label(self) -> str:
        return f"{self.count}{self.unit}"

    @property
    def words(self) -> str:
        """`30 days`, `12 months`."""
        one, many = UNIT_WORDS[self.unit]
        return f"{self.count} {one if self.count == 1 else many}"

    def period(self, today: date) -> Period:
        if self.unit == "m":
            return Period(months_before(today, self.count) + timedelta(days=1), today)
        days = self.count * (7 if self.unit == "w" else 1)
        return Period(today - timedelta(days=days - 1), today)


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, clamped to the month's end (May 31 - 3 -> Feb 28)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def week_starts(period: Period) -> tuple[date, ...]:
    """First days of the calendar weeks (Monday to Sunday) the period covers, oldest first;
    the first and last are cut to the period (the first starts on the period's first day).

    Every day of the period falls in one week, so the weekly chart adds up to the table
    beside it (issue 14: weeks that ended today and started mid-week left days out)."""
    first_monday = period.start - timedelta(days=period.start.weekday())
    starts = [period.start]
    monday = first_monday + timedelta(days=7)
    while monday <= period.end:
        starts.append(monday)
        monday += timedelta(days=7)
    return tuple(starts)


def week_days(period: Period, start: date) -> int:
    """How many days of the period the week starting on `start` holds (7, or fewer at the
    ends)."""
    sunday = start + timedelta(days=6 - start.weekday())
    return (min(sunday, period.end) - start).days + 1
