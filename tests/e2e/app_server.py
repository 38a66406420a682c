"""Serve a Bolt `App` over real HTTP with the standard library, on a background thread.

    with BoltHTTPServer(app) as server:       # 127.0.0.1, a free port
        SlackDriver(server.events_url, SIGNING_SECRET).slash("/denials", "help")

`POST /slack/events` goes to `app.dispatch(BoltRequest(...))`, exactly what Bolt's own
adapters do; `GET /healthz` answers 200. Bolt verifies the signature (401 otherwise),
acknowledges, and, unless the app was built with `process_before_response=True`, runs
the listener on its executor after the HTTP answer has gone.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import App, BoltRequest, BoltResponse

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
log = logging.getLogger(__name__)


class _BoltHandler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != self.server.events_path:
            self._send(BoltResponse(status=404, body="Not Found"))
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        headers: dict[str, str | Sequence[str]] = {
            name.lower(): self.headers.get_all(name) or [] for name in self.headers
        }
        request = BoltRequest(body=body, query=parts.query, headers=headers)
        try:
            response = self.server.app.dispatch(request)
        except Exception:  # Bolt handles listener errors; this is the last resort
            log.exception("Bolt dispatch failed")
            response = BoltResponse(status=500, body="")
        self._send(response)

    def do_GET(self) -> None:
        if urlsplit(self.path).path == HEALTH_PATH:
            self._send(BoltResponse(status=200, body="ok"))
        else:
            self._send(BoltResponse(status=404, body="Not Found"))

    def _send(self, response: BoltResponse) -> None:
        data = (response.body or "").encode("utf-8")
        self.send_response(response.status)
        for name, values in response.headers.items():
            if name.lower() != "content-length":
                for value in values:
                    self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins request threads

    def __init__(self, address: tuple[str, int], app: App, events_path: str) -> None:
        super().__init__(address, _BoltHandler)
        self.app = app
        self.events_path = events_path


class BoltHTTPServer:
    def __init__(
        self, app: App, host: str = "127.0.0.1", port: int = 0, events_path: str = EVENTS_PATH
    ) -> None:
        self._server = _Server((host, port), app, events_path)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def events_url(self) -> str:
        return self.url + self._server.events_path

    def start(self) -> BoltHTTPServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="bolt-http",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> BoltHTTPServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
