"""Each request Slack sends is handled once, on whichever replica gets it first.

Slack sends a request again when its acknowledgement did not arrive in time: an Events API
retry (`X-Slack-Retry-Num` over HTTP, `retry_attempt` in a Socket Mode envelope), or an
envelope redelivered after the connection dropped with its acknowledgement in flight. The
request is keyed by what stays the same across those deliveries (an event's `event_id`, an
interaction's `trigger_id`; see `bot.slack.once`), never by the transport's envelope, so one
table serves HTTP and Socket Mode alike.

    first(key)          True: handle it. False: Slack sent it before; acknowledge, skip it.
    acknowledged(key)   its acknowledgement went out
    release(key)        it failed before acknowledging: Slack's next retry handles it

Whoever inserts the key first handles the request; a delivery that comes while the first is
still being handled finds the row and is skipped too. A row left unacknowledged for longer
than `UNACKNOWLEDGED_AFTER` (the process died mid-request; Slack gave up on that answer after
three seconds) is taken over by the next retry, through an UPDATE only one replica can win.
Rows are deleted `KEEP_FOR` after they were received (Slack's last retry comes within minutes).

On SQLite the key is written under a short busy timeout (`WAIT_AT_MOST`): an import holding the
database's one write lock must not hold a click's acknowledgement past Slack's three seconds.
A request whose key cannot be written in time raises `DatabaseBusyError`, and is handled
rather than dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import DatabaseBusyError
from storage.db import SQLITE_BUSY_MS
from storage.models import SlackReceipt
from storage.send_ledger import utc_now, worker_name
from storage.unique import insert_if_new

UNACKNOWLEDGED_AFTER = timedelta(seconds=30)
KEEP_FOR = timedelta(days=1)
PRUNE_EVERY = 3600.0  # seconds between two deletions of old rows by one process
WAIT_AT_MOST = 1.0  # seconds SQLite waits for its write lock here (the bot's default: 30)


@dataclass
class Receipts:
    sessions: sessionmaker[Session]
    worker: str = field(default_factory=worker_name)
    now: Callable[[], datetime] = utc_now  # wall time: rows are compared across replicas
    _pruned_at: float = field(default=-PRUNE_EVERY, init=False)

    def first(self, key: str) -> bool:
        """True when this delivery of `key` is the one to handle."""
        now = self.now()
        values = {"key": key, "received_at": now, "handled_by": self.worker, "repeats": 0}
        with self._writing() as session:
            if insert_if_new(session, SlackReceipt, values, ["key"]):
                return True
            taken = session.execute(
                update(SlackReceipt)
                .where(
                    SlackReceipt.key == key,
                    SlackReceipt.acknowledged_at.is_(None),
                    SlackReceipt.received_at < now - UNACKNOWLEDGED_AFTER,
                )
                .values(received_at=now, handled_by=self.worker)
            )
            if taken.rowcount:  # type: ignore[attr-defined]
                return True
            session.execute(
                update(SlackReceipt)
                .where(SlackReceipt.key == key)
                .values(repeats=SlackReceipt.repeats + 1)
            )
            return False

    def acknowledged(self, key: str) -> None:
        with self._writing() as session:
            session.execute(
                update(SlackReceipt)
                .where(SlackReceipt.key == key)
                .values(acknowledged_at=self.now())
            )
        if time.monotonic() - self._pruned_at > PRUNE_EVERY:
            self.prune()

    def release(self, key: str) -> None:
        """Forget a request that was not acknowledged, so that Slack's retry is handled."""
        with self._writing() as session:
            session.execute(
                delete(SlackReceipt).where(
                    SlackReceipt.key == key, SlackReceipt.acknowledged_at.is_(None)
                )
            )

    def prune(self) -> int:
        """Delete the rows older than `KEEP_FOR`; how many went."""
        self._pruned_at = time.monotonic()
        with self._writing() as session:
            gone = session.execute(
                delete(SlackReceipt).where(SlackReceipt.received_at < self.now() - KEEP_FOR)
            )
            return int(gone.rowcount)  # type: ignore[attr-defined]

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """One short transaction, waiting at most `WAIT_AT_MOST` for SQLite's write lock.

        On one connection held throughout: the busy timeout is the connection's, and it goes
        back to the pool with the bot's usual patience.
        """
        engine: Engine = self.sessions.kw["bind"]
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                _busy_timeout(connection, round(WAIT_AT_MOST * 1000))
            try:
                with Session(bind=connection) as session:
                    if connection.dialect.name == "postgresql":
                        # No wait for the disk flush: a receipt lost to a server crash costs at
                        # most one request handled twice; a request's two writes took a median
                        # 16 ms with the flush, 6 ms without (local PostgreSQL, 2 busy cores).
                        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
                    yield session
                    session.commit()
            except OperationalError as error:
                if sqlite and "locked" in str(error.orig):
                    raise DatabaseBusyError("the database is busy with other work") from None
                raise
            finally:
                if sqlite:
                    _busy_timeout(connection, SQLITE_BUSY_MS)


def _busy_timeout(connection: Connection, milliseconds: int) -> None:
    connection.exec_driver_sql(f"PRAGMA busy_timeout={milliseconds}")
    connection.commit()
