"""Who did something: a person in one Slack workspace, as the pair (team id, user id).

Slack user ids are only unique within a workspace (DESIGN.md §5). Audit events, appeals and
recorded fixes store the person as `Actor.key` (`slack:T123:U456`); `Actor.from_key` reads it
back. Others store a word of their own (`cli:alice`, `inbox`): they are not people in Slack, and
`from_key` says so with None.
"""

from __future__ import annotations

from dataclasses import dataclass

SLACK = "slack"


@dataclass(frozen=True, slots=True)
class Actor:
    team: str
    user: str
    is_manager: bool = False

    @property
    def key(self) -> str:
        """What is stored as who did it: `slack:T123:U456`."""
        return f"{SLACK}:{self.team}:{self.user}"

    @classmethod
    def from_key(cls, key: str) -> Actor | None:
        """The person behind a stored `key`; None when it was not a person in Slack."""
        kind, _, rest = key.partition(":")
        team, _, user = rest.rpartition(":")
        if kind != SLACK or not user:
            return None
        return cls(team=team, user=user)
