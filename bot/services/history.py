"""A denial's history, read-only: who did what to it and when, from its audit events.

The audit reader behind `/denials history CLAIM`, `denials audit CLAIM` and the card's ⋯
History. Nothing here writes: the bot offers no way to change or remove an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import AuditEvent, Denial, ImportFile

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
        mine = AuditEvent.denial_id == denial_id
        total = session.scalar(select(func.count()).select_from(AuditEvent).where(mine)) or 0
        latest = session.scalars(
            select(AuditEvent)
            .where(mine)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        ).all()
        events = tuple(
            Event(e.at, e.actor, e.action, dict(e.detail or {})) for e in reversed(latest)
        )
        return DenialHistory(
            denial_id=denial.id,
            claim_number=denial.claim_number,
            payer_name=denial.payer_name,
            imported_at=denial.created_at,
            imported_by=imported.imported_by if imported is not None else "",
            file_name=imported.file_name if imported is not None else "",
            events=events,
            earlier=total - len(events),
        )
