"""How far a deadline is, in the bands a card shows (issue 14 "time moves the cards").

A card's countdown changes only when its band or the day count it shows changes, so a daily
refresh edits few cards: far deadlines show the date alone (no count to go stale), the last two
weeks count down daily, and a deadline long past shows the date it closed, not an ever-growing
count (a "6,147 days overdue" card would otherwise be edited every day forever).

Pure: dates in, a band out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

COUNT_FROM: Final = 14  # days left: the count is shown from two weeks out
WARN_FROM: Final = 7  # days left: the count carries a warning (the 7-day escalation)
URGENT_FROM: Final = 3  # days left: the 3-day escalation (the manager is told)
# Overdue by more than this: the window is gone (payers take late appeals only with good
# cause, and rarely a month on). The card stops counting; lists summarize these as lapsed.
LAPSED_AFTER: Final = 30

# How long a payer takes to decide an appeal, where a source says (denial-facts.md §3):
# Medicare's MAC decides a redetermination within 60 days of receipt (Noridian, appeals).
DECISION_DAYS: Final = {"medicare": 60}


class Band(StrEnum):
    FAR = "far"  # more than COUNT_FROM days: the date alone
    TWO_WEEKS = "two_weeks"  # 8..14 days
    WEEK = "week"  # 4..7 days
    URGENT = "urgent"  # 2..3 days
    TOMORROW = "tomorrow"
    TODAY = "today"
    OVERDUE = "overdue"  # 1..LAPSED_AFTER days past
    LAPSED = "lapsed"  # more than LAPSED_AFTER days past: the date it closed, no count


@dataclass(frozen=True, slots=True)
class Countdown:
    due: date
    days_left: int  # negative when past

    @property
    def band(self) -> Band:
        return band(self.days_left)

    @property
    def shows_count(self) -> bool:
        """Whether the words change from one day to the next."""
        return self.band not in (Band.FAR, Band.LAPSED)


def countdown(due: date, today: date) -> Countdown:
    return Countdown(due, (due - today).days)


def band(days_left: int) -> Band:
    if days_left > COUNT_FROM:
        return Band.FAR
    if days_left > WARN_FROM:
        return Band.TWO_WEEKS
    if days_left > URGENT_FROM:
        return Band.WEEK
    if days_left > 1:
        return Band.URGENT
    if days_left == 1:
        return Band.TOMORROW
    if days_left == 0:
        return Band.TODAY
    if days_left >= -LAPSED_AFTER:
        return Band.OVERDUE
    return Band.LAPSED


def decision_due(rule_key: str, sent_on: date) -> date | None:
    """When the payer's decision on an appeal sent on `sent_on` is due, when a source says."""
    days = DECISION_DAYS.get(rule_key)
    return sent_on + timedelta(days=days) if days is not None else None
