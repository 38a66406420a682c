"""One tick at a time across replicas: a PostgreSQL advisory lock per job and tick.

Only an optimisation: the send ledger already makes every message exactly-once. The lock
saves the losing replica from computing a digest it will not send. It is a *transaction*
lock (`pg_try_advisory_xact_lock`) on a connection of its own that touches no rows, so it is
released when the tick ends, or when the process dies and its connection drops.
SQLite is one process on one machine: no lock needed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

NAMESPACE = "denial-triage:job:"


def lock_id(name: str) -> int:
    """A stable signed 64-bit key for `pg_try_advisory_xact_lock`."""
    digest = hashlib.sha256((NAMESPACE + name).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def tick_lock(sessions: sessionmaker[Session], name: str) -> Iterator[bool]:
    """Yields True when this replica should run the tick (always True on SQLite)."""
    engine = sessions.kw.get("bind")
    if not isinstance(engine, Engine) or engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as connection, connection.begin():
        got = connection.execute(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": lock_id(name)}
        ).scalar_one()
        yield bool(got)
