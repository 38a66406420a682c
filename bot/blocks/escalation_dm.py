"""The daily direct message to each manager: denials due tomorrow (or today) and overdue.

UX.md "Escalations": `3 denials are due tomorrow or overdue ($1,020.00)`, then one line each
with the assignee and an [Open] button that shows the denial's card. Capped to one message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from slack_sdk.models.blocks import Block, ButtonElement, ContextBlock, MarkdownTextObject

from bot.blocks import ids
from bot.blocks.message import MAX_MESSAGE_BLOCKS, Message, section, to_message
from bot.blocks.text import clip, mention, money, plural
from bot.blocks.thread_notes import ESCALATION_KIND_WORDS
from bot.domain.findings import DeadlineKind

TITLE_ONE = "1 denial is due tomorrow or overdue ({amount})"
TITLE_MANY = "{count} denials are due tomorrow or overdue ({amount})"
TITLE_MIXED = "Due tomorrow or overdue: {what} ({amount})"
ROW = "{claim} · {payer} · {amount} · {assignee} · {kind} {when}"
DUE_TOMORROW = "due tomorrow"
DUE_TODAY = "due today"
DUE_IN = "due in {days}"
OVERDUE_BY = "overdue by {days}"
OPEN = "Open"
MORE = "and {count} more: `/denials due 1` lists them all"
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


def escalation_dm(rows: Sequence[EscalationRow]) -> Message:
    ordered = sorted(rows, key=lambda r: (r.days_left, r.deadline, r.denial_id))
    total = money(sum((r.amount for r in ordered), Decimal(0)))
    if any(r.item != "denial" for r in ordered):
        title = TITLE_MIXED.format(what=_counted(ordered), amount=total)
        if total == money(Decimal(0)):  # records requests carry no amount: say none
            title = title.removesuffix(f" ({total})")
    else:
        title = (
            TITLE_ONE.format(amount=total)
            if len(ordered) == 1
            else TITLE_MANY.format(count=len(ordered), amount=total)
        )
    blocks: list[Block] = [section(f"*{title}*")]
    room = MAX_MESSAGE_BLOCKS - 3  # the title, "and N more" and the hint
    blocks += [row_block(row) for row in ordered[:room]]
    if len(ordered) > room:
        more = MORE.format(count=len(ordered) - room)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=HINT)]))
    return to_message(title, blocks)


def row_text(row: EscalationRow) -> str:
    """`5101Z88003 · Cigna · $180.00 · <@U1> · appeal overdue by 2 days`."""
    text = ROW.format(
        claim=clip(row.claim_number, MAX_NAME),
        payer=clip(row.payer_name, MAX_NAME),
        amount=money(row.amount),
        assignee=mention(row.assignee),
        kind=ESCALATION_KIND_WORDS[row.kind],
        when=when(row.days_left),
    )
    if row.item != "denial" and not row.amount:  # no amount on file for this request
        text = text.replace(f" · {money(row.amount)} · ", " · ", 1)
    return text


def row_block(row: EscalationRow) -> Block:
    action = {
        "request": ids.OPEN_REQUEST_BUTTON,
        "rejection": ids.OPEN_REJECTION_BUTTON,
    }.get(row.item, ids.OPEN_CARD_BUTTON)
    button = ButtonElement(text=OPEN, action_id=action, value=str(row.denial_id))
    return section(row_text(row), accessory=button)


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
