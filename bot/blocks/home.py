"""The App Home tab: my denials by deadline, the team today, and what each command does."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks.due_list import Row, row_block
from bot.blocks.message import SECTION_TEXT_MAX, header, section
from bot.blocks.text import clip, long_date
from bot.blocks.views import DueRow, HomeView, TeamSummary
from bot.blocks.work_rows import work_row_block

MY_DENIALS = "My denials"
MY_DENIALS_EMPTY = (
    "Nothing open is assigned to you. `/denials due unassigned` shows what needs an owner."
)
MY_DENIALS_MORE = "and {count} more: `/denials due 90 mine` lists them all"
TEAM = "The team today · {date}"
TEAM_NEW = "*New*\n{count}"
TEAM_UNASSIGNED = "*Unassigned*\n{count}"
TEAM_DUE_THIS_WEEK = "*Due this week*\n{count}"
TEAM_OVERDUE = "*Overdue*\n{count}"
TEAM_OVERDUE_ALERT = ":rotating_light: *Overdue*\n{count}"
TEAM_RECORDS = "*Records to send*\n{count}"
TEAM_REJECTED = "*Rejected claims to correct*\n{count}"
HELP = "Commands"
HELP_LINE = "`{usage}`  {description}"

MAX_MY_ROWS = 40
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
    if not view.my_rows and not view.my_work:
        return [section(MY_DENIALS_EMPTY)]
    rows: list[Row] = sorted([*view.my_rows, *view.my_work], key=_deadline)
    blocks = [
        row_block(row) if isinstance(row, DueRow) else work_row_block(row)
        for row in rows[:MAX_MY_ROWS]
    ]
    if len(rows) > MAX_MY_ROWS:
        more = MY_DENIALS_MORE.format(count=len(rows) - MAX_MY_ROWS)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return blocks


def _deadline(row: Row) -> tuple[object, int, int]:
    if isinstance(row, DueRow):
        return (row.deadline, 0, row.denial_id)
    return (row.due, 1, row.item_id)


def _team(team: TeamSummary) -> Block:
    overdue = TEAM_OVERDUE_ALERT if team.overdue else TEAM_OVERDUE
    fields = [
        TEAM_NEW.format(count=team.new),
        TEAM_UNASSIGNED.format(count=team.unassigned),
        TEAM_DUE_THIS_WEEK.format(count=team.due_this_week),
        overdue.format(count=team.overdue),
    ]
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
