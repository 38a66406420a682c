"""Use case: report layouts whose columns a person named, remembered for the next file.

A mapping is saved against its layout's header signature (csv_table.header_signature) when
a person confirms it (the Slack "Map the columns" form) or gives it (`denials import
--columns`), and used for every later file with the same headers, from Slack, the inbox or
the CLI. `denials columns --list` and `--forget` manage them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.actor import Actor
from bot.importers.csv_columns import ColumnMapping, layout_name
from bot.importers.csv_detect import Detection
from bot.importers.csv_report import detect_columns, read_table
from storage.models import SavedColumnMapping


@dataclass(frozen=True, slots=True)
class SavedMapping:
    id: int
    signature: str
    mapping: ColumnMapping
    headers: tuple[str, ...]
    example_file: str
    saved_by: str  # "slack:T1:U1", "cli:maria", "inbox"
    saved_at: datetime
    used_at: datetime | None
    uses: int

    def source(self) -> str:
        """`saved from Slack by U1 on 2026-11-30` (no names: the actor key is all we keep)."""
        slack = Actor.from_key(self.saved_by)
        kind, _, who = self.saved_by.partition(":")
        person = slack.user if slack is not None else who
        where = {"slack": "from Slack", "cli": "with --columns"}.get(kind, f"by {kind}")
        by = f" by {person}" if person else ""
        return f"saved {where}{by} on {self.saved_at:%Y-%m-%d}"


def find_saved(session: Session, signatures: Sequence[str]) -> SavedMapping | None:
    """The mapping saved for any of these header signatures (the file's candidate headers)."""
    if not signatures:
        return None
    row = session.scalars(
        select(SavedColumnMapping)
        .where(SavedColumnMapping.signature.in_(list(signatures)))
        .order_by(SavedColumnMapping.saved_at.desc(), SavedColumnMapping.id.desc())
        .limit(1)
    ).first()
    return _saved(row) if row is not None else None


def remember(
    session: Session,
    *,
    signature: str,
    headers: Sequence[str],
    mapping: ColumnMapping,
    file_name: str,
    actor: str,
    now: datetime,
) -> None:
    """Save (or replace) the mapping of one layout, in the caller's transaction."""
    row = session.scalars(
        select(SavedColumnMapping).where(SavedColumnMapping.signature == signature)
    ).first()
    if row is None:
        row = SavedColumnMapping(signature=signature, uses=0)
        session.add(row)
    row.headers = [h for h in headers if h.strip()]
    row.columns = {name.value: header for name, header in mapping.headers.items()}
    row.example_file = file_name[:255]
    row.saved_by = actor
    row.saved_at = now
    session.flush()


def mark_used(session: Session, mapping_id: int, now: datetime) -> None:
    row = session.get(SavedColumnMapping, mapping_id)
    if row is not None:
        row.used_at = now
        row.uses = (row.uses or 0) + 1


def saved_mappings(sessions: sessionmaker[Session]) -> list[SavedMapping]:
    with sessions() as session:
        rows = session.scalars(select(SavedColumnMapping).order_by(SavedColumnMapping.id))
        return [_saved(row) for row in rows]


def forget(sessions: sessionmaker[Session], mapping_id: int) -> bool:
    """Delete one saved mapping; False when there was none with that number."""
    with sessions.begin() as session:
        deleted = session.execute(
            delete(SavedColumnMapping).where(SavedColumnMapping.id == mapping_id)
        )
        return bool(getattr(deleted, "rowcount", 0))


def forget_layout(sessions: sessionmaker[Session], signatures: Sequence[str]) -> list[int]:
    """Delete the mappings saved for a file's layout; the numbers deleted."""
    with sessions.begin() as session:
        ids = list(
            session.scalars(
                select(SavedColumnMapping.id).where(
                    SavedColumnMapping.signature.in_(list(signatures))
                )
            )
        )
        if ids:
            session.execute(delete(SavedColumnMapping).where(SavedColumnMapping.id.in_(ids)))
        return ids


def _saved(row: SavedColumnMapping) -> SavedMapping:
    return SavedMapping(
        id=row.id,
        signature=row.signature,
        mapping=ColumnMapping.from_dict(dict(row.columns)),
        headers=tuple(str(h) for h in row.headers),
        example_file=row.example_file,
        saved_by=row.saved_by,
        saved_at=row.saved_at,
        used_at=row.used_at,
        uses=row.uses or 0,
    )


@dataclass(frozen=True, slots=True)
class ColumnsPreview:
    """What an import of a file would read where (`denials columns FILE`)."""

    detection: Detection
    grid: str  # "comma-separated", "sheet “Denials”"
    header_line: int
    layout: str
    saved: SavedMapping | None


def preview_columns(
    sessions: sessionmaker[Session],
    data: bytes,
    file_name: str,
    mapping: ColumnMapping | None = None,
) -> ColumnsPreview:
    """The columns an import would use, with the saved mapping of the layout if any; raises
    InputError when the file has no header (or none with the headers `mapping` names)."""
    table = read_table(data, file_name)
    with sessions() as session:
        saved = None if mapping else find_saved(session, table.signatures())
    chosen = mapping or (saved.mapping if saved else None)
    grid, detection = detect_columns(table, chosen)
    line = grid.head()[detection.header.index][0]
    return ColumnsPreview(
        detection,
        grid.description,
        line,
        layout_name(detection.header, chosen, grid.description),
        saved,
    )
