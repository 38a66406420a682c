"""One set of definitions for the numbers people compare (issue 14): App Home's team summary,
the Monday digest, `/denials due` and the trends say the same thing with the same words.

| word | means |
|---|---|
| Received | denials imported in the period (never "New", which was also a status) |
| Not started | open denials nobody has touched: status `new` |
| Needs an owner | still to act on (`new`, `in_progress`) and nobody assigned |
| Root cause to confirm | still to act on, and its root cause is the suggested one |
| Due this week | still to act on, deadline in the seven days from today |
| Overdue | still to act on, deadline passed up to LAPSED_AFTER_DAYS ago (still appealable) |
| Lapsed | still to act on, deadline passed longer ago: review for write-off |
| Open | not recovered, written off or replaced, waiting for the payer included |

Bands and days come from `bot.domain.urgency`; statuses from `bot.domain.statuses`. Money is
always said with cents (`bot.blocks.text.money`), everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Amount:
    count: int = 0
    amount: Decimal = field(default_factory=lambda: Decimal(0))


@dataclass(frozen=True, slots=True, kw_only=True)
class Measures:
    """The work as of `today`."""

    today: date
    open: Amount
    not_started: int
    needs_owner: int
    to_confirm: int
    due_this_week: Amount
    overdue: Amount
    lapsed: Amount
