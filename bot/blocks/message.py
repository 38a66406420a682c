"""What every message builder returns, and the Block Kit pieces more than one builder uses."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    BlockElement,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)

from bot.blocks.plain_text import notification_text
from bot.blocks.text import truncate
from bot.domain.findings import RootCause

MAX_MESSAGE_BLOCKS = 50  # chat.postMessage / chat.update
MAX_VIEW_BLOCKS = 100  # modals and App Home
HEADER_MAX = 150
SECTION_TEXT_MAX = 3000
ROOT_CAUSE_PLACEHOLDER = "Root cause"


@dataclass(frozen=True, slots=True)
class Message:
    """A message ready for `chat.postMessage(text=m.text, blocks=m.blocks)`.

    `text` is mrkdwn (already escaped): notifications and screen readers show it.
    """

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def digest(self) -> str:
        """A short fingerprint of what the message shows: two renders that read the same have
        the same digest (the daily refresh edits a card only when it changes)."""
        shown = json.dumps([self.text, self.blocks], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(shown.encode()).hexdigest()[:32]


def to_message(text: str, blocks: Sequence[Block]) -> Message:
    """Validate the blocks against Slack's limits (`to_dict` does) and freeze them as dicts.

    `text` is what notifications show: its mrkdwn marks and emoji codes are taken out here,
    once for every message, since a phone shows them raw."""
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        raise ValueError(f"{len(blocks)} blocks; a message holds {MAX_MESSAGE_BLOCKS}")
    return Message(text=notification_text(text), blocks=[block.to_dict() for block in blocks])


def header(text: str) -> HeaderBlock:
    """A header block; plain text, so nothing to escape, but cut to Slack's 150 characters."""
    return HeaderBlock(text=PlainTextObject(text=truncate(text, HEADER_MAX), emoji=True))


def section(
    text: str, *, block_id: str | None = None, accessory: BlockElement | None = None
) -> SectionBlock:
    """A mrkdwn section; callers escape what others wrote, this only enforces the length."""
    return SectionBlock(
        block_id=block_id,
        text=MarkdownTextObject(text=truncate(text, SECTION_TEXT_MAX)),
        accessory=accessory,
    )


def options(choices: Iterable[tuple[str, str]]) -> list[Option]:
    """`[(label, value), ...]` as plain-text options (labels are cut to Slack's 75)."""
    return [Option(text=truncate(label, 75), value=value) for label, value in choices]


def root_cause_options() -> list[Option]:
    """All root causes, in the order of DESIGN.md section 3; values are the slugs."""
    return options((cause.label, cause.value) for cause in RootCause)


def root_cause_select(
    action_id: str, current: RootCause | None, *, placeholder: str = ROOT_CAUSE_PLACEHOLDER
) -> StaticSelectElement:
    """The root-cause menu with the current cause preselected."""
    choices = root_cause_options()
    initial = next((o for o in choices if current is not None and o.value == current.value), None)
    return StaticSelectElement(
        action_id=action_id,
        placeholder=placeholder,
        options=choices,
        initial_option=initial,
    )
