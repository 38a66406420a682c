"""HTTP mode: Slack's requests at POST /slack/events, GET /healthz for load balancers.

Nothing of a request is parsed before it is known to come from Slack: the body's size is
capped (413), the signature headers' form and the timestamp's age are checked without reading
the body, then the signature over the raw bytes (401); only then is the body decoded and
handed to Bolt (which checks the signature again, harmlessly). A refused request costs a
header check or one HMAC, is logged without its payload, and reaches no listener, so nothing
in it (a `response_url`, a user, an id) is ever acted on. waitress is a production WSGI server
in pure Python (no compiler, no extra process manager); it refuses larger bodies itself before
buffering them.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from sqlalchemy import text
from waitress import wasyncore
from waitress.server import create_server

from bot.deps import Deps
from bot.slack.signature import refuse, refuse_headers

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
DRAIN_SECONDS = 5
# The largest request Slack sends us embeds one of our own surfaces: a block action carries the
# card it was clicked on (a card is about 3 KB; Slack caps a message at 50 blocks of at most
# 3,000 characters), `app_home_opened` our Home tab (at most 100 blocks), a view submission our
# form and what was typed in it (a few inputs). 1 MiB holds the largest of them URL-encoded
# several times over, and keeps eight threads' bodies under 10 MB. (waitress allows 1 GiB.)
MAX_BODY_BYTES = 1 << 20
REFUSAL_LOG_EVERY = 60.0  # seconds: a flood of forged requests is one log line a minute


class WsgiApp:
    def __init__(self, app: App, deps: Deps, *, now: Callable[[], float] = time.time) -> None:
        self._app = app
        self._deps = deps
        self._secret = deps.settings.slack_signing_secret or ""
        self._now = now
        self.refusals = RefusalLog()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == HEALTH_PATH and method == "GET":
            return self._health(start_response)
        if path != EVENTS_PATH or method != "POST":
            return _plain(start_response, 404, "Not Found")
        return self._slack(environ, start_response)

    def _slack(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        size = _content_length(environ)
        if size is None or size > MAX_BODY_BYTES:
            return self._refused(environ, start_response, 413, "body larger than 1 MiB", size)
        request = WsgiHttpRequest(environ)
        headers = request.get_headers()
        timestamp = _header(headers, "x-slack-request-timestamp")
        signature = _header(headers, "x-slack-signature")
        reason = refuse_headers(timestamp, signature, self._now())  # before reading the body
        body = b""
        if reason is None:
            body = environ["wsgi.input"].read(size) if size else b""
            reason = refuse(self._secret, timestamp, signature, body, self._now())
        if reason is not None:
            return self._refused(environ, start_response, 401, reason, size)
        try:
            bolt_request = BoltRequest(
                body=body.decode("utf-8"), query=request.query_string, headers=headers
            )
        except Exception as error:  # signed, so Slack's; but not a body Bolt can read
            log.warning("a signed request could not be read: %s", type(error).__name__)
            return _plain(start_response, 400, "Bad Request")
        return _bolt(start_response, self._app.dispatch(bolt_request))

    def _refused(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        status: int,
        reason: str,
        size: int | None,
    ) -> Iterable[bytes]:
        self.refusals.note(status, reason, size, str(environ.get("REMOTE_ADDR") or "?"))
        return _plain(start_response, status, "Request Entity Too Large" if status == 413 else "")

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        body: dict[str, object]
        try:
            with self._deps.sessions() as session:
                session.execute(text("SELECT 1"))
            status, body = "200 OK", {"ok": True, "error": None}
        except Exception as error:  # any database failure means: take me out of rotation
            status = "503 Service Unavailable"
            body = {"ok": False, "error": type(error).__name__}
        payload = json.dumps(body).encode()
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        )
        return [payload]


class RefusalLog:
    """Counts refused requests by reason; logs the first of each reason, then one line a
    minute with how many more came, so a flood cannot fill the disk. Never the payload."""

    def __init__(self, every: float = REFUSAL_LOG_EVERY) -> None:
        self.counts: Counter[int] = Counter()  # HTTP status -> requests refused with it
        self._every = every
        self._lock = threading.Lock()
        self._since: dict[str, tuple[float, int]] = {}  # reason -> (last line, not yet logged)

    def note(self, status: int, reason: str, size: int | None, remote: str) -> None:
        now = time.monotonic()
        with self._lock:
            self.counts[status] += 1
            last, quiet = self._since.get(reason, (-self._every, 0))
            if now - last < self._every:
                self._since[reason] = (last, quiet + 1)
                return
            self._since[reason] = (now, 0)
        more = f"; {quiet} more since the last line" if quiet else ""
        log.warning(
            "refused a request to %s from %s: %s (HTTP %s, %s bytes%s)",
            EVENTS_PATH,
            remote,
            reason,
            status,
            "unknown" if size is None else size,
            more,
        )


def _content_length(environ: WSGIEnvironment) -> int | None:
    """The body's declared size; None when it is not a number (refused as too large)."""
    raw = str(environ.get("CONTENT_LENGTH") or "0").strip()
    return int(raw) if raw.isdecimal() and len(raw) <= 12 else None


def _header(headers: dict[str, Any], name: str) -> str | None:
    value = headers.get(name)
    return value if isinstance(value, str) else None


def _plain(start_response: StartResponse, status: int, body: str) -> Iterable[bytes]:
    return _bolt(start_response, BoltResponse(status=status, body=body))


def _bolt(start_response: StartResponse, response: BoltResponse) -> Iterable[bytes]:
    answer = WsgiHttpResponse(status=response.status, headers=response.headers, body=response.body)
    start_response(answer.status, answer.get_headers())
    return answer.get_body()


def serve_http(app: App, deps: Deps, *, host: str, port: int, **options: Any) -> Any:
    """A waitress server (not yet running): `.run()` blocks until `stop_http`; port 0 picks one.

    `.slack_endpoint` is the `WsgiApp` (its `refusals` count what was turned away)."""
    options.setdefault("max_request_body_size", MAX_BODY_BYTES + 1)  # it refuses from the limit on
    endpoint = WsgiApp(app, deps)
    server: Any = create_server(endpoint, host=host, port=port, threads=8, **options)
    server.slack_endpoint = endpoint
    return server


def stop_http(server: Any, *, from_other_thread: bool) -> None:
    """Finish the requests in flight, then close every socket.

    waitress's own `close()` shuts the wake-up pipe while worker threads may still use it; so
    the workers are drained first, and the sockets are closed inside the serving loop when it is
    still running in another thread (closing them under its `select` fails).
    """
    server.task_dispatcher.shutdown(timeout=DRAIN_SECONDS)
    if not from_other_thread:
        wasyncore.close_all(server._map)
        return
    closed = threading.Event()

    def close_in_loop() -> None:
        wasyncore.close_all(server._map)
        closed.set()

    server.trigger.pull_trigger(close_in_loop)
    closed.wait(DRAIN_SECONDS)
