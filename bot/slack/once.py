"""Bolt's App, where a request Slack sends again is acknowledged and not handled twice.

Slack repeats a request whose acknowledgement it did not get: an Events API retry over HTTP
(`X-Slack-Retry-Num`), a Socket Mode envelope redelivered with `retry_attempt` after the
connection dropped with the acknowledgement in flight. Handled twice, a click would update the
card and note it in the thread twice, a shared file would be imported twice. Every request
therefore passes `storage.receipts` once it is verified (a global middleware, after Bolt's
own), keyed by what stays the same across Slack's deliveries (`request_key`); and once Bolt
has answered, `dispatch` records that the acknowledgement went out, or forgets a request that
failed before acknowledging so that Slack's retry is handled. Both transports, one door.

With the bot's after-ack pool (`later`), the receipt is not written before the answer: on SQLite
that write waited for the one write lock behind the clicks' own transactions (bench: p99
acknowledge 0.7-1.2 s under 50 concurrent requests). The keys this process has seen are kept in
memory, so a delivery it saw before is recognised at once; the receipt is written by the first
thing that needs it after the answer (the listener's after-ack work asks `Claim.won` before it
starts, see `bot.slack.after_ack.FIRST_DELIVERY`), so a request another replica already has is
still not handled twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import DatabaseBusyError
from bot.slack.after_ack import FIRST_DELIVERY
from storage.receipts import Receipts

log = logging.getLogger(__name__)

RECEIPT = "denials_receipt_key"  # where the key waits in the request's context
CLAIM = "denials_receipt_claim"
# Keys remembered in memory: Slack's retries of one request come within minutes (HTTP: at once,
# after 1 and after 5 minutes); the database row catches a later one.
REMEMBER_FOR = 3600.0


def request_key(body: dict[str, Any]) -> str | None:
    """What identifies a request across Slack's deliveries of it, or None when handling it twice
    is harmless (a URL check, options for a menu, a closed modal)."""
    team = body.get("team_id") or (body.get("team") or {}).get("id") or ""
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{team}:{body['event_id']}"
    trigger = body.get("trigger_id")
    if not trigger:
        return None
    kind = "command" if body.get("command") else str(body.get("type") or "interaction")
    return f"{kind}:{team}:{trigger}"  # a trigger is issued once per click, command or form


class Claim:
    """One request's receipt, written once, by whichever thread needs it first."""

    def __init__(self, receipts: Receipts, key: str) -> None:
        self.key = key
        self.seen_at = time.monotonic()
        self._receipts = receipts
        self._lock = threading.Lock()
        self._won: bool | None = None  # None: not written yet
        self._released = False

    def won(self) -> bool:
        """True when this process is the one to handle the request (writes the receipt once)."""
        with self._lock:
            if self._released:
                return True  # failed before acknowledging: nothing to write, as before
            if self._won is None:
                try:
                    self._won = self._receipts.first(self.key)
                except (SQLAlchemyError, DatabaseBusyError) as error:
                    log.warning(
                        "could not record a %s (%s); handling it",
                        _kind(self.key),
                        type(error).__name__,
                    )
                    self._won = True
                if not self._won:
                    log.info("a %s is handled by another replica; not here", _kind(self.key))
            return self._won

    def release(self) -> None:
        """Failed before acknowledging: forget it, so that Slack's retry is handled."""
        with self._lock:
            self._released = True
            if self._won:
                self._receipts.release(self.key)


class OnceApp(App):
    def __init__(
        self,
        receipts: Receipts,
        *,
        later: Callable[[Callable[[], object]], None] | None = None,
        **options: Any,
    ) -> None:
        """`later(work)` runs work after the answer went out (the bot's after-ack pool)."""
        super().__init__(**options)
        self._receipts = receipts
        self._later = later
        self._claims: OrderedDict[str, Claim] = OrderedDict()
        self._claims_lock = threading.Lock()
        self.use(self._first_delivery_only if later is None else self._first_seen_here)

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        scope = FIRST_DELIVERY.set(None)  # the middleware sets it for this request's listener
        try:
            response = super().dispatch(req)
        except BaseException:
            self._settle(req, acknowledged=False)
            raise
        finally:
            FIRST_DELIVERY.reset(scope)
        acknowledged = response.status == 200
        if acknowledged and self._later is not None:
            # Recording the acknowledgement is a second write on the database; done after the
            # answer is sent, it no longer waits for the write lock in front of Slack's three
            # seconds (bench: half the median acknowledge time under 50 concurrent requests).
            # A repeat meanwhile still finds the key and is skipped.
            self._later(lambda: self._settle(req, acknowledged=True))
        else:  # a failed request is forgotten before Slack retries it
            self._settle(req, acknowledged=acknowledged)
        return response

    def _first_delivery_only(
        self, req: BoltRequest, resp: BoltResponse, next: Callable[[], None]
    ) -> BoltResponse:
        key = request_key(req.body)
        if key is None:
            next()
            return resp
        try:
            first = self._receipts.first(key)
        except (SQLAlchemyError, DatabaseBusyError) as error:
            log.warning("could not record a %s (%s); handling it", _kind(key), type(error).__name__)
            next()
            return resp
        if not first:
            log.info(
                "a %s came again (%s); acknowledged, not handled twice", _kind(key), _retry(req)
            )
            return BoltResponse(status=200, body="")
        req.context[RECEIPT] = key
        next()
        return resp

    def _first_seen_here(
        self, req: BoltRequest, resp: BoltResponse, next: Callable[[], None]
    ) -> BoltResponse:
        """As `_first_delivery_only`, with no database write before the answer."""
        key = request_key(req.body)
        if key is None or self._later is None:
            next()
            return resp
        if req.body.get("type") == "view_submission":
            # A form stores its change before answering (a refusal keeps it open), so its
            # receipt must be in the database first, as before.
            return self._first_delivery_only(req, resp, next)
        now = time.monotonic()
        with self._claims_lock:
            stale: list[str] = []
            for seen_key, seen_claim in self._claims.items():  # oldest first
                if now - seen_claim.seen_at < REMEMBER_FOR:
                    break
                stale.append(seen_key)
            for seen_key in stale:
                del self._claims[seen_key]
            claim = self._claims.get(key)
            seen = claim is not None
            if claim is None:
                claim = self._claims[key] = Claim(self._receipts, key)
        if seen:
            log.info(
                "a %s came again (%s); acknowledged, not handled twice", _kind(key), _retry(req)
            )
            self._later(lambda: self._count_repeat(claim))
            return BoltResponse(status=200, body="")
        req.context[CLAIM] = claim
        FIRST_DELIVERY.set(claim.won)  # until `dispatch` returns: Bolt runs the listener after
        next()
        return resp

    def _count_repeat(self, claim: Claim) -> None:
        claim.won()  # this process's receipt goes in first, so the repeat cannot take it
        try:
            self._receipts.first(claim.key)  # counts the repeat (or takes over a stale row)
        except (SQLAlchemyError, DatabaseBusyError) as error:
            log.warning(
                "could not count a repeated %s (%s)", _kind(claim.key), type(error).__name__
            )

    def _settle(self, req: BoltRequest, *, acknowledged: bool) -> None:
        claim: Claim | None = req.context.get(CLAIM)
        if claim is not None:
            self._settle_claim(claim, acknowledged=acknowledged)
            return
        key = req.context.get(RECEIPT)
        if key is None:
            return
        try:
            if acknowledged:
                self._receipts.acknowledged(key)
            else:
                self._receipts.release(key)
        except (SQLAlchemyError, DatabaseBusyError) as error:
            log.warning("could not settle a %s (%s)", _kind(key), type(error).__name__)

    def _settle_claim(self, claim: Claim, *, acknowledged: bool) -> None:
        try:
            if not acknowledged:
                with self._claims_lock:
                    self._claims.pop(claim.key, None)
                claim.release()
            elif claim.won():
                self._receipts.acknowledged(claim.key)
        except (SQLAlchemyError, DatabaseBusyError) as error:
            log.warning("could not settle a %s (%s)", _kind(claim.key), type(error).__name__)


def _kind(key: str) -> str:
    return key.split(":", 1)[0]


def _retry(req: BoltRequest) -> str:
    attempt = (req.headers.get("x-slack-retry-num") or ["0"])[0]
    return f"retry {attempt}" if attempt != "0" else "no retry number"
