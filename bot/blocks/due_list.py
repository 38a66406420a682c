"""The `/denials due` answer (UX.md): totals, then Overdue / Within 3 days / Within 7 days /
Later, one line per denial with an Open button; capped to fit one message."""

from __future__ import annotations

from collections.abc import Iterable

from slack_sdk.models.blocks import Block, ButtonElement, ContextBlock, MarkdownTextObject

from bot.blocks import ids
from bot.blocks.message import MAX_MESSAGE_BLOCKS, Message, section, to_message
from bot.blocks.text import clip, days_short, mention, money, plural
from bot.blocks.views import DueRow, DueView
from bot.blocks.work_rows import work_count_words, work_row_block
from bot.blocks.work_views import WorkRow

Row = DueRow | WorkRow

TOTALS = "Due in the next {days}{filter}: {count} · {amount}{overdue}"
OVERDUE_SUFFIX = " ({count} overdue)"
NOTHING_DUE = "Nothing{whose} is due in the next {days}."
WHOSE = {"mine": " assigned to you", "unassigned": " unassigned"}
WHOSE_PERSON = " assigned to {who}"
TITLED = "{title}: {count} · {amount}{overdue}"
NOTHING_TITLED = "{title}: nothing open with a deadline."
ROW = "{claim} · {payer} · {amount} · {cause} · {assignee} · {days}"
OPEN = "Open"
MORE = "and {count} more: {hint} narrows it down"
MORE_HINT_UNFILTERED = "`/denials due {days} unassigned`"
MORE_HINT_FILTERED = "`/denials due 3{filter}`"
BUCKETS: tuple[tuple[str, int | None], ...] = (
    # (heading, last days_left in the bucket); rows go to the first bucket that holds them
    (":rotating_light: *Overdue*", -1),
    (":warning: *Within 3 days*", 3),
    ("*Within 7 days*", 7),
    ("*Later*", None),
)
MAX_NAME = 40


def due_list(view: DueView) -> Message:
    """The ephemeral reply to `/denials due`; `filter_description` is bot-written mrkdwn
    ("unassigned", "mine", "<@U123>") and is not escaped."""
    days = plural(view.window_days, "day")
    filt = f" · {view.filter_description}" if view.filter_description else ""
    if not view.rows and not view.work:
        if view.title:
            empty = NOTHING_TITLED.format(title=view.title)
        else:
            empty = NOTHING_DUE.format(whose=whose(view.filter_description), days=days)
        return to_message(empty, [section(empty)])
    overdue = OVERDUE_SUFFIX.format(count=view.overdue_count) if view.overdue_count else ""
    words = {
        "count": plural(view.count, "denial"),
        "amount": money(view.total_amount),
        "overdue": overdue,
    }
    if view.title:  # a list that is not a window of days (a grouped card's claims)
        totals = TITLED.format(title=view.title, **words)
    else:
        totals = TOTALS.format(days=days, filter=filt, **words)
    if view.work:
        totals += " · " + work_count_words(list(view.work))
    blocks: list[Block] = [section(f"*{totals}*")]
    room = MAX_MESSAGE_BLOCKS - len(blocks) - 1  # one block kept for "and N more"
    shown = 0
    for heading, rows in bucketed([*view.rows, *view.work]):
        if room < 2:
            break
        blocks.append(section(heading))
        room -= 1
        for row in rows[:room]:
            blocks.append(row_block(row) if isinstance(row, DueRow) else work_row_block(row))
            shown += 1
        room -= min(len(rows), room)
    hidden = view.count + len(view.work) - shown
    if hidden:
        hint = (
            MORE_HINT_FILTERED.format(filter=filt.replace(" · ", " "))
            if view.filter_description
            else MORE_HINT_UNFILTERED.format(days=view.window_days)
        )
        more = MORE.format(count=hidden, hint=hint)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return to_message(totals, blocks)


def whose(description: str | None) -> str:
    """` assigned to you`, ` unassigned`, ` assigned to <@U1>`, or nothing."""
    if not description:
        return ""
    return WHOSE.get(description) or WHOSE_PERSON.format(who=description)


def bucketed(rows: Iterable[Row]) -> list[tuple[str, list[Row]]]:
    """Rows sorted by deadline and split into the non-empty buckets, most urgent first;
    denials, records requests and rejections by the same urgency rules."""
    groups: dict[str, list[Row]] = {heading: [] for heading, _ in BUCKETS}
    for row in sorted(rows, key=_urgency):
        heading = next(h for h, last in BUCKETS if last is None or row.days_left <= last)
        groups[heading].append(row)
    return [(heading, rows) for heading, rows in groups.items() if rows]


def _urgency(row: Row) -> tuple[int, int, int]:
    if isinstance(row, DueRow):
        return (row.days_left, 0, row.denial_id)
    return (row.days_left, 1 if row.kind.value == "request" else 2, row.item_id)


def row_text(row: DueRow) -> str:
    """`5101Z88003 · Cigna · $180.00 · Eligibility · @james · 2 days over`."""
    return ROW.format(
        claim=clip(row.claim_number, MAX_NAME),
        payer=clip(row.payer_name, MAX_NAME),
        amount=money(row.amount),
        cause=row.category.label,
        assignee=mention(row.assignee),
        days=days_short(row.days_left),
    )


def row_block(row: DueRow) -> Block:
    """One row with its Open button (value: the bare denial id)."""
    button = ButtonElement(text=OPEN, action_id=ids.OPEN_CARD_BUTTON, value=str(row.denial_id))
    return section(row_text(row), accessory=button)
