"""How urgent a deadline is, said once for every list: `/denials due`, App Home, the managers'
deadline DM, and the counts of the digest and the trends (issue 14).

A list reads urgent first, in bands:

| band | days left | order inside |
|---|---|---|
| overdue | -1 to -LAPSED_AFTER_DAYS | the most recently missed first (the likeliest to be saved) |
| soon | 0 to 3 | fewest days left first |
| week | 4 to 6 | fewest days left first |
| later | 7 and more | fewest days left first |
| lapsed | over LAPSED_AFTER_DAYS over | not listed: one line, to review for write-off |

"Due this week" is `soon` and `week` together: the seven days starting today.
Ties go to the larger amount. Pure: no clock, no database.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Final

# Past this many days over, a deadline is taken as lapsed: payers accept a late appeal for
# good cause, or the next level, within weeks, not months. Such denials are summarized in one
# line for write-off review instead of filling the top of every list (issue 14: "overdue by
# 6,147 days" rows came before "1 day left").
LAPSED_AFTER_DAYS: Final = 30
SOON_DAYS: Final = 3
WEEK_DAYS: Final = 7  # the seven days from today: days_left 0..6
PAGE_ROWS: Final = 10  # rows a list shows at once: one phone screen; "Show more" pages on


class Band(StrEnum):
    OVERDUE = "overdue"
    SOON = "soon"
    WEEK = "week"
    LATER = "later"
    LAPSED = "lapsed"


# The order a list shows its bands in; lapsed is never listed row by row.
LISTED: Final = (Band.OVERDUE, Band.SOON, Band.WEEK, Band.LATER)


def band_of(days_left: int) -> Band:
    if days_left < -LAPSED_AFTER_DAYS:
        return Band.LAPSED
    if days_left < 0:
        return Band.OVERDUE
    if days_left <= SOON_DAYS:
        return Band.SOON
    if days_left < WEEK_DAYS:
        return Band.WEEK
    return Band.LATER


def urgency(days_left: int, amount: Decimal | None = None) -> tuple[int, int, Decimal]:
    """Sort key, most urgent first: bands in LISTED order, overdue by the fewest days over,
    the others by the fewest days left; then the larger amount."""
    band = band_of(days_left)
    position = LISTED.index(band) if band in LISTED else len(LISTED)
    inside = -days_left if band is Band.OVERDUE else days_left
    return (position, inside, -(amount or Decimal(0)))


def due_this_week(days_left: int) -> bool:
    return 0 <= days_left < WEEK_DAYS


def overdue(days_left: int) -> bool:
    """Past the deadline and not yet lapsed: still worth an appeal today."""
    return band_of(days_left) is Band.OVERDUE


def lapsed(days_left: int) -> bool:
    return band_of(days_left) is Band.LAPSED
