"""A denial's history, read-only: who did what to it and when, from its audit events.

The audit reader behind `/denials history CLAIM`, `denials audit CLAIM` and the card's ⋯
History. Nothing here writes: the bot offers no way to change or remove an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import AuditEvent, ClaimRejection, Denial, DocumentationRequest, ImportFile

MAX_EVENTS = 40  # the latest ones; a message holds 50 blocks and a clerk reads a screenful


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    actor: str  # `slack:T1:U123`, `cli:alice`, `inbox`, `dedupe`, …
    action: str
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class DenialHistory:
    denial_id: int
    claim_number: str
    payer_name: str
    imported_at: datetime
    imported_by: str
    file_name: str
    events: tuple[Event, ...]  # oldest first, the latest MAX_EVENTS
    earlier: int  # events older than those, not shown
    record: str = ""  # what it is the history of when not a denial: `records request R-12`


REQUEST, REJECTION = "request", "rejection"  # as `bot.services.work_items` names them
MAX_OTHERS = 3  # requests and rejections shown beside a claim's history, latest first


def denial_history(
    sessions: sessionmaker[Session], denial_id: int, limit: int | None = MAX_EVENTS
) -> DenialHistory | None:
    """The denial's import and its latest `limit` audit events (None: all of them); None when
    the denial is gone."""
    with sessions() as session:
        denial = session.get(Denial, denial_id)
        if denial is None:
            return None
        imported = session.get(ImportFile, denial.import_id)
        events, earlier = _events(session, AuditEvent.denial_id == denial_id, limit)
        return DenialHistory(
            denial_id=denial.id,
            claim_number=denial.claim_number,
            payer_name=denial.payer_name,
            imported_at=denial.created_at,
            imported_by=imported.imported_by if imported is not None else "",
            file_name=imported.file_name if imported is not None else "",
            events=events,
            earlier=earlier,
        )


def work_history(
    sessions: sessionmaker[Session], kind: str, item_id: int, limit: int | None = MAX_EVENTS
) -> DenialHistory | None:
    """A records request's or rejection's history, as a denial's; None when it is gone."""
    with sessions() as session:
        return _work_history(session, kind, item_id, limit)


def claim_work_histories(
    sessions: sessionmaker[Session], claim: str, limit: int | None = MAX_EVENTS
) -> list[DenialHistory]:
    """The histories of the latest records requests and rejections of `claim` (its number as
    typed, any case): `/denials history CLAIM` shows them with the denial's, or alone."""
    wanted = claim.strip().upper()
    with sessions() as session:
        found: list[tuple[datetime, str, int]] = []
        for kind, model in ((REQUEST, DocumentationRequest), (REJECTION, ClaimRejection)):
            rows = session.execute(
                select(model.created_at, model.id)
                .where(func.upper(model.claim_number) == wanted)
                .order_by(model.created_at.desc())
                .limit(MAX_OTHERS)
            ).all()
            found.extend((at, kind, item_id) for at, item_id in rows)
        found.sort(reverse=True)
        histories = (_work_history(session, k, i, limit) for _, k, i in found[:MAX_OTHERS])
        return [history for history in histories if history is not None]


def _work_history(
    session: Session, kind: str, item_id: int, limit: int | None
) -> DenialHistory | None:
    item: DocumentationRequest | ClaimRejection | None
    if kind == REQUEST:
        item, owner, record = session.get(DocumentationRequest, item_id), AuditEvent.request_id, "R"
    else:
        item, owner, record = session.get(ClaimRejection, item_id), AuditEvent.rejection_id, "J"
    if item is None:
        return None
    imported = session.get(ImportFile, item.import_id) if item.import_id is not None else None
    events, earlier = _events(session, owner == item_id, limit)
    created_by = getattr(item, "created_by", "")  # a rejection only ever comes in a file
    words = "records request" if kind == REQUEST else "rejection"
    return DenialHistory(
        denial_id=item.id,
        claim_number=item.claim_number or "",
        payer_name=item.payer.name if item.payer is not None else "",
        imported_at=item.created_at,
        imported_by=imported.imported_by if imported is not None else created_by,
        file_name=imported.file_name if imported is not None else "",
        events=events,
        earlier=earlier,
        record=f"{words} {record}-{item.id}",
    )


def _events(
    session: Session, mine: ColumnElement[bool], limit: int | None
) -> tuple[tuple[Event, ...], int]:
    """The latest `limit` events, oldest first, and how many earlier ones were left out."""
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(mine)) or 0
    latest = session.scalars(
        select(AuditEvent)
        .where(mine)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    events = tuple(Event(e.at, e.actor, e.action, dict(e.detail or {})) for e in reversed(latest))
    return events, total - len(events)
