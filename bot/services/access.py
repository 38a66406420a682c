"""Who may do what: one rule for every click, form and command.

Working denials (a root cause, an owner, an appeal, an outcome, a form) is for the members of
the denials channel; some things are for managers (DENIALS_MANAGERS) only; help is for anyone.
`bot.handlers.access` asks `Access.refusal` for every request Slack sends, before any listener
runs, with the `Need` of what was clicked, submitted or typed; so a control or command added
later is checked too (an id nobody classified needs a member).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.domain.actor import Actor
from bot.errors import SlackUnavailableError
from bot.services.triage import managers_only

MEMBERS_ONLY = (
    "{what} is for members of the denials channel. Ask your practice manager to add you, "
    "then try again. Nothing was changed."
)
CANNOT_CHECK = "{why} Nothing was changed; try again in a minute."


class Need(StrEnum):
    ANYONE = "anyone"
    MEMBER = "member"  # of the denials channel; managers always may
    MANAGER = "manager"


class Members(Protocol):
    def may_triage(self, user_id: str) -> bool:
        """A member of the denials channel (everyone, when no channel is configured)."""
        ...


@dataclass(frozen=True)
class Access:
    members: Members
    managers: tuple[str, ...]

    def refusal(self, actor: Actor, need: Need, what: str) -> str | None:
        """Why `actor` may not do `what`, in words for them; None when they may.

        `what` is a noun phrase for a member's need ("Setting a root cause"), a verb phrase for
        a manager's ("write off a denial")."""
        if need is Need.ANYONE or actor.is_manager:
            return None
        if need is Need.MANAGER:
            return managers_only(what, self.managers)
        try:
            member = self.members.may_triage(actor.user)
        except SlackUnavailableError as error:
            return CANNOT_CHECK.format(why=str(error))
        return None if member else MEMBERS_ONLY.format(what=what)
