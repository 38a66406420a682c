"""Use case: adjudications stored more than once merged into one (`denials db dedupe`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from storage.bulk.import_lock import lock_imports
from storage.dedupe import Merged, duplicate_groups, merge_duplicates


def stored_twice(sessions: sessionmaker[Session]) -> int:
    """Claims that repeat an adjudication stored before them."""
    with sessions() as session:
        return sum(len(ids) - 1 for ids in duplicate_groups(session))


def dedupe(sessions: sessionmaker[Session], *, now: datetime) -> Merged:
    """Merge them all, in one transaction taken in turn with the imports."""
    with sessions() as session, session.begin():
        lock_imports(session.connection())
        return merge_duplicates(session, now=now)
