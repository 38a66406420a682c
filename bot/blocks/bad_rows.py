"""A shared report refused for rows that cannot be read: the thread reply that says which, with
"Import the other N rows", and what it says once someone did (its button gone).

A report is imported whole or not at all; the button imports the rest on purpose, leaving out
every row of a claim that has a bad one, and the summary in the thread lists what was left out.
"""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot.blocks import ids
from bot.blocks.column_mapping import FileRef
from bot.blocks.message import Message, section, to_message
from bot.blocks.text import clip, mention, plural

REFUSED_TEXT = (
    ":no_entry: *{file}* was not imported: {reason}. Fix {those} in the export and share it "
    "again, or import the other {others} without {them}."
)
# Every row has a value that cannot be read (decimal commas, a shifted column): nothing to offer.
ALL_REFUSED_TEXT = (
    ":no_entry: *{file}* was not imported: {reason}. Fix the export and share it again."
)
BUTTON = "Import the other {others}"
DONE_TEXT = (
    ":white_check_mark: {user} imported the other {others} of *{file}*; the summary below "
    "lists what was left out."
)
MAX_REASON = 600


def bad_rows_message(file_name: str, reason: str, bad: int, others: int, ref: FileRef) -> Message:
    """The thread reply to a report with `bad` rows that cannot be read, `others` that can."""
    rows = plural(others, "row")
    if not others:
        text = ALL_REFUSED_TEXT.format(file=clip(file_name, 200), reason=clip(reason, MAX_REASON))
        return to_message(text, [section(text)])
    text = REFUSED_TEXT.format(
        file=clip(file_name, 200),
        reason=clip(reason, MAX_REASON),
        those="that row" if bad == 1 else "those rows",
        them="it" if bad == 1 else "them",
        others=rows,
    )
    button = ButtonElement(
        text=BUTTON.format(others=rows),
        action_id=ids.IMPORT_OTHER_ROWS_BUTTON,
        value=ref.encode(),
    )
    blocks: list[Block] = [section(text), ActionsBlock(elements=[button])]
    return to_message(text, blocks)


def other_rows_imported_message(file_name: str, others: int, user: str) -> Message:
    """What the reply says once the other rows were imported."""
    text = DONE_TEXT.format(
        user=mention(user), others=plural(others, "row"), file=clip(file_name, 200)
    )
    return to_message(text, [section(text)])
