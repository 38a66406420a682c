"""The HTTP side of the Slack stand-in: parse requests, inject faults, route, answer.

`Router.route(verb, path, headers, body)` turns one HTTP request into `(status, headers,
body)` under the stand-in's lock; `StandInHandler` is the `http.server` glue.
"""

from __future__ import annotations

import contextlib
import json
import random
import select
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.support.blockkit_limits import check_message, decode_json_field
from tests.support.standin_api import WebApi
from tests.support.standin_responses import apply_response
from tests.support.standin_state import ApiError, Call, ResponsePost, Workspace

JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata", "user_auth_blocks")
DEFAULT_ERRORS = {429: "ratelimited", 500: "internal_error", 503: "service_unavailable"}

Reply = tuple[int, dict[str, str], bytes]
LATE_AT_MOST = 30.0  # seconds a late answer waits for its client to give up: never hangs a run


@dataclass
class Fault:
    status: int
    error: str
    retry_after: int | None
    remaining: int


@dataclass
class Loss:
    """An answer that never arrives (`drop`: the connection closes without one) or arrives
    after the client gave up (`late`); either way the call itself was done."""

    kind: str  # "drop" or "late"
    remaining: int


@dataclass
class LossRate:
    drop: float
    late: float
    rng: random.Random


@dataclass
class Router:
    ws: Workspace
    api: WebApi
    tokens: set[str]
    lock: threading.RLock = field(default_factory=threading.RLock)
    faults: dict[str, list[Fault]] = field(default_factory=dict)  # method or "*" -> queue
    latency: dict[str, float] = field(default_factory=dict)
    holds: dict[str, threading.Event] = field(default_factory=dict)  # method -> until set
    held: list[str] = field(default_factory=list)  # methods of the calls that waited on a hold
    down: bool = False
    app_tokens: set[str] = field(default_factory=set)  # xapp-: apps.connections.open only
    socket_url: Callable[[], str] | None = None  # a new Socket Mode URL, when there is one
    losses: dict[str, list[Loss]] = field(default_factory=dict)  # method or "*" -> queue
    loss_rates: dict[str, LossRate] = field(default_factory=dict)  # method or "*" -> odds
    _answer: threading.local = field(default_factory=threading.local)  # this request's loss

    def route(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        parts = urlsplit(path)
        section, _, name = parts.path.strip("/").partition("/")
        with self.lock:
            if self.down:
                return json_reply(503, {"ok": False, "error": "service_unavailable"})
            if section == "api" and name:
                return self._web_api(name, parse_params(parts.query, headers, body), headers)
            if section == "upload" and verb == "POST":
                return self._upload(name, body)
            if section == "files" and verb == "GET":
                return self._download(name, headers)
            if section == "response" and verb == "POST":
                return self._respond(name, headers, body)
        return json_reply(404, {"ok": False, "error": "not_found"})

    def delay_for(self, path: str) -> float:
        method = urlsplit(path).path.removeprefix("/api/")
        with self.lock:
            return self.latency.get(method, self.latency.get("*", 0.0))

    def hold_for(self, path: str) -> threading.Event | None:
        method = urlsplit(path).path.removeprefix("/api/")
        with self.lock:
            hold = self.holds.get(method)
            if hold is not None and not hold.is_set():
                self.held.append(method)
            return hold

    def lost_answer(self) -> str | None:
        """What happens to the answer of the Web API call this thread just routed."""
        loss: str | None = getattr(self._answer, "loss", None)
        self._answer.loss = None
        return loss

    def _take_loss(self, method: str) -> str | None:
        for key in (method, "*"):
            queue = self.losses.get(key) or []
            if queue:
                loss = queue[0]
                loss.remaining -= 1
                if loss.remaining <= 0:
                    queue.pop(0)
                return loss.kind
        rate = self.loss_rates.get(method) or self.loss_rates.get("*")
        if rate is not None:
            draw = rate.rng.random()
            return "drop" if draw < rate.drop else "late" if draw < rate.drop + rate.late else None
        return None

    def _web_api(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> Reply:
        call = Call(method, params, time.monotonic())
        self.ws.calls.append(call)
        call.lost = self._answer.loss = self._take_loss(method)
        if method == "chat.postMessage":
            channel = str(params.get("channel", ""))
            channel = "D" + channel[1:] if channel[:1] in ("U", "W") else channel
            self.ws.post_times.setdefault(channel, []).append(call.at)
        fault = self._take_fault(method)
        if fault is not None:
            call.status, call.error = fault.status, fault.error
            retry = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            return json_reply(fault.status, {"ok": False, "error": fault.error}, retry)
        token = _bearer(headers) or str(params.pop("token", ""))
        params.pop("token", None)  # never keep a token in the call log
        try:
            if not token:
                raise ApiError("not_authed")
            if method == "apps.connections.open":
                answer = self._connections_open(token)
            elif token in self.app_tokens:
                raise ApiError("not_allowed_token_type")
            elif token not in self.tokens:
                raise ApiError("invalid_auth")
            else:
                answer = self.api.call(method, params)
        except ApiError as refusal:
            call.error = refusal.error
            answer = {"ok": False, "error": refusal.error, **refusal.extra}
        return json_reply(200, answer)

    def _connections_open(self, token: str) -> dict[str, Any]:
        """Socket Mode's door: an app-level token gets a websocket URL, a bot token is refused."""
        if token in self.tokens:
            raise ApiError("not_allowed_token_type")
        if token not in self.app_tokens:
            raise ApiError("invalid_auth")
        if self.socket_url is None:
            raise ApiError("internal_error")
        return {"ok": True, "url": self.socket_url()}

    def _take_fault(self, method: str) -> Fault | None:
        for key in (method, "*"):
            queue = self.faults.get(key) or []
            if queue:
                fault = queue[0]
                fault.remaining -= 1
                if fault.remaining <= 0:
                    queue.pop(0)
                return fault
        return None

    def _upload(self, file_id: str, body: bytes) -> Reply:
        stored = self.ws.files.get(file_id)
        if stored is None:
            return json_reply(404, {"ok": False, "error": "file_not_found"})
        stored.content = body
        return 200, {"Content-Type": "text/plain"}, f"OK - {len(body)}".encode()

    def _download(self, file_id: str, headers: dict[str, str]) -> Reply:
        stored = self.ws.files.get(file_id)
        if _bearer(headers) not in self.tokens or stored is None or stored.content is None:
            return 404, {"Content-Type": "text/plain"}, b"Not Found"
        return 200, {"Content-Type": "application/octet-stream"}, stored.content

    def _respond(self, url_id: str, headers: dict[str, str], body: bytes) -> Reply:
        target = self.ws.response_urls.get(url_id)
        if target is None:
            return json_reply(404, {"ok": False, "error": "no_service"})
        payload = parse_params("", headers, body)
        errors, _warnings = check_message(payload)
        if errors:
            return json_reply(400, {"ok": False, "error": "invalid_blocks", "errors": errors})
        post = ResponsePost(url_id, target.user, target.channel, payload, time.monotonic())
        self.ws.responses.append(post)
        try:
            apply_response(self.ws, target, payload)
        except ApiError as refusal:
            return json_reply(404, {"ok": False, "error": refusal.error})
        return json_reply(200, {"ok": True})


def _bearer(headers: dict[str, str]) -> str:
    return headers.get("authorization", "").removeprefix("Bearer ").strip()


def json_reply(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Reply:
    data = json.dumps(body).encode()
    return status, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}, data


def parse_params(query: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """Query string + body (form, JSON or multipart) -> one dict, JSON-in-form decoded."""
    params: dict[str, Any] = dict(parse_qsl(query))
    content_type = headers.get("content-type", "")
    if body and content_type.startswith("application/json"):
        decoded = json.loads(body)
        params.update(decoded if isinstance(decoded, dict) else {})
    elif body and content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + body)
        for part in message.iter_parts():
            raw = part.get_payload(decode=True)
            if part.get_filename() is None and isinstance(raw, bytes):
                params[str(part.get_param("name", header="content-disposition"))] = raw.decode()
    elif body:
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    if isinstance(params.get("payload"), str):  # response_url posts may be form `payload=`
        params.update(json.loads(params.pop("payload")))
    for key in JSON_FIELDS:
        if key in params:
            params[key] = decode_json_field(params[key])
    return params


class StandInHandler(BaseHTTPRequestHandler):
    """HTTP/1.0, one request per connection, so stopping the server never waits on idle peers."""

    def _handle(self, verb: str) -> None:
        router: Router = self.server.router  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        delay = router.delay_for(self.path)
        if delay:
            time.sleep(delay)
        hold = router.hold_for(self.path)
        if hold is not None:
            hold.wait(timeout=30)  # released by the test; never hangs a run
        status, reply_headers, data = router.route(verb, self.path, headers, body)
        loss = router.lost_answer()
        if loss == "drop":
            self.close_connection = True  # the call was done; its answer never leaves
            return
        if loss == "late" and not self._client_gave_up():
            return
        with contextlib.suppress(OSError):  # a late answer to a client that has gone
            self._answer(status, reply_headers, data)

    def _client_gave_up(self) -> bool:
        """Hold a late answer until the client stops waiting for it (its timeout closes the
        connection), rather than for a guessed number of seconds; True once it has."""
        ready, _, _ = select.select([self.connection], [], [], LATE_AT_MOST)
        return bool(ready)

    def _answer(self, status: int, reply_headers: dict[str, str], data: bytes) -> None:
        self.send_response(status)
        for key, value in reply_headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        self._handle("POST")

    def do_GET(self) -> None:
        self._handle("GET")

    def log_message(self, format: str, *args: Any) -> None:
        pass  # every call is recorded; stderr stays quiet
