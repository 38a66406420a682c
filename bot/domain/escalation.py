"""Which deadline warning applies to a denial today, and who hears it (UX.md "Escalations").

Levels are days before the deadline (`DENIALS_WARNING_DAYS`, default 14, 7, 3, 1), plus
`OVERDUE` once the deadline has passed. On any day the level that applies is the most urgent
one whose day has come: with 5 days left that is 7. So a level whose day was missed (the bot
was down, or the denial arrived late) is still sent, once, and the older, less urgent levels
it overtook are skipped rather than sent in a burst.

Who hears a level depends on how close it is, not on its position in the list:

| days before | audience |
|---|---|
| 8 or more | a note in the card's thread |
| 4 to 7 | the assignee is mentioned in the thread (the managers when unassigned) |
| 2 to 3 | the assignee and the managers are mentioned in the thread |
| 1, 0, overdue | a direct message to each manager, one per day listing them all |
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from enum import Enum
from typing import Final, Literal

OVERDUE: Final = "overdue"
Level = int | Literal["overdue"]
DEFAULT_LEVELS = (14, 7, 3, 1)
# Documentation requests are answered within weeks, not months (issue 15): 7, 3 and 1 days
# before the due date, then overdue; the audiences are the same as a denial's at those days.
RECORDS_LEVELS = (7, 3, 1)


class Audience(Enum):
    THREAD_NOTE = "thread_note"
    ASSIGNEE = "assignee"
    ASSIGNEE_AND_MANAGERS = "assignee_and_managers"
    MANAGER_DM = "manager_dm"

    @property
    def in_thread(self) -> bool:
        return self is not Audience.MANAGER_DM


def level_for(days_left: int, levels: Iterable[int] = DEFAULT_LEVELS) -> Level | None:
    """The most urgent level whose day has come, or None while the deadline is far off."""
    if days_left < 0:
        return OVERDUE
    reached = [level for level in levels if level >= days_left]
    return min(reached) if reached else None


def audience(level: Level) -> Audience:
    if level == OVERDUE or level <= 1:
        return Audience.MANAGER_DM
    if level <= 3:
        return Audience.ASSIGNEE_AND_MANAGERS
    if level <= 7:
        return Audience.ASSIGNEE
    return Audience.THREAD_NOTE


def people(who: Audience, assignee: str | None, managers: Sequence[str]) -> tuple[str, ...]:
    """Slack user ids to mention in the thread (none for a plain note or a DM)."""
    if who is Audience.ASSIGNEE:
        return (assignee,) if assignee else tuple(managers)
    if who is Audience.ASSIGNEE_AND_MANAGERS:
        ids = ([assignee] if assignee else []) + [m for m in managers if m != assignee]
        return tuple(ids)
    return ()


def warning_key(denial_id: int, level: Level, deadline: date, *, item: str = "denial") -> str:
    """Ledger key: a new deadline (e.g. after a lost appeal) gets its own warnings. A request's
    or rejection's key names its kind (`request:12:7:2026-11-16`), so ids never collide."""
    prefix = "" if item == "denial" else f"{item}:"
    return f"{prefix}{denial_id}:{level}:{deadline.isoformat()}"


def horizon(levels: Iterable[int]) -> int:
    """How many days ahead a deadline can need a warning."""
    return max([0, *levels])


def parse_levels(levels: Iterable[int]) -> tuple[int, ...]:
    """Distinct, non-negative, most distant first; refuses an empty list."""
    cleaned = tuple(sorted({int(level) for level in levels if int(level) >= 0}, reverse=True))
    if not cleaned:
        raise ValueError("DENIALS_WARNING_DAYS needs at least one number of days, e.g. 14,7,3,1")
    return cleaned
