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
    """First days of the whole weeks (7 days) that end on the period's last day, oldest first.

    Weeks end today rather than on Sundays, and a leftover of under 7 days at the start is
    left out: a half-empty week would read as a drop that did not happen."""
    weeks = period.days // 7
    return tuple(period.end - timedelta(days=7 * (weeks - i) - 1) for i in range(weeks))
