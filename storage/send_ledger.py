"""Exactly-once messages: claim a unique row, send, then mark it sent.

Every message the bot sends outside a card (a digest per channel and week, a deadline warning
per denial and level, a pattern review per month and recipient, a thread note, an error report)
has a `(kind, key)` row in `send_claims`. Whoever inserts the row sends; anyone else skips.

When a send fails, the row says what Slack may have (see `bot.slack.taken`):
- `retry`: Slack did not take it (refused, asked us to wait, never reached): claimed again
  from `retry_at` on and sent without looking.
- `unsure`: the answer was lost, late or a server error: Slack may have posted it. Claimed
  again from `retry_at` on (one settling delay later), and looked for first.
- `claimed` and older than `stale_after`: the process died mid-send. Taken over, looked for first.
A claim is taken over by an UPDATE that only one replica can win, so a restart catches up and
two replicas never send the same message twice. `find_sent` (`bot.slack.delivery`) looks for
the ledger's marker in the message metadata; a message it finds is marked sent instead of going
out again. Rows may carry the message itself (`detail["message"]`): `due()` lists those still
to send, so whoever runs next sends them (thread notes, error reports).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import SlackUnavailableError
from storage.models import SendClaim
from storage.unique import insert_if_new

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=5)
SETTLE_AFTER = timedelta(seconds=30)  # a lost answer: look for the message no sooner
FIRST_BACKOFF = timedelta(seconds=30)  # after a refusal; doubled per attempt, up to STALE_AFTER
MAX_ATTEMPTS = 5  # then the row is `failed` and the error report says so
IN_CHUNK = 500  # keys per IN (...) list
DONE = ("sent", "failed")


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
    settle_after: timedelta = SETTLE_AFTER  # give a late answer this long before looking

    def claim(self, kind: str, key: str, detail: dict[str, Any] | None = None) -> bool:
        """True when this worker may send now: a fresh row, or one taken over."""
        return self._claim(kind, key, detail) is not None

    def _claim(self, kind: str, key: str, detail: dict[str, Any] | None) -> str | None:
        """`"new"`, `"retry"` (Slack did not take it), `"taken over"` (it may have been sent:
        look first), or None when someone else has it or it is done."""
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
            status = session.scalar(
                select(SendClaim.status).where(SendClaim.kind == kind, SendClaim.key == key)
            )
            taken = session.execute(
                update(SendClaim)
                .where(
                    SendClaim.kind == kind,
                    SendClaim.key == key,
                    SendClaim.status == status,  # as read: says whether to look first
                    self._takeable(now),
                )
                .values(status="claimed", claimed_by=self.worker, claimed_at=now, retry_at=None)
            )
            if not taken.rowcount:  # type: ignore[attr-defined]
                return None
            return "retry" if status == "retry" else "taken over"

    def _takeable(self, now: datetime) -> Any:
        """A row nobody is sending: stale, or released and due again."""
        return or_(
            and_(SendClaim.status == "claimed", SendClaim.claimed_at < now - self.stale_after),
            and_(SendClaim.status.in_(("retry", "unsure")), SendClaim.retry_at <= now),
        )

    def due(self, limit: int = 100) -> list[tuple[str, str, dict[str, Any]]]:
        """`(kind, key, detail)` of rows that carry their message and may be sent now, oldest
        first (the messages the jobs rebuild on each tick carry none)."""
        found: list[tuple[str, str, dict[str, Any]]] = []
        with self.sessions() as session:
            rows = session.execute(
                select(SendClaim.kind, SendClaim.key, SendClaim.detail)
                .where(self._takeable(self.now()))
                .order_by(SendClaim.id)
            )
            for kind, key, detail in rows:
                if "message" in detail:
                    found.append((kind, key, dict(detail)))
                    if len(found) >= limit:
                        break
        return found

    def enqueue(self, session: Session, kind: str, key: str, detail: dict[str, Any]) -> None:
        """A row to send, written in the caller's transaction (with what it records), sent by
        whoever next calls `due()`."""
        now = self.now()
        session.execute(
            insert(SendClaim).values(
                kind=kind,
                key=key,
                status="retry",
                claimed_by=self.worker,
                claimed_at=now,
                retry_at=now,
                detail=detail,
            )
        )

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
            if self.claim(kind, key) or self.status(kind, key) in ("claimed", "retry", "unsure"):
                self.mark_sent(kind, key)

    def failed(
        self,
        kind: str,
        key: str,
        error: str,
        *,
        maybe_sent: bool = False,
        retry_after: float | None = None,
    ) -> bool:
        """The send failed: released to be tried again (`unsure` when Slack may have the
        message); False when it gave up for good. A wait Slack asked for is not an attempt."""
        now = self.now()
        with self.sessions() as session, session.begin():
            row = session.scalars(
                select(SendClaim).where(SendClaim.kind == kind, SendClaim.key == key)
            ).one()
            attempts = int(row.detail.get("attempts", 0)) + (retry_after is None)
            row.detail = {**row.detail, "attempts": attempts, "error": error[:500]}
            if attempts >= MAX_ATTEMPTS and not maybe_sent:
                row.status = "failed"
                return False
            if retry_after is not None:
                row.status, row.retry_at = "retry", now + timedelta(seconds=retry_after)
            elif maybe_sent:
                row.status, row.retry_at = "unsure", now + self.settle_after
            else:
                backoff = min(FIRST_BACKOFF * 2 ** (attempts - 1), self.stale_after)
                row.status, row.retry_at = "retry", now + backoff
            return True

    def _gave_up_looking(self, kind: str, key: str) -> None:
        """Slack could not be asked whether it has the message: look again later."""
        with self.sessions() as session, session.begin():
            session.execute(
                update(SendClaim)
                .where(SendClaim.kind == kind, SendClaim.key == key, SendClaim.status == "claimed")
                .values(status="unsure", retry_at=self.now() + self.settle_after)
            )

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
                            SendClaim.status.in_(DONE),
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

        A claim that may have been sent already (taken over from a process that died, or
        released after a lost answer) first asks `find_sent` whether the message is in Slack;
        found, it is marked sent instead of going out twice. `find_sent` raises when it cannot
        tell: the claim is left to look again later.

        An exception from `send` releases the claim as `bot.slack.taken` reads the error
        (`SlackUnavailableError.maybe_sent`, `.retry_after`) and propagates.
        """
        if self.status(kind, key) in DONE:
            return False
        claimed = self._claim(kind, key, detail)
        if claimed is None:
            return False
        if claimed == "taken over" and find_sent is not None:
            try:
                found = find_sent()
            except Exception:
                self._gave_up_looking(kind, key)
                raise
            if found is not None:
                log.info("%s %s was sent already; not sending it again", kind, key)
                self.mark_sent(kind, key, found)
                return True
        try:
            result = send()
        except Exception as error:
            unavailable = error if isinstance(error, SlackUnavailableError) else None
            retry = self.failed(
                kind,
                key,
                type(error.__cause__ or error).__name__,
                maybe_sent=bool(unavailable and unavailable.maybe_sent),
                retry_after=unavailable.retry_after if unavailable else None,
            )
            log.warning(
                "%s %s not sent (%s)%s",
                kind,
                key,
                type(error.__cause__ or error).__name__,
                "; will retry" if retry else "; giving up",
            )
            raise
        self.mark_sent(kind, key, result)
        return True


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
