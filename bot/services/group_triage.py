"""Use case: one change to every open denial of a grouped card ("Root cause for all", "Assign
all"), each denial in its own audited transaction (`Triage`).

Partial success is kept, not rolled back: a denial closed or being changed by someone else
meanwhile is left as it is, the others are changed, and the result says how many of each, so
the person is told and the card and its thread show what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks import thread_notes
from bot.domain.actor import Actor
from bot.domain.findings import RootCause
from bot.errors import ConflictError, DenialsError
from bot.services.audited import TriageResult
from bot.services.triage import Triage
from storage.models import Denial

ALL_CLOSED = "Every denial on this card is closed already. Nothing was changed."
PARTLY_REFUSED = "{refused} of {total} were not changed: {first}"


@dataclass(frozen=True, slots=True)
class GroupChange:
    post_id: int
    total: int  # open denials on the card when the change began
    changed: int
    refusals: tuple[str, ...]  # why each of the others was not changed
    note: str  # the card's thread note ("" when nothing changed)

    @property
    def problem(self) -> str | None:
        """What to tell the person when some were not changed."""
        if not self.refusals:
            return None
        return PARTLY_REFUSED.format(
            refused=len(self.refusals), total=self.total, first=self.refusals[0]
        )


class GroupTriage:
    def __init__(self, sessions: sessionmaker[Session], triage: Triage) -> None:
        self._sessions = sessions
        self._triage = triage

    def set_category(
        self, post_id: int, cause: RootCause, actor: Actor, now: datetime
    ) -> GroupChange:
        return self._apply(
            post_id,
            lambda denial_id: self._triage.set_category(denial_id, None, cause, actor, now),
            lambda count: thread_notes.bulk_root_cause(actor.user, cause, count),
        )

    def assign(self, post_id: int, assignee: str, actor: Actor, now: datetime) -> GroupChange:
        return self._apply(
            post_id,
            lambda denial_id: self._triage.assign(denial_id, None, assignee, actor, now),
            lambda count: thread_notes.bulk_assigned(actor.user, assignee, count),
        )

    def _apply(
        self,
        post_id: int,
        change: Callable[[int], TriageResult],
        note: Callable[[int], str],
    ) -> GroupChange:
        """Raises DenialsError when no denial of the card is open."""
        denial_ids = self._open_denials(post_id)
        if not denial_ids:
            raise ConflictError(ALL_CLOSED)
        changed, refusals = 0, []
        for denial_id in denial_ids:
            try:
                change(denial_id)
                changed += 1
            except DenialsError as refusal:
                refusals.append(str(refusal))
        return GroupChange(
            post_id=post_id,
            total=len(denial_ids),
            changed=changed,
            refusals=tuple(refusals),
            note=note(changed) if changed else "",
        )

    def _open_denials(self, post_id: int) -> list[int]:
        with self._sessions() as session:
            query = (
                select(Denial.id)
                .where(Denial.post_id == post_id, Denial.closed.is_(False))
                .order_by(Denial.id)
            )
            return list(session.scalars(query))
