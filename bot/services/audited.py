"""One change to one thing staff work (a denial, a records request, a rejection): locked, checked
against the version the person was looking at, audited, in one transaction.

A click carries the version its card showed. If someone else changed *the same thing* since,
the change is refused with who did what; a change to something else is applied, so two people
working one card lose neither change. A transaction that loses a race is run again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bot.blocks.text import mention
from bot.domain.actor import Actor
from bot.errors import ConflictError
from storage.models import AuditEvent, ClaimRejection, Denial, DocumentationRequest

BUSY = "Someone else is changing this denial right now. Nothing was changed; try again."
CONFLICT = (
    "{who} changed this while you were looking: {what}. The card now shows the latest; "
    "choose again if you still want to change it."
)
RACES = 3  # transactions lost to another one before the person is asked to try again

Item = TypeVar("Item", Denial, DocumentationRequest, ClaimRejection)


@dataclass(frozen=True)
class TriageResult:
    denial_id: int  # the item changed (a request's or rejection's id for those)
    post_id: int | None
    note: str  # the one-line note for the card's thread


@dataclass(frozen=True)
class Kind(Generic[Item]):
    """What differs between the things staff change."""

    model: type[Item]
    owner: InstrumentedAttribute[int | None]  # the AuditEvent column naming the item
    gone: str  # the refusal when it is no longer there
    closed: Callable[[Item], str]  # the refusal when it is closed
    conflicts: Mapping[str, frozenset[str]]  # action -> earlier actions it must not overwrite
    described: Callable[[AuditEvent], str]  # an earlier change, in words


def apply_change(
    sessions: sessionmaker[Session],
    kind: Kind[Item],
    item_id: int,
    version: int | None,
    actor: Actor,
    now: datetime,
    action: str,
    change: Callable[[Session, Item], str],
    *,
    allow_closed: bool = False,
    detail: dict[str, Any],
) -> TriageResult:
    """`change` the item (it returns the thread note) and audit it as `action` with `detail`.

    `version` None: the person typed a command, they were not looking at an older card.
    """
    for _race in range(RACES):
        try:
            with sessions() as session, session.begin():
                item = session.get(kind.model, item_id, with_for_update=True)
                if item is None:
                    raise ConflictError(kind.gone)
                if version is not None and version != item.version:
                    _refuse_conflict(session, kind, item, version, action)
                if item.closed and not allow_closed:
                    raise ConflictError(kind.closed(item))
                note = change(session, item)
                item.updated_at = now
                session.flush()  # the version moves on here; the event records the new one
                event = AuditEvent(actor=actor.key, action=action, detail=detail, at=now)
                setattr(event, kind.owner.key, item.id)
                event.version = item.version
                session.add(event)
                return TriageResult(item.id, item.post_id, note)
        except StaleDataError:
            continue  # another transaction won the race: read again and check again
    raise ConflictError(BUSY)


def who_did(actor: str) -> str:
    """An audit event's actor in words: the person (`slack:T:U`), else the importer."""
    person = Actor.from_key(actor)
    return mention(person.user) if person is not None else "The importer"


def _refuse_conflict(
    session: Session, kind: Kind[Item], item: Item, seen: int, action: str
) -> None:
    """Refuse when someone changed the same thing since version `seen`."""
    clash = session.scalars(
        select(AuditEvent)
        .where(
            kind.owner == item.id,
            AuditEvent.version > seen,
            AuditEvent.action.in_(kind.conflicts.get(action, frozenset({action}))),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if clash is not None:
        raise ConflictError(CONFLICT.format(who=who_did(clash.actor), what=kind.described(clash)))
