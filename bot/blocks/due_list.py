"""The `/denials due` answer (UX.md "Lists: urgent first, one screen"): a totals line, then the
bands of `bot.domain.urgency` (overdue and still appealable, due in 3 days or less, later this
week, later), each urgent first, one page of rows; denials past every window in one line; a
"Show more" button that pages on instead of cutting the list off.

A row names its claim as a link to the card when the card has a permalink, else it keeps an
[Open] button (which shows the card privately). A grouped card's denials are one row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
)

from bot.blocks import ids
from bot.blocks.message import MAX_MESSAGE_BLOCKS, Message, section, to_message
from bot.blocks.text import clip, days_short, escape, mention, money, plural
from bot.blocks.views import BandTotal, DueRow, DueView
from bot.blocks.work_rows import work_count_words, work_row_block
from bot.blocks.work_views import WorkRow
from bot.domain.urgency import LAPSED_AFTER_DAYS, LISTED, PAGE_ROWS, Band, band_of, urgency

Row = DueRow | WorkRow

TOTALS = "Due in the next {days}{filter}: {count} · {amount}{overdue}"
TOTALS_ALL = "Open with a deadline{filter}: {count} · {amount}{overdue}"
OVERDUE_SUFFIX = " ({count} overdue)"
NOTHING_DUE = "Nothing{whose} is due in the next {days}."
WHOSE = {"mine": " assigned to you", "unassigned": " unassigned"}
WHOSE_PERSON = " assigned to {who}"
TITLED = "{title}: {count} · {amount}{overdue}"
NOTHING_TITLED = "{title}: nothing open with a deadline."
ROW = "{claim} · {payer} · {amount} · {cause} · {assignee} · {days}"
GROUP_ROW = ":repeat: {claim} · {payer} · {amount} · {cause} · {assignee} · earliest {days}"
GROUP_CLAIMS = "{count} denials like {claim}"
SEVERAL_OWNERS = "several owners"
OPEN = "Open"
HEADINGS = {
    Band.OVERDUE: ":rotating_light: *Overdue, still appealable*",
    Band.SOON: ":warning: *Due in 3 days or less*",
    Band.WEEK: "*Later this week*",
    Band.LATER: "*Later*",
}
HEADING_COUNT = "{heading} ({count})"
LAPSED = (
    ":hourglass: Also {count} lapsed, {amount}: more than {days} days past the deadline. "
    "Review them for write-off."
)
SHOWING = "Showing {first}–{last} of {total}"
MORE_BUTTON = "Show more"
NARROW = "Narrow it: {hints}"
NARROW_UNASSIGNED = "`/denials due {days} unassigned` ({count} without an owner)"
NARROW_SOON = "`/denials due 3{filter}` ({count} due in 3 days or less)"
CUT = "and {count} more"
MAX_NAME = 40


def due_list(view: DueView) -> Message:
    """The ephemeral reply to `/denials due` (and a page of it after "Show more");
    `filter_description` is bot-written mrkdwn ("unassigned", "mine", "<@U123>")."""
    days = plural(view.window_days, "day")
    filt = f" · {view.filter_description}" if view.filter_description else ""
    every: list[Row] = [*view.rows, *view.work]
    listed = [row for row in sorted(every, key=row_urgency) if is_listed(row)]
    # a list that cannot page (a grouped card's claims) shows what fits in one message
    size = PAGE_ROWS if view.pager is not None else len(listed)
    rows = listed[view.page * size : (view.page + 1) * size]
    more = more_value(view, len(listed))
    if not listed and not view.lapsed:
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
    elif not view.window_days:
        totals = TOTALS_ALL.format(filter=filt, **words)
    else:
        totals = TOTALS.format(days=days, filter=filt, **words)
    if view.work:
        totals += " · " + work_count_words([w for w in view.work if is_listed(w)])
    blocks: list[Block] = [section(f"*{totals}*")]
    blocks += list_blocks(view, rows)
    if view.page == 0 and view.lapsed is not None:
        blocks.append(_context(lapsed_line(view.lapsed)))
    blocks += _footer(view, rows, len(listed), more)
    return to_message(totals, blocks[:MAX_MESSAGE_BLOCKS])


def more_value(view: DueView, listed: int) -> str | None:
    """The "Show more" button's value (`14|unassigned|2`), when another page follows."""
    if view.pager is None or listed <= (view.page + 1) * PAGE_ROWS:
        return None
    return f"{view.pager or ''}|{view.page + 1}"


def is_listed(row: Row) -> bool:
    return band_of(row.days_left) is not Band.LAPSED


def list_blocks(view: DueView, rows: Sequence[Row], *, room: int = 40) -> list[Block]:
    """The bands of one page: a heading with the band's whole count, then its rows."""
    totals = {band.band: band for band in view.bands}
    blocks: list[Block] = []
    shown = 0
    for band, members in bucketed(rows):
        if len(blocks) + 2 > room:
            break
        count = totals[band].count if band in totals else len(members)
        blocks.append(section(HEADING_COUNT.format(heading=HEADINGS[band], count=count)))
        for row in members[: room - len(blocks)]:
            blocks.append(row_block(row) if isinstance(row, DueRow) else work_row_block(row))
            shown += 1
    if shown < len(rows):
        blocks.append(_context(CUT.format(count=len(rows) - shown)))
    return blocks


def lapsed_line(lapsed: BandTotal) -> str:
    """`Also 212 lapsed, $48,120.00: more than 30 days past the deadline. Review …`."""
    return LAPSED.format(
        count=f"{lapsed.count:,}", amount=money(lapsed.amount), days=LAPSED_AFTER_DAYS
    )


def _footer(view: DueView, rows: Sequence[Row], listed: int, more: str | None) -> list[Block]:
    """Where this page is in the list, the commands that narrow it, and "Show more"."""
    blocks: list[Block] = []
    if more is not None or view.page:
        first = view.page * PAGE_ROWS + 1
        last = first + len(rows) - 1
        blocks.append(_context(SHOWING.format(first=first, last=last, total=f"{listed:,}")))
    hints = narrowing_hints(view) if more is not None else []
    if hints and view.page == 0:
        blocks.append(_context(NARROW.format(hints=" · ".join(hints))))
    if more is not None:
        button = ButtonElement(text=MORE_BUTTON, action_id=ids.DUE_MORE_BUTTON, value=more)
        blocks.append(ActionsBlock(elements=[button]))
    return blocks


def narrowing_hints(view: DueView) -> list[str]:
    """Commands that show fewer rows than this list, each with how many: only those that
    would narrow it (issue 14: "narrow it with unassigned" narrowed nothing)."""
    if view.title or not view.window_days:
        return []
    hints = []
    total = view.count
    if view.unassigned is not None and 0 < view.unassigned < total:
        hints.append(NARROW_UNASSIGNED.format(days=view.window_days, count=view.unassigned))
    urgent = (Band.OVERDUE, Band.SOON)
    if view.bands:
        soon = sum(b.count for b in view.bands if b.band in urgent)
    else:
        soon = sum(1 for row in view.rows if band_of(row.days_left) in urgent)
    if view.window_days > 3 and 0 < soon < total and view.filter_description in (None, "mine"):
        filt = " mine" if view.filter_description == "mine" else ""
        hints.append(NARROW_SOON.format(filter=filt, count=soon))
    return hints


def whose(description: str | None) -> str:
    """` assigned to you`, ` unassigned`, ` assigned to <@U1>`, or nothing."""
    if not description:
        return ""
    return WHOSE.get(description) or WHOSE_PERSON.format(who=description)


def bucketed(rows: Iterable[Row]) -> list[tuple[Band, list[Row]]]:
    """Rows in the listed bands, most urgent band first and urgent first inside each;
    denials, records requests and rejections by the same rules. Lapsed rows are not listed."""
    groups: dict[Band, list[Row]] = {band: [] for band in LISTED}
    for row in sorted(rows, key=row_urgency):
        band = band_of(row.days_left)
        if band in groups:
            groups[band].append(row)
    return [(band, members) for band, members in groups.items() if members]


def row_urgency(row: Row) -> tuple[int, int, Decimal, int, int]:
    kind = 0 if isinstance(row, DueRow) else 1 if row.kind.value == "request" else 2
    item = row.denial_id if isinstance(row, DueRow) else row.item_id
    return (*urgency(row.days_left, row.amount), kind, item)


def claim_link(claim: str, link: str | None) -> str:
    """The claim number as a link to its card when there is one (escaped either way)."""
    text = clip(claim, MAX_NAME)
    return f"<{escape(link)}|{text}>" if link else text


def row_text(row: DueRow) -> str:
    """`5101Z88003 · Cigna · $180.00 · Eligibility · @james · 2 days over`; a grouped card's
    denials: `🔁 24 denials like 5101Z88001 · Aetna · $5,110.00 · … · earliest 1 day left`."""
    claim = clip(row.claim_number, MAX_NAME)
    if row.group_count > 1:
        claim = GROUP_CLAIMS.format(count=f"{row.group_count:,}", claim=claim)
    if row.link:
        claim = f"<{escape(row.link)}|{claim}>"
    words = {
        "claim": claim,
        "payer": clip(row.payer_name, MAX_NAME),
        "amount": money(row.amount),
        "cause": row.category.label,
        "assignee": SEVERAL_OWNERS if row.mixed_owners else mention(row.assignee),
        "days": days_short(row.days_left),
    }
    return (GROUP_ROW if row.group_count > 1 else ROW).format(**words)


def row_block(row: DueRow) -> Block:
    """One row: the claim links to its card; without a permalink, an Open button (value: the
    bare denial id) shows the card privately."""
    if row.link:
        return section(row_text(row))
    button = ButtonElement(text=OPEN, action_id=ids.OPEN_CARD_BUTTON, value=str(row.denial_id))
    return section(row_text(row), accessory=button)


def _context(text: str) -> Block:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])
