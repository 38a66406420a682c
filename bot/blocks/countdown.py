"""A card's deadline line as of today, in the bands of `bot.domain.countdown`.

Each line comes twice: with Slack emoji for the card, and plain for the notification text
(which shows `:warning:` as written on some clients and is read aloud by screen readers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.blocks.text import clip, long_date, plural
from bot.domain.countdown import Band, countdown
from bot.domain.findings import DeadlineKind

APPEAL_BY = "Appeal by {date}{note}"
RESUBMIT_BY = "No appeal rights{reason}: correct and resubmit by {date}{note}"
NO_DEADLINE = "No deadline on file: check the payer's appeal window"
DAYS_LEFT = "{days} left"
TOMORROW = "due tomorrow"
TODAY = "due today"
OVERDUE = "overdue by {days}"
LAPSED = "window closed"
WARNING = ":warning:"
ALARM = ":rotating_light:"
CLOSED_MARK = ":hourglass:"
_EMOJI = {
    Band.WEEK: WARNING,
    Band.URGENT: WARNING,
    Band.TOMORROW: WARNING,
    Band.TODAY: WARNING,
    Band.OVERDUE: ALARM,
    Band.LAPSED: CLOSED_MARK,
}


@dataclass(frozen=True, slots=True)
class DeadlineLine:
    text: str  # mrkdwn with emoji, for the card
    plain: str  # the same words without emoji, for the notification text
    band: Band | None  # None: no deadline on file


def deadline_line(
    due: date | None,
    kind: DeadlineKind,
    *,
    today: date,
    no_appeal_reason: str | None = None,
    note: str = "",
) -> DeadlineLine:
    """`Appeal by Jan 14, 2027` (far), `… · 12 days left`, `… · :warning: 6 days left`,
    `… · :warning: due today`, `… · :rotating_light: overdue by 2 days`, and a month past it
    `… · :hourglass: window closed` (the date alone: no count to edit daily)."""
    if due is None:
        return DeadlineLine(NO_DEADLINE, NO_DEADLINE, None)
    if kind is DeadlineKind.RESUBMISSION or no_appeal_reason:
        reason = f" ({clip(no_appeal_reason, 40)})" if no_appeal_reason else ""
        lead = RESUBMIT_BY.format(reason=reason, date=long_date(due), note=note)
    else:
        lead = APPEAL_BY.format(date=long_date(due), note=note)
    clock = countdown(due, today)
    words = _urgency(clock.band, clock.days_left)
    if not words:
        return DeadlineLine(lead, lead, clock.band)
    emoji = _EMOJI.get(clock.band)
    shown = f"{emoji} {words}" if emoji else words
    return DeadlineLine(f"{lead} · {shown}", f"{lead} · {words}", clock.band)


def _urgency(band: Band, days_left: int) -> str:
    if band is Band.FAR:
        return ""
    if band is Band.TOMORROW:
        return TOMORROW
    if band is Band.TODAY:
        return TODAY
    if band is Band.OVERDUE:
        return OVERDUE.format(days=plural(-days_left, "day"))
    if band is Band.LAPSED:
        return LAPSED
    return DAYS_LEFT.format(days=plural(days_left, "day"))
