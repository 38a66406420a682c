"""Bolt's App, where a request Slack sends again is acknowledged and not handled twice.

Slack repeats a request whose acknowledgement it did not get: an Events API retry over HTTP
(`X-Slack-Retry-Num`), a Socket Mode envelope redelivered with `retry_attempt` after the
connection dropped with the acknowledgement in flight. Handled twice, a click would update the
card and note it in the thread twice, a shared file would be imported twice. Every request
therefore passes `storage.receipts` once it is verified (a global middleware, after Bolt's
own), keyed by what stays the same across Slack's deliveries (`request_key`); and once Bolt
has answered, `dispatch` records that the acknowledgement went out, or forgets a request that
failed before acknowledging so that Slack's retry is handled. Both transports, one door.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import DatabaseBusyError
from storage.receipts import Receipts

log = logging.getLogger(__name__)

RECEIPT = "denials_receipt_key"  # where the key waits in the request's context


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
        self.use(self._first_delivery_only)

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        try:
            response = super().dispatch(req)
        except BaseException:
            self._settle(req, acknowledged=False)
            raise
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

    def _settle(self, req: BoltRequest, *, acknowledged: bool) -> None:
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


def _kind(key: str) -> str:
    return key.split(":", 1)[0]


def _retry(req: BoltRequest) -> str:
    attempt = (req.headers.get("x-slack-retry-num") or ["0"])[0]
    return f"retry {attempt}" if attempt != "0" else "no retry number"
