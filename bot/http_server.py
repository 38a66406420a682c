"""HTTP mode: Slack's requests at POST /slack/events, GET /healthz for load balancers.

Bolt's WSGI adapter does the request verification; waitress is a production WSGI server in
pure Python (no compiler, no extra process manager).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text
from waitress import wasyncore
from waitress.server import create_server

from bot.deps import Deps

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
DRAIN_SECONDS = 5


class WsgiApp:
    def __init__(self, app: App, deps: Deps) -> None:
        self._slack = SlackRequestHandler(app, path=EVENTS_PATH)
        self._deps = deps

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            return self._health(start_response)
        return self._slack(environ, start_response)

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


def serve_http(app: App, deps: Deps, *, host: str, port: int, **options: Any) -> Any:
    """A waitress server (not yet running): `.run()` blocks until `stop_http`; port 0 picks one."""
    return create_server(WsgiApp(app, deps), host=host, port=port, threads=8, **options)


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
