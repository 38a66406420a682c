"""Slack's Socket Mode side of the stand-in, over real websockets on 127.0.0.1.

    url = socket.open_url()                 # what apps.connections.open answers
    ...                                     # the app connects; it gets `hello`
    envelope_id = socket.deliver("interactive", payload)
    ack = socket.wait_ack(envelope_id)      # {"envelope_id", "payload"?} as the app sent it

Each URL carries a ticket that opens one connection, as Slack's do. Envelopes go to the newest
open connection. Slack's routine disruptions are played on demand: a `disconnect` message
(`refresh_requested`, `warning`, ...), after which the old connection is closed once the app has
opened a new one; a dropped connection (TCP closed, no close frame); a lost acknowledgement
(the app's ack arrives but counts as never received, so Slack would redeliver); a ping.

The websocket server is the `websockets` library's threaded one: a well-kept implementation
of RFC 6455, so framing, masking, close handshakes and pings are not ours to get wrong, and no
event loop is needed beside the threaded HTTP stand-in.
"""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

T = TypeVar("T")
ACK_WITHIN = 3.0  # Slack's limit: an envelope not acknowledged by then counts as failed


@dataclass
class Link:
    """One websocket connection the app opened, in opening order (`number` 1, 2, ...)."""

    number: int
    connection: ServerConnection
    opened_at: float
    closed_at: float | None = None
    close_code: int | None = None  # the app's close frame; None when the socket just went

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class Ack:
    envelope_id: str
    payload: dict[str, Any] | None
    delay: float  # seconds from sending the envelope to receiving its acknowledgement
    link: int
    lost: bool = False  # it reached the socket, but Slack is to act as if it never came


@dataclass
class _State:
    tickets: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    sent: dict[str, float] = field(default_factory=dict)  # envelope_id -> time.monotonic()
    acks: list[Ack] = field(default_factory=list)
    lose_acks: int = 0
    messages: list[dict[str, Any]] = field(default_factory=list)  # anything else the app sent


class SocketModeStandIn:
    def __init__(self, app_id: str = "A1") -> None:
        self.app_id = app_id
        self._state = _State()
        self._changed = threading.Condition()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> SocketModeStandIn:
        server = serve(
            self._serve,
            "127.0.0.1",
            0,
            process_request=self._check_ticket,
            ping_interval=None,  # Slack's pings are played by `ping()`, when a test asks
            close_timeout=1,
        )
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, name="slack-standin-socket", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
        if thread is not None:
            thread.join(timeout=5)

    @property
    def port(self) -> int:
        assert self._server is not None, "the Socket Mode stand-in is not started"
        return int(self._server.socket.getsockname()[1])

    def open_url(self) -> str:
        """A new single-use connection URL, as `apps.connections.open` hands out."""
        ticket = secrets.token_hex(8)
        with self._changed:
            self._state.tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    # -- what Slack sends -----------------------------------------------------------------

    def deliver(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        envelope_id: str | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = 10.0,
    ) -> str:
        """Send an envelope (`slash_commands`, `interactive`, `events_api`) to the newest open
        connection, waiting up to `timeout` for one; returns its envelope_id."""
        envelope_id = envelope_id or secrets.token_hex(16)
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": _accepts_response_payload(kind, payload),
        }
        if kind == "events_api" or retry_attempt:
            envelope.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        link = self.wait_for(self._newest_open, timeout, "an open Socket Mode connection")
        with self._changed:
            self._state.sent[envelope_id] = time.monotonic()
        link.connection.send(json.dumps(envelope))
        return envelope_id

    def disconnect(self, reason: str = "refresh_requested", timeout: float = 10.0) -> Link:
        """Slack's `disconnect` message; once the app has opened a new connection, the old one
        is closed (as Slack does a few seconds later). Returns the new connection."""
        old = self.wait_for(self._newest_open, timeout, "an open Socket Mode connection")
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "standin"}}
        old.connection.send(json.dumps(message))
        new = self.wait_for(
            lambda: (link := self._newest_open()) and link.number > old.number and link,
            timeout,
            f"a new connection after disconnect ({reason})",
        )
        old.connection.close()
        self.wait_for(lambda: not old.is_open, timeout, "the old connection to close")
        return new

    def drop(self, timeout: float = 10.0) -> Link:
        """The connection goes away without a close frame (a NAT timing out, a network blip)."""
        link = self.wait_for(self._newest_open, timeout, "an open Socket Mode connection")
        link.connection.socket.shutdown(socket.SHUT_RDWR)
        return link

    def go_silent(self, timeout: float = 10.0) -> Link:
        """The newest connection stays open but nothing comes back on it, not even a pong:
        a NAT or proxy that dropped it without telling either side."""
        link = self.wait_for(self._newest_open, timeout, "an open Socket Mode connection")
        link.connection.protocol.send_frame = lambda _frame: None  # type: ignore[method-assign]
        return link

    def lose_next_ack(self, count: int = 1) -> None:
        """The next `count` acknowledgements reach the socket but count as never received."""
        with self._changed:
            self._state.lose_acks += count

    def ping(self, timeout: float = 5.0) -> bool:
        """Ping the newest connection, as Slack does; True when the app answered pong."""
        link = self.wait_for(self._newest_open, timeout, "an open Socket Mode connection")
        return link.connection.ping().wait(timeout)

    # -- what the app did -----------------------------------------------------------------

    def links(self) -> list[Link]:
        with self._changed:
            return list(self._state.links)

    def acks(self) -> list[Ack]:
        """Acknowledgements Slack received (lost ones are left out), in arrival order."""
        with self._changed:
            return [ack for ack in self._state.acks if not ack.lost]

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> Ack:
        """The acknowledgement of `envelope_id` as it arrived (lost or not)."""
        return self.wait_for(
            lambda: next((a for a in self._state.acks if a.envelope_id == envelope_id), None),
            timeout,
            f"the acknowledgement of envelope {envelope_id}",
        )

    def wait_for(self, predicate: Callable[[], T | None], timeout: float, what: str) -> T:
        """Wait for `predicate()` (called under the lock) to be truthy, woken by every change."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                result = predicate()
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
                self._changed.wait(left)

    # -- the server's side ----------------------------------------------------------------

    def _newest_open(self) -> Link | None:
        return next((link for link in reversed(self._state.links) if link.is_open), None)

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        parts = urlsplit(request.path)
        ticket = (parse_qs(parts.query).get("ticket") or [""])[0]
        with self._changed:
            if parts.path.rstrip("/") == "/link" and ticket in self._state.tickets:
                self._state.tickets.discard(ticket)
                return None
        return connection.respond(403, "invalid or used ticket\n")

    def _serve(self, connection: ServerConnection) -> None:
        with self._changed:
            link = Link(len(self._state.links) + 1, connection, time.monotonic())
            self._state.links.append(link)
            self._changed.notify_all()
        hello = {
            "type": "hello",
            "num_connections": sum(1 for each in self.links() if each.is_open),
            "debug_info": {"host": "standin", "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.app_id},
        }
        try:
            connection.send(json.dumps(hello))
            for raw in connection:
                self._received(link, json.loads(raw))
        except ConnectionClosed:
            pass
        finally:
            received = connection.protocol.close_rcvd
            with self._changed:
                link.closed_at = time.monotonic()
                link.close_code = received.code if received is not None else None
                self._changed.notify_all()

    def _received(self, link: Link, message: dict[str, Any]) -> None:
        with self._changed:
            envelope_id = message.get("envelope_id")
            if isinstance(envelope_id, str) and envelope_id in self._state.sent:
                lost = self._state.lose_acks > 0
                self._state.lose_acks -= 1 if lost else 0
                delay = time.monotonic() - self._state.sent[envelope_id]
                self._state.acks.append(
                    Ack(envelope_id, message.get("payload"), delay, link.number, lost)
                )
            else:
                self._state.messages.append(message)
            self._changed.notify_all()


def _accepts_response_payload(kind: str, payload: dict[str, Any]) -> bool:
    """Slack waits for a payload in the ack of slash commands, view submissions and option
    requests; block actions and events are answered through the Web API instead."""
    if kind == "slash_commands":
        return True
    return kind == "interactive" and payload.get("type") in ("view_submission", "block_suggestion")
