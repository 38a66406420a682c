"""Asking once in Slack which column holds what, for a shared report the importer did not
fully understand: the thread reply with "Map the columns", the form, and the reply after.

The button and the form carry a `FileRef` (the Slack file, its channel and thread) as JSON,
so the submission can fetch the file again and answer in the same thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks import ids
from bot.blocks.message import Message, options, section, to_message
from bot.blocks.text import clip, mention, truncate
from bot.importers.csv_columns import Field
from bot.importers.csv_question import Ask, ColumnQuestion

TITLE = "Map the columns"
SUBMIT = "Import"
CANCEL = "Cancel"
BUTTON = "Map the columns"
NEEDS_TEXT = (
    ":jigsaw: *{file}* was not imported: I couldn't tell which column holds {missing}. "
    "Map the columns once and I'll remember them for every file laid out like this one. "
    "Nothing from this file was stored yet."
)
UNDERSTOOD = "Understood so far: {pairs}"
MAPPED_TEXT = (
    ":white_check_mark: {user} mapped the columns of *{file}*; files with the same headers "
    "will import without asking."
)
FORM_INTRO = (
    "*{file}*: pick the column that holds each of these. Each choice shows the column's first "
    "value. I'll remember the answer for files with the same headers."
)
FORM_FOUND = "Already found: {pairs}"
LOADING = "Reading the columns of the file…"
OPTIONAL_HINT = "Pick one if the file has it."
GUESS_HINT = "A guess from the column's values: change it if it's wrong."
GROUP_HINTS = {
    "amount": "At least one amount: billed, paid or adjustment.",
    "outcome": "The reason-code column, or the claim-status column if there are no codes.",
}
MAX_PAIRS_SHOWN = 8


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file shared in a channel: where it is and where its thread is."""

    file_id: str
    channel: str
    thread_ts: str | None
    message_ts: str | None = None  # the reply holding the button, updated once mapped
    asks: tuple[tuple[str, str], ...] = ()  # the form's (field, need) pairs, for checking

    def encode(self) -> str:
        data = {"f": self.file_id, "c": self.channel, "t": self.thread_ts, "m": self.message_ts}
        if self.asks:
            data["a"] = ",".join(f"{name}:{need}" for name, need in self.asks)
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> FileRef:
        """Raises ValueError for anything that is not a reference this module wrote."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            raise ValueError("not a file reference") from None
        if not isinstance(data, dict) or not isinstance(data.get("f"), str) or not data["f"]:
            raise ValueError("not a file reference")
        if not isinstance(data.get("c"), str) or not data["c"]:
            raise ValueError("not a file reference")
        thread, message, asks = data.get("t"), data.get("m"), data.get("a")
        pairs = tuple(
            (name, need)
            for name, _, need in (item.partition(":") for item in str(asks or "").split(","))
            if name
        )
        return cls(
            data["f"],
            data["c"],
            thread if isinstance(thread, str) else None,
            message if isinstance(message, str) else None,
            pairs,
        )


def columns_needed_message(
    file_name: str, missing: list[str], question: ColumnQuestion, ref: FileRef
) -> Message:
    """The thread reply to a file that lacks a column every import needs."""
    text = NEEDS_TEXT.format(file=clip(file_name, 200), missing=clip(" and ".join(missing), 500))
    blocks: list[Block] = [section(text)]
    if question.understood:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_pairs_text(question))]))
    blocks.append(
        ActionsBlock(
            elements=[
                ButtonElement(
                    text=BUTTON,
                    action_id=ids.MAP_COLUMNS_BUTTON,
                    value=ref.encode(),
                    style="primary",
                )
            ]
        )
    )
    return to_message(text, blocks)


def columns_mapped_message(file_name: str, user: str) -> Message:
    """What the reply says once the columns are mapped (its button gone)."""
    text = MAPPED_TEXT.format(user=mention(user), file=clip(file_name, 200))
    return to_message(text, [section(text)])


def loading_modal() -> dict[str, Any]:
    """Opened at once on the click (a trigger lives 3 s); replaced when the file is read."""
    view = View(type="modal", title=TITLE, close=CANCEL, blocks=[section(LOADING)])
    return view.to_dict()


def notice_modal(text: str) -> dict[str, Any]:
    """The form replaced by a message (the file is gone, or needs nothing any more)."""
    view = View(type="modal", title=TITLE, close="Close", blocks=[section(clip(text, 2900))])
    return view.to_dict()


def column_mapping_modal(file_name: str, question: ColumnQuestion, ref: FileRef) -> dict[str, Any]:
    """One select per field to map; the options are the file's headers with a sample."""
    choices = options((_choice_label(c.header, c.sample), c.header) for c in question.choices)
    blocks: list[Block] = [section(FORM_INTRO.format(file=clip(file_name, 200)))]
    for ask in question.asks:
        blocks.append(_ask_block(ask, choices))
    if question.understood:
        blocks.append(
            ContextBlock(
                elements=[MarkdownTextObject(text=FORM_FOUND.format(pairs=_pairs(question)))]
            )
        )
    view = View(
        type="modal",
        callback_id=ids.MAP_COLUMNS_MODAL,
        title=TITLE,
        submit=SUBMIT,
        close=CANCEL,
        private_metadata=replace(
            ref, asks=tuple((ask.field.value, ask.need) for ask in question.asks)
        ).encode(),
        blocks=blocks,
    )
    return view.to_dict()


def block_id(name: Field) -> str:
    return f"{ids.MAP_COLUMNS_BLOCK}.{name.value}"


def field_of_block(block: str) -> Field | None:
    prefix = f"{ids.MAP_COLUMNS_BLOCK}."
    if not block.startswith(prefix):
        return None
    try:
        return Field(block.removeprefix(prefix))
    except ValueError:
        return None


def _ask_block(ask: Ask, choices: list[Option]) -> InputBlock:
    initial = next((o for o in choices if ask.current and o.value == ask.current), None)
    required = ask.need in ("claim", "payer")
    hint = GROUP_HINTS.get(ask.need) or (
        None if required else GUESS_HINT if ask.current else OPTIONAL_HINT
    )
    return InputBlock(
        block_id=block_id(ask.field),
        label=ask.label,
        element=StaticSelectElement(
            action_id=ids.MAP_COLUMNS_INPUT,
            placeholder="Pick a column",
            options=choices,
            initial_option=initial,
        ),
        optional=not required,
        hint=hint,
    )


def _choice_label(header: str, sample: str) -> str:
    label = f"{header} — {sample}" if sample else header
    return truncate(label, 75)


def _pairs(question: ColumnQuestion) -> str:
    shown = [f"{name.value} = {clip(header, 60)}" for name, header in question.understood]
    more = len(shown) - MAX_PAIRS_SHOWN
    return " · ".join(shown[:MAX_PAIRS_SHOWN]) + (f" · and {more} more" if more > 0 else "")


def _pairs_text(question: ColumnQuestion) -> str:
    return UNDERSTOOD.format(pairs=_pairs(question))
