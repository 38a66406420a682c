"""What answering a subcommand needs and what it gives back, with no Slack in sight.

The Slack listener and the CLI both answer through the table; the listener then does the Slack
part of a `Reply` (respond, open the form, refresh the card, upload the chart) and the CLI
prints the message as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bot.blocks.message import Message
from bot.blocks.trend_chart import ChartFile
from bot.clock import Clock
from bot.config import PhiMode
from bot.domain.actor import Actor
from bot.domain.rulebook import Rulebook
from bot.services.appeal_letters import AppealLetters, SlackDraft
from bot.services.appeals import Appeals
from bot.services.audited import TriageResult
from bot.services.sessions import Sessions
from bot.services.work_items import WorkItems


class People(Protocol):
    """Who is who in the workspace (users.info / conversations.members behind it in Slack)."""

    def is_person(self, user_id: str) -> bool:
        """A real, active person of this workspace (not a bot, not deactivated)."""
        ...

    def may_triage(self, user_id: str) -> bool:
        """A member of the denials channel (everyone, when no channel is configured)."""
        ...


class Everyone:
    """The terminal: whoever can read the database may see everything."""

    def is_person(self, user_id: str) -> bool:
        return True

    def may_triage(self, user_id: str) -> bool:
        return True


@dataclass(frozen=True)
class CommandContext:
    sessions: Sessions
    rulebook: Rulebook
    clock: Clock
    appeals: Appeals  # Triage's use cases plus the appeal outcome
    actor: Actor
    people: People
    phi: PhiMode = PhiMode.MINIMAL
    letters: AppealLetters | None = None  # drafts appeal letters (Slack only)
    letters_dir: Path | None = None  # where complete letters are kept (DENIALS_LETTERS_DIR)
    share: bool = False  # the person added `share`: the answer goes to the channel
    charts: bool = True  # draw chart images (Slack); the terminal prints text only
    work: WorkItems | None = None  # documentation requests and rejections


@dataclass(frozen=True)
class Reply:
    """One answer. `message` goes back to the person (in the channel when `share`), `modal`
    is opened with the command's trigger, `change` refreshes a card and notes it in its thread,
    `chart` is uploaded (to the channel when shared, else to the person's DM), `letter` is
    posted in its card's thread (else the person's DM), `new_card` is posted."""

    message: Message | None = None
    share: bool = False
    modal: dict[str, Any] | None = None
    change: TriageResult | None = None
    chart: ChartFile | None = None
    letter: SlackDraft | None = None
    new_card: int | None = None  # a post the answer queued: posted to the channel right away
    ok: bool = True  # False for bad input, refusals and lookups that found no single denial
