"""One import at a time per database, and a busy database told apart from a bad file.

An import reads what is stored (the adjudications a file repeats, the payers it names, the
earlier adjudications its claims answer) and writes in one transaction. Two at once would each
miss what the other is writing: the same file twice would both insert, an overlapping re-send
would be stored twice. So imports take turns. On SQLite the first write of an import takes the
database's only write lock until it commits, which already serialises them; on PostgreSQL an
advisory lock does, taken first thing in the transaction. A turn that does not come within
`WAIT_SECONDS` is a busy database (`DatabaseBusyError`): nothing was stored, and the same
import tried again later works (the inbox keeps the file for its next tick).
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from bot.errors import DatabaseBusyError
from storage.db import SQLITE_BUSY_MS

WAIT_SECONDS: Final = SQLITE_BUSY_MS // 1000  # as long as SQLite waits for its write lock
_LOCK_KEY: Final = 0x44454E49  # "DENI": the imports' advisory lock on PostgreSQL
_LOCK: Final = text("SELECT pg_advisory_xact_lock(:key)")
_LOCK_TIMEOUT: Final = text("SELECT set_config('lock_timeout', :timeout, true)")
_LOCK_NOT_AVAILABLE: Final = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout ran out
BUSY: Final = (
    "the database is busy with another import or a long report, and did not free up within "
    f"{WAIT_SECONDS} seconds. Nothing from this file was stored; it is tried again on the next "
    "inbox round, or import it again in a minute."
)


def lock_imports(connection: Connection) -> None:
    """Wait for this database's import turn, inside the caller's transaction."""
    if connection.dialect.name != "postgresql":
        return  # SQLite: the import's first write takes the write lock (see the docstring)
    # set_config(..., true) is SET LOCAL with a bound value.
    connection.execute(_LOCK_TIMEOUT, {"timeout": f"{WAIT_SECONDS}s"})
    connection.execute(_LOCK, {"key": _LOCK_KEY})


def busy_or_none(error: OperationalError) -> DatabaseBusyError | None:
    """The refusal to give for `error` when it is another writer holding the database."""
    original = error.orig
    if "database is locked" in str(original):
        return DatabaseBusyError(BUSY)
    if getattr(original, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
        return DatabaseBusyError(BUSY)
    return None
