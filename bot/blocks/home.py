"""The App Home tab: my denials by deadline, the team today, and what each command does."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks import ids
from bot.blocks.due_list import (
    MORE_BUTTON,
    OVERDUE_SUFFIX,
    SHOWING,
    Row,
    is_listed,
    lapsed_line,
    list_blocks,
    row_urgency,
)
from bot.blocks.message import SECTION_TEXT_MAX, header, section
from bot.blocks.text import clip, long_date, money, plural
from bot.blocks.views import HomeView, TeamSummary
from bot.blocks.work_rows import work_count_words
from bot.domain.urgency import PAGE_ROWS

MY_DENIALS = "My denials"
MY_DENIALS_EMPTY = (
    "Nothing open is assigned to you. `/denials due unassigned` shows what needs an owner."
)
MY_TOTALS = "{count} to act on · {amount}{overdue}"
FIRST_PAGE = "Back to the top"
TEAM = "The team today · {date}"
TEAM_NOT_STARTED = "*Not started*\n{count}"
TEAM_NEEDS_OWNER = "*Needs an owner*\n{count}"
TEAM_TO_CONFIRM = "*Root cause to confirm*\n{count}"
TEAM_DUE_THIS_WEEK = "*Due this week*\n{count} · {amount}"
TEAM_OVERDUE = "*Overdue*\n{count} · {amount}"
TEAM_OVERDUE_ALERT = ":rotating_light: *Overdue*\n{count} · {amount}"
TEAM_OPEN = "*Open*\n{count} · {amount}"
TEAM_LAPSED = "*Lapsed*\n{count} · {amount}: review for write-off"
TEAM_RECORDS = "*Records to send*\n{count}"
TEAM_REJECTED = "*Rejected claims to correct*\n{count}"
HELP = "Commands"
HELP_LINE = "`{usage}`  {description}"

MAX_HELP_BLOCKS = 10


def home_view(view: HomeView) -> dict[str, Any]:
    """The `views.publish` payload (`type: home`) for `view.user_id`."""
    blocks: list[Block] = [header(MY_DENIALS), *_my_rows(view)]
    blocks += [DividerBlock(), header(TEAM.format(date=long_date(view.today))), _team(view.team)]
    if view.help_lines:
        blocks += [DividerBlock(), header(HELP), *_help(view.help_lines)]
    result: dict[str, Any] = View(type="home", blocks=blocks).to_dict()
    return result


def _my_rows(view: HomeView) -> list[Block]:
    """My list, as `/denials due` draws it (bands, urgent first, a page at a time), with its
    own "Show more" (the Home is republished with the next page)."""
    mine = view.mine
    every: list[Row] = [*mine.rows, *mine.work]
    listed = [row for row in sorted(every, key=row_urgency) if is_listed(row)]
    if not listed and mine.lapsed is None:
        return [section(MY_DENIALS_EMPTY)]
    overdue = OVERDUE_SUFFIX.format(count=mine.overdue_count) if mine.overdue_count else ""
    totals = MY_TOTALS.format(
        count=plural(mine.count, "denial"), amount=money(mine.total_amount), overdue=overdue
    )
    if mine.work:
        totals += " · " + work_count_words([w for w in mine.work if is_listed(w)])
    rows = listed[mine.page * PAGE_ROWS : (mine.page + 1) * PAGE_ROWS]
    blocks: list[Block] = [section(f"*{totals}*"), *list_blocks(mine, rows)]
    if mine.page == 0 and mine.lapsed is not None:
        blocks.append(_context(lapsed_line(mine.lapsed)))
    buttons = []
    if len(listed) > (mine.page + 1) * PAGE_ROWS:
        first = mine.page * PAGE_ROWS + 1
        showing = SHOWING.format(first=first, last=first + len(rows) - 1, total=len(listed))
        blocks.append(_context(showing))
        buttons.append(
            ButtonElement(
                text=MORE_BUTTON, action_id=ids.HOME_MORE_BUTTON, value=str(mine.page + 1)
            )
        )
    if mine.page:
        buttons.append(ButtonElement(text=FIRST_PAGE, action_id=ids.HOME_MORE_BUTTON, value="0"))
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    return blocks


def _context(text: str) -> Block:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def _team(team: TeamSummary) -> Block:
    """The numbers of `bot.domain.measures`, as the digest says them."""
    now = team.now
    overdue = TEAM_OVERDUE_ALERT if now.overdue.count else TEAM_OVERDUE
    fields = [
        TEAM_NOT_STARTED.format(count=now.not_started),
        TEAM_NEEDS_OWNER.format(count=now.needs_owner),
        TEAM_TO_CONFIRM.format(count=now.to_confirm),
        TEAM_DUE_THIS_WEEK.format(
            count=now.due_this_week.count, amount=money(now.due_this_week.amount)
        ),
        overdue.format(count=now.overdue.count, amount=money(now.overdue.amount)),
        TEAM_OPEN.format(count=now.open.count, amount=money(now.open.amount)),
    ]
    if now.lapsed.count:
        fields.append(TEAM_LAPSED.format(count=now.lapsed.count, amount=money(now.lapsed.amount)))
    if team.records_to_send or team.claims_to_correct:
        fields += [
            TEAM_RECORDS.format(count=team.records_to_send),
            TEAM_REJECTED.format(count=team.claims_to_correct),
        ]
    return SectionBlock(fields=[MarkdownTextObject(text=field) for field in fields])


def _help(lines: tuple[tuple[str, str], ...]) -> list[Block]:
    """One line per command, packed into as few sections as the 3,000-character limit allows."""
    chunks: list[str] = []
    for usage, description in lines:
        line = HELP_LINE.format(usage=clip(usage, 200), description=clip(description, 300))
        if chunks and len(chunks[-1]) + 1 + len(line) <= SECTION_TEXT_MAX:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line)
    return [section(chunk) for chunk in chunks[:MAX_HELP_BLOCKS]]
