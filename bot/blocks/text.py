"""Small formatting helpers every builder shares: escaping, money, dates, days, people.

Anything a payer, a file or a user wrote goes through `escape` before it lands in mrkdwn, so a
reason text like `<!channel>` or `A&B` shows as written instead of pinging or breaking the card.
plain_text objects (headers, buttons, options) are not parsed by Slack and are left as they are.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.findings import DeadlineKind
from bot.domain.statuses import DenialStatus

UNASSIGNED = "Unassigned"
ELLIPSIS = "…"
APPEAL_BY = "Appeal by {date}{note} · {urgency}"
RESUBMIT_BY = "No appeal rights{reason}: correct and resubmit by {date}{note} · {urgency}"
NO_DEADLINE = "No deadline on file: check the payer's appeal window"


_CENT = Decimal("0.01")


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def clip(text: str, limit: int) -> str:
    """`escape(text)` cut to at most `limit` characters, never inside an entity like `&amp;`."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    pieces: list[str] = []
    size = 0
    for char in text:
        piece = escape(char)
        if size + len(piece) > limit - 1:
            break
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces).rstrip() + ELLIPSIS


def money(amount: Decimal) -> str:
    """`Decimal("1450")` -> `$1,450.00`; negatives as `-$5.00`."""
    cents = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents):,.2f}"


NO_VALUE = frozenset({"", "-", "–"})


def joined(*parts: str | None) -> str:
    """`Cigna · Other · Test Clinician`: the parts that say something, joined; a missing code
    or provider (stored as "" or "-") is left out rather than shown as a raw "-"."""
    return " · ".join(p for p in parts if p is not None and p.strip() not in NO_VALUE)


def long_date(day: date) -> str:
    """`Jan 14, 2027`."""
    return f"{day:%b} {day.day}, {day.year}"


def short_date(day: date) -> str:
    """`Oct 20`, for lines where the year is obvious (history, imports)."""
    return f"{day:%b} {day.day}"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`plural(1, "day") == "1 day"`, `plural(6147, "day") == "6,147 days"`."""
    return f"{count:,} {noun if count == 1 else (nouns or noun + 's')}"


def mention(user_id: str | None) -> str:
    """`<@U123>`, or `Unassigned` for nobody."""
    return f"<@{user_id}>" if user_id else UNASSIGNED


def status_label(status: str) -> str:
    """`In progress` for `in_progress`; a status this version does not know, in words."""
    if status in _STATUSES:
        return DenialStatus(status).label
    return status.replace("_", " ").capitalize()


_STATUSES = frozenset(DenialStatus)


def days_left_text(days_left: int) -> str:
    """Urgency of a deadline, as the card and lists say it.

    `47 days left`; inside a week `:warning: 6 days left` (and `:warning: due today`);
    after it `:rotating_light: overdue by 2 days`.
    """
    if days_left < 0:
        return f":rotating_light: overdue by {plural(-days_left, 'day')}"
    if days_left == 0:
        return ":warning: due today"
    if days_left <= 7:
        return f":warning: {plural(days_left, 'day')} left"
    return f"{plural(days_left, 'day')} left"


def days_short(days_left: int) -> str:
    """The compact form used in one-line rows: `2 days over`, `due today`, `3 days left`."""
    if days_left < 0:
        return f"{plural(-days_left, 'day')} over"
    if days_left == 0:
        return "due today"
    return f"{plural(days_left, 'day')} left"


def deadline_text(
    due: date | None,
    kind: DeadlineKind,
    *,
    today: date,
    no_appeal_reason: str | None = None,
    note: str = "",
) -> str:
    """`Appeal by Jan 14, 2027 · 47 days left`, or for a denial without appeal rights
    `No appeal rights (MA130): correct and resubmit by Mar 3, 2027 · 20 days left`.

    `note` follows the date (`" (earliest)"`); `no_appeal_reason` is escaped here.
    """
    if due is None:
        return NO_DEADLINE
    urgency = days_left_text((due - today).days)
    if kind is DeadlineKind.RESUBMISSION or no_appeal_reason:
        reason = f" ({clip(no_appeal_reason, 40)})" if no_appeal_reason else ""
        return RESUBMIT_BY.format(reason=reason, date=long_date(due), note=note, urgency=urgency)
    return APPEAL_BY.format(date=long_date(due), note=note, urgency=urgency)
