"""The daily direct message to each manager: denials due tomorrow (or today) and overdue.

UX.md "Escalations": `3 denials are due tomorrow or overdue ($1,020.00)`, then two sections,
urgent first: due today or tomorrow, then overdue and still appealable (the most recently
missed first); one line each with the assignee, the claim linking to its card (an [Open]
button when the card has no link yet); a grouped card's denials as one line; denials past
every window in one summary line; at most one screen, the rest behind `/denials due 1`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from slack_sdk.models.blocks import Block, ButtonElement, ContextBlock, MarkdownTextObject

from bot.blocks import ids
from bot.blocks.message import Message, section, to_message
from bot.blocks.text import clip, escape, mention, money, plural
from bot.blocks.thread_notes import ESCALATION_KIND_WORDS
from bot.domain.findings import DeadlineKind
from bot.domain.urgency import PAGE_ROWS, lapsed, urgency

SOON = ":warning: *Due today or tomorrow* ({count})"
OVERDUE = ":rotating_light: *Overdue, still appealable* ({count})"
GROUP_CLAIMS = ":repeat: {count} denials like {claim}"
SEVERAL = "several owners"
TITLE_ONE = "1 denial is due tomorrow or overdue ({amount})"
TITLE_MANY = "{count} denials are due tomorrow or overdue ({amount})"
TITLE_MIXED = "Due tomorrow or overdue: {what} ({amount})"
DUE_TOMORROW = "due tomorrow"
DUE_TODAY = "due today"
DUE_IN = "due in {days}"
OVERDUE_BY = "overdue by {days}"
OPEN = "Open"
MORE = "and {count} more: `/denials due 1` lists them all"
LAPSED = (
    ":hourglass: Also {count} lapsed, {amount}: more than 30 days past the deadline. "
    "Review them for write-off."
)
LAPSED_TITLE = "{count} past every deadline: review for write-off"
HINT = (
    "Assign each one, or log the appeal, corrected claim or records sent, to stop these reminders."
)
MAX_NAME = 40


@dataclass(frozen=True, slots=True, kw_only=True)
class EscalationRow:
    denial_id: int
    claim_number: str
    payer_name: str
    amount: Decimal
    assignee: str | None
    deadline: date
    days_left: int  # negative when overdue
    kind: DeadlineKind
    item: str = "denial"  # or "request" / "rejection": `denial_id` is then that item's id
    post_id: int | None = None  # its card (a grouped card's denials share one)
    grouped: bool = False  # the card is a grouped card
    link: str | None = None  # the card's permalink


@dataclass(frozen=True, slots=True, kw_only=True)
class _Line:
    """What one line of the DM says: a row, or a grouped card's rows together."""

    row: EscalationRow
    count: int
    amount: Decimal
    owners: str | None  # the one assignee, None for nobody, SEVERAL


def escalation_dm(rows: Sequence[EscalationRow]) -> Message:
    listed = [r for r in rows if not lapsed(r.days_left)]
    gone = [r for r in rows if lapsed(r.days_left)]
    total = money(sum((r.amount for r in listed), Decimal(0)))
    if any(r.item != "denial" for r in listed):
        title = TITLE_MIXED.format(what=_counted(listed), amount=total)
        if total == money(Decimal(0)):  # records requests carry no amount: say none
            title = title.removesuffix(f" ({total})")
    elif listed:
        title = (
            TITLE_ONE.format(amount=total)
            if len(listed) == 1
            else TITLE_MANY.format(count=len(listed), amount=total)
        )
    else:
        title = LAPSED_TITLE.format(count=plural(len(gone), "denial"))
    blocks: list[Block] = [section(f"*{title}*")]
    lines = _lines(listed)
    soon = [line for line in lines if line.row.days_left >= 0]
    late = [line for line in lines if line.row.days_left < 0]
    room = PAGE_ROWS
    for heading, members in ((SOON, soon), (OVERDUE, late)):
        if members and room > 0:
            blocks.append(section(heading.format(count=sum(m.count for m in members))))
            blocks += [line_block(m) for m in members[:room]]
            room -= len(members[:room])
    shown = PAGE_ROWS - room
    if len(lines) > shown:
        blocks.append(_context(MORE.format(count=len(lines) - shown)))
    if gone:
        amount = sum((r.amount for r in gone), Decimal(0))
        blocks.append(_context(LAPSED.format(count=f"{len(gone):,}", amount=money(amount))))
    blocks.append(_context(HINT))
    return to_message(title, blocks)


def _lines(rows: Sequence[EscalationRow]) -> list[_Line]:
    """One line per row, a grouped card's rows as one (at its most urgent), urgent first:
    due today or tomorrow by the fewest days left, overdue by the fewest days over."""
    ordered = sorted(rows, key=lambda r: (*urgency(r.days_left, r.amount), r.denial_id))
    # a grouped card's rows are one line within a section (due soon, or overdue)
    groups: dict[tuple[int, bool], list[EscalationRow]] = {}
    lines: list[_Line | tuple[int, bool]] = []
    for row in ordered:
        if row.grouped and row.post_id is not None and row.item == "denial":
            key = (row.post_id, row.days_left < 0)
            if key not in groups:
                groups[key] = []
                lines.append(key)
            groups[key].append(row)
        else:
            lines.append(_Line(row=row, count=1, amount=row.amount, owners=row.assignee))
    return [line if isinstance(line, _Line) else _group_line(groups[line]) for line in lines]


def _group_line(rows: list[EscalationRow]) -> _Line:
    owners = {r.assignee for r in rows}
    owner = next(iter(owners)) if len(owners) == 1 else SEVERAL
    amount = sum((r.amount for r in rows), Decimal(0))
    return _Line(row=rows[0], count=len(rows), amount=amount, owners=owner)


def line_block(line: _Line) -> Block:
    """A line; its claim links to the card, or an [Open] button shows the card."""
    row = line.row
    claim = clip(row.claim_number, MAX_NAME)
    if line.count > 1:
        claim = GROUP_CLAIMS.format(count=line.count, claim=claim)
    if row.link:
        claim = f"<{escape(row.link)}|{claim}>"
    who = SEVERAL if line.owners == SEVERAL else mention(line.owners)
    text = row_text(row, claim=claim, amount=line.amount, who=who)
    return section(text) if row.link else row_block(row, text)


def row_text(
    row: EscalationRow,
    *,
    claim: str | None = None,
    amount: Decimal | None = None,
    who: str | None = None,
) -> str:
    """`5101Z88003 · Cigna · $180.00 · <@U1> · appeal overdue by 2 days`; `claim`, `amount`
    and `who` (already mrkdwn) say a grouped card's line instead."""
    amount = row.amount if amount is None else amount
    parts = [
        claim or clip(row.claim_number, MAX_NAME),
        clip(row.payer_name, MAX_NAME),
        # a records request may have no amount on file: say none rather than $0.00
        money(amount) if amount or row.item == "denial" else "",
        who or mention(row.assignee),
        f"{ESCALATION_KIND_WORDS[row.kind]} {when(row.days_left)}",
    ]
    return " · ".join(part for part in parts if part)


def row_block(row: EscalationRow, text: str | None = None) -> Block:
    action = {
        "request": ids.OPEN_REQUEST_BUTTON,
        "rejection": ids.OPEN_REJECTION_BUTTON,
    }.get(row.item, ids.OPEN_CARD_BUTTON)
    button = ButtonElement(text=OPEN, action_id=action, value=str(row.denial_id))
    return section(text or row_text(row), accessory=button)


def _context(text: str) -> Block:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def _counted(rows: Sequence[EscalationRow]) -> str:
    """`2 denials, 1 records request and 1 rejected claim`."""
    nouns = (
        ("denial", "denial"),
        ("request", "records request"),
        ("rejection", "rejected claim"),
    )
    parts = [
        plural(count, noun)
        for item, noun in nouns
        if (count := sum(1 for r in rows if r.item == item))
    ]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def when(days_left: int) -> str:
    if days_left < 0:
        return OVERDUE_BY.format(days=plural(-days_left, "day"))
    if days_left == 0:
        return DUE_TODAY
    if days_left == 1:
        return DUE_TOMORROW
    return DUE_IN.format(days=plural(days_left, "day"))
