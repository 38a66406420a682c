"""Exactly-once scheduled messages: claim a unique row, send, then mark it sent.

Every scheduled message (a digest per channel and week, a deadline warning per denial and
level, a pattern review per month and recipient) has a `(kind, key)` row in `send_claims`.
Whoever inserts the row sends; anyone else skips. A row left `claimed` (the process died, or
Slack failed) is taken over once it is older than `stale_after`, by an UPDATE that only one
replica can win, so a restart catches up and two replicas never send the same message twice.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.message import Message
from storage.models import SendClaim

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 5  # then the row is `failed` and the error report says so
IN_CHUNK = 500  # keys per IN (...) list


def utc_now() -> datetime:
    return datetime.now(UTC)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class JobReport:
    """What one run of a job did, in words for the CLI and the error report (no PHI)."""

    job: str
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if not (self.sent or self.skipped or self.errors):
            return [f"{self.job}: nothing to do."]
        lines = [f"{self.job}: {line}" for line in self.sent + self.skipped]
        return lines + [f"{self.job}: error: {line}" for line in self.errors]


@dataclass
class SendLedger:
    sessions: sessionmaker[Session]
    worker: str = field(default_factory=worker_name)
    stale_after: timedelta = STALE_AFTER
    now: Callable[[], datetime] = utc_now  # wall time, even when the job runs `--today`

    def claim(self, kind: str, key: str, detail: dict[str, Any] | None = None) -> bool:
        """True when this worker may send now: a fresh row, or a stale claim taken over."""
        now = self.now()
        values = {
            "kind": kind,
            "key": key,
            "status": "claimed",
            "claimed_by": self.worker,
            "claimed_at": now,
            "detail": detail or {},
        }
        with self.sessions() as session, session.begin():
            if _inserted(session, values):
                return True
            taken = session.execute(
                update(SendClaim)
                .where(
                    SendClaim.kind == kind,
                    SendClaim.key == key,
                    SendClaim.status == "claimed",
                    SendClaim.claimed_at < now - self.stale_after,
                )
                .values(claimed_by=self.worker, claimed_at=now)
            )
            return bool(taken.rowcount)  # type: ignore[attr-defined]

    def mark_sent(self, kind: str, key: str, detail: dict[str, Any] | None = None) -> None:
        with self.sessions() as session, session.begin():
            row = session.scalars(
                select(SendClaim).where(SendClaim.kind == kind, SendClaim.key == key)
            ).one()
            row.status = "sent"
            row.sent_at = self.now()
            if detail:
                row.detail = {**row.detail, **detail}

    def record_sent(self, kind: str, keys: Iterable[str]) -> None:
        """Mark `keys` sent, inserting rows that do not exist (what a sent list covered)."""
        for key in keys:
            if self.claim(kind, key) or self.status(kind, key) == "claimed":
                self.mark_sent(kind, key)

    def failed(self, kind: str, key: str, error: str) -> bool:
        """The send failed: retried after `stale_after`; False when it gave up for good."""
        with self.sessions() as session, session.begin():
            row = session.scalars(
                select(SendClaim).where(SendClaim.kind == kind, SendClaim.key == key)
            ).one()
            attempts = int(row.detail.get("attempts", 0)) + 1
            row.detail = {**row.detail, "attempts": attempts, "error": error[:500]}
            if attempts >= MAX_ATTEMPTS:
                row.status = "failed"
                return False
            return True

    def status(self, kind: str, key: str) -> str | None:
        with self.sessions() as session:
            return session.scalar(
                select(SendClaim.status).where(SendClaim.kind == kind, SendClaim.key == key)
            )

    def sent_keys(self, kind: str, keys: Iterable[str]) -> set[str]:
        """Which of `keys` are done (sent, or given up on after MAX_ATTEMPTS)."""
        done: set[str] = set()
        with self.sessions() as session:
            for chunk in _chunks(list(keys), IN_CHUNK):
                done.update(
                    session.scalars(
                        select(SendClaim.key).where(
                            SendClaim.kind == kind,
                            SendClaim.key.in_(chunk),
                            SendClaim.status.in_(("sent", "failed")),
                        )
                    )
                )
        return done

    def rows(self, kind: str, keys: Iterable[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """`{key: (status, detail)}` for those of `keys` that have a row."""
        found: dict[str, tuple[str, dict[str, Any]]] = {}
        with self.sessions() as session:
            for chunk in _chunks(list(keys), IN_CHUNK):
                for key, status, detail in session.execute(
                    select(SendClaim.key, SendClaim.status, SendClaim.detail).where(
                        SendClaim.kind == kind, SendClaim.key.in_(chunk)
                    )
                ):
                    found[key] = (status, dict(detail))
        return found

    def send_once(
        self,
        kind: str,
        key: str,
        send: Callable[[], dict[str, Any] | None],
        *,
        detail: dict[str, Any] | None = None,
    ) -> bool:
        """Claim, send, mark sent. False when someone else has it (or had it).

        An exception from `send` leaves the claim to be retried later and propagates.
        """
        if self.status(kind, key) in ("sent", "failed") or not self.claim(kind, key, detail):
            return False
        try:
            result = send()
        except Exception as error:
            retry = self.failed(kind, key, type(error).__name__)
            log.warning(
                "%s %s not sent (%s)%s",
                kind,
                key,
                type(error).__name__,
                "; will retry" if retry else "; giving up",
            )
            raise
        self.mark_sent(kind, key, result)
        return True


@dataclass
class Pacer:
    """Slack allows about one message per second per channel: space the sends out."""

    interval: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    _last: float = field(default=-1e9, init=False)

    def __call__(self) -> None:
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        self._last = time.monotonic()


def deliver(
    client: WebClient, to: str, message: Message, *, thread_ts: str | None = None
) -> dict[str, Any]:
    """Post to a channel, or to a person's DM (`conversations.open`, then `chat.postMessage`)."""
    channel = to
    if to.startswith(("U", "W")):
        channel = str(client.conversations_open(users=to)["channel"]["id"])
    response = client.chat_postMessage(
        channel=channel,
        text=message.text,
        blocks=message.blocks or None,
        thread_ts=thread_ts,
        unfurl_links=False,
        unfurl_media=False,
    )
    return {"channel": str(response["channel"]), "ts": str(response["ts"])}


def _inserted(session: Session, values: dict[str, Any]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: no row back means someone else has it.

    (`rowcount` cannot tell: with RETURNING, psycopg reports -1 whatever happened.)
    """
    name = session.get_bind().dialect.name
    if name not in ("postgresql", "sqlite"):  # any other database: the constraint decides
        try:
            with session.begin_nested():
                session.execute(insert(SendClaim).values(**values))
        except IntegrityError:
            return False
        return True
    dialect_insert = postgresql.insert if name == "postgresql" else sqlite.insert
    statement = (
        dialect_insert(SendClaim)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["kind", "key"])
        .returning(SendClaim.id)
    )
    return session.execute(statement).scalar_one_or_none() is not None


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
