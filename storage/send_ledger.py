"""Exactly-once scheduled messages: claim a unique row, send, then mark it sent.

Every scheduled message (a digest per channel and week, a deadline warning per denial and
level, a pattern review per month and recipient) has a `(kind, key)` row in `send_claims`.
Whoever inserts the row sends; anyone else skips. A row left `claimed` (the process died, or
Slack failed) is taken over once it is older than `stale_after`, by an UPDATE that only one
replica can win, so a restart catches up and two replicas never send the same message twice.

A process can also die after Slack took the message and before the row says `sent`. So
whoever takes a stale claim over first asks `find_sent` whether the message is there already
(`bot.slack.delivery` looks for the ledger's marker in the message metadata).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from storage.models import SendClaim
from storage.unique import insert_if_new

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 5  # then the row is `failed` and the error report says so
IN_CHUNK = 500  # keys per IN (...) list


def utc_now() -> datetime:
    return datetime.now(UTC)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class SendLedger:
    sessions: sessionmaker[Session]
    worker: str = field(default_factory=worker_name)
    stale_after: timedelta = STALE_AFTER
    now: Callable[[], datetime] = utc_now  # wall time, even when the job runs `--today`

    def claim(self, kind: str, key: str, detail: dict[str, Any] | None = None) -> bool:
        """True when this worker may send now: a fresh row, or a stale claim taken over."""
        return self._claim(kind, key, detail) is not None

    def _claim(self, kind: str, key: str, detail: dict[str, Any] | None) -> str | None:
        """`"new"`, `"taken over"` (a stale claim: it may have been sent), or None."""
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
            if insert_if_new(session, SendClaim, values, ["kind", "key"]):
                return "new"
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
            return "taken over" if taken.rowcount else None  # type: ignore[attr-defined]

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
        find_sent: Callable[[], dict[str, Any] | None] | None = None,
    ) -> bool:
        """Claim, send, mark sent. False when someone else has it (or had it).

        `find_sent` looks in Slack for the message, when a stale claim is taken over: the
        process that made the claim may have sent it before it died. Found, it is marked sent
        instead of going out twice.

        An exception from `send` leaves the claim to be retried later and propagates.
        """
        if self.status(kind, key) in ("sent", "failed"):
            return False
        claimed = self._claim(kind, key, detail)
        if claimed is None:
            return False
        if claimed == "taken over" and find_sent is not None:
            found = find_sent()
            if found is not None:
                log.info("%s %s was sent before a restart; not sending it again", kind, key)
                self.mark_sent(kind, key, found)
                return True
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


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
