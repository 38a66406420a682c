"""A local stand-in for the Slack Web API, over real HTTP, for end-to-end tests.

    with SlackStandIn() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.url)
        client.chat_postMessage(channel="C1", text="hi")
        assert slack.messages("C1")[0].text == "hi"

Serves, on 127.0.0.1 and a free port: the Web API under `/api/<method>` (see
`WebApi.methods()`; anything else answers `unknown_method`), the upload URLs that
`files.getUploadURLExternal` hands out (`/upload/<id>`), file downloads (`/files/<id>`,
bearer token) and response_urls (`/response/<id>`). Faults are injected per method
(`fail_next`) or for everything (`go_down`); answers are lost after the call was done
(`lose_next`, `lose_answers`: the message is kept, the answer dropped or late). Queries
return deep copies, taken under the lock the server holds while it answers, so tests never
see half an update.
"""

from __future__ import annotations

import copy
import random
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from typing import Any, TypeVar

from tests.support.standin_api import WebApi
from tests.support.standin_http import DEFAULT_ERRORS, Fault, Loss, LossRate, Router, StandInHandler
from tests.support.standin_responses import apply_view_ack
from tests.support.standin_socket import SocketModeStandIn
from tests.support.standin_state import (
    Call,
    Channel,
    Ephemeral,
    Message,
    ResponsePost,
    ResponseUrl,
    StoredFile,
    User,
    View,
    Workspace,
)

T = TypeVar("T")


class SlackStandIn:
    def __init__(
        self,
        *,
        tokens: tuple[str, ...] = ("xoxb-test",),
        app_tokens: tuple[str, ...] = ("xapp-test",),
        team_id: str = "T1",
        trigger_ttl: float = 3.0,
    ) -> None:
        self.team_id = team_id
        self._ws = Workspace(team_id=team_id)
        self._api = WebApi(self._ws, root_url="", trigger_ttl=trigger_ttl)
        self._router = Router(self._ws, self._api, set(tokens), app_tokens=set(app_tokens))
        self._socket_mode: SocketModeStandIn | None = None
        self._router.socket_url = lambda: self.socket_mode.open_url()
        self._lock = self._router.lock
        self._port = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> SlackStandIn:
        server = ThreadingHTTPServer(("127.0.0.1", self._port), StandInHandler)
        server.daemon_threads = False  # server_close() then joins request threads: no leaks
        server.router = self._router  # type: ignore[attr-defined]
        self._port = server.server_address[1]
        self._api.root_url = self.root
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"slack-standin:{self._port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; the Socket Mode side too, unless only the Web API goes down."""
        self._stop_http()
        if self._socket_mode is not None:
            self._socket_mode.stop()
            self._socket_mode = None

    def _stop_http(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def url(self) -> str:
        """The Web API base URL: `WebClient(base_url=...)` / `SLACK_API_URL`."""
        return f"{self.root}/api/"

    @property
    def socket_mode(self) -> SocketModeStandIn:
        """Slack's Socket Mode side, started on first use: `apps.connections.open` (with an
        app-level token) answers with a URL on it."""
        with self._lock:
            if self._socket_mode is None:
                self._socket_mode = SocketModeStandIn().start()
            return self._socket_mode

    def revoke_app_token(self, token: str) -> None:
        """`apps.connections.open` answers `invalid_auth` for `token` from now on."""
        with self._lock:
            self._router.app_tokens.discard(token)

    def grant_app_token(self, token: str) -> None:
        with self._lock:
            self._router.app_tokens.add(token)

    def hold(self, method: str) -> threading.Event:
        """Calls to `method` wait until the returned Event is set (at most 30 s)."""
        release = threading.Event()
        with self._lock:
            self._router.holds[method] = release
        return release

    def held(self, method: str) -> int:
        """How many calls to `method` have waited on `hold` so far."""
        with self._lock:
            return self._router.held.count(method)

    # -- what the workspace holds ---------------------------------------------------------

    def add_user(self, user_id: str, *, name: str, team: str | None = None, **extra: Any) -> None:
        """A person `users.info` knows (extra: real_name, tz, is_bot, deleted)."""
        with self._lock:
            self._ws.users[user_id] = User(user_id, name, team or self.team_id, **extra)

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str = "",
        members: tuple[str, ...] = (),
        is_private: bool = False,
    ) -> None:
        """Posting also works to unregistered ids; this gives conversations.info/members data."""
        with self._lock:
            self._ws.channels[channel_id] = Channel(
                channel_id, name or channel_id.lower(), is_private, members=list(members)
            )

    def add_token(self, token: str) -> None:
        with self._lock:
            self._router.tokens.add(token)

    def add_file(self, name: str, content: bytes, *, user: str = "U1", channel: str = "") -> str:
        """A file a person uploaded (for file_shared events); returns its id."""
        with self._lock:
            file_id = self._ws.next_id("F")
            self._ws.files[file_id] = StoredFile(
                id=file_id,
                name=name,
                title=name,
                length=len(content),
                user=user,
                url=f"{self.root}/files/{file_id}",
                content=content,
                channels=[channel] if channel else [],
                completed=True,
            )
            return file_id

    def share_file(
        self, file_id: str, channel: str, ts: str, *, thread_ts: str | None = None
    ) -> None:
        """The file appears in `channel` as the message `ts` (what `files.info` shares show),
        as a reply in the thread of `thread_ts` when given."""
        with self._lock:
            stored = self._ws.files[file_id]
            stored.share_ts[channel] = ts
            if thread_ts is not None:
                stored.share_thread[channel] = thread_ts
            if channel not in stored.channels:
                stored.channels.append(channel)

    def upload_to_channel(self, name: str, content: bytes, *, user: str, channel: str) -> str:
        """A person uploads a file into `channel`: the file, and the message that shows it
        there (its ts is the file's share, where replies about the file thread). Returns the
        file id; send `file_shared` with the driver next."""
        file_id = self.add_file(name, content, user=user, channel=channel)
        with self._lock:
            stored = self._ws.files[file_id]
            ts = self._ws.next_ts()
            self._ws.add_message(
                Message(
                    channel=channel,
                    ts=ts,
                    text="",
                    blocks=[],
                    user=user,
                    bot_id="",
                    files=[stored.to_api()],
                )
            )
            stored.share_ts[channel] = ts
        return file_id

    def issue_trigger(self, user: str = "U1") -> str:
        """A trigger_id that views.open / views.push accept once, within `trigger_ttl`."""
        with self._lock:
            return self._api.issue_trigger(user)

    def new_response_url(
        self, *, user: str | None = None, channel: str | None = None, message_ts: str | None = None
    ) -> str:
        """A response_url on this server; `message_ts` makes replace/delete_original work."""
        with self._lock:
            url_id = self._ws.next_id("R")
            self._ws.response_urls[url_id] = ResponseUrl(url_id, user, channel, message_ts)
        return f"{self.root}/response/{url_id}"

    def view_submitted(self, view_id: str, ack_body: Any) -> None:
        """Apply the app's answer to a view_submission (close, errors, update, push, clear)."""
        with self._lock:
            apply_view_ack(self._ws, view_id, ack_body)

    # -- faults ---------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """The next `times` calls to `method` ("*" for any method) fail with `status`.

        429 carries `Retry-After: <retry_after>` (whole seconds: slack_sdk parses it with
        int()). Status 200 with `error=` is a plain refusal (`channel_not_found`, ...).
        """
        fault = Fault(
            status=status,
            error=error or DEFAULT_ERRORS.get(status, "fatal_error"),
            retry_after=retry_after if status == 429 else None,
            remaining=times,
        )
        with self._lock:
            self._router.faults.setdefault(method, []).append(fault)

    def go_down(self, *, refuse_connections: bool = False) -> None:
        """Every request fails with 503, or (refuse_connections) nothing listens on the port."""
        with self._lock:
            self._router.down = True
        if refuse_connections:
            self._stop_http()

    def come_back(self) -> None:
        with self._lock:
            self._router.down = False
        if self._server is None:
            self.start()  # the same port, so `.url` and handed-out URLs stay valid

    def lose_next(self, method: str, *, kind: str = "drop", times: int = 1) -> None:
        """The next `times` calls to `method` ("*" for any) are done, but their answer is lost:
        `drop` closes the connection without one; `late` holds it until the client's timeout
        has closed the connection. What Slack does when a network or a load balancer fails
        after the message was posted."""
        assert kind in ("drop", "late")
        with self._lock:
            self._router.losses.setdefault(method, []).append(Loss(kind, times))

    def lose_answers(
        self, method: str = "*", *, drop: float = 0.0, late: float = 0.0, seed: int = 12
    ) -> None:
        """From now on, of the calls to `method`, a share `drop` lose their answer and a share
        `late` answer after the client gave up (a seeded draw, so a run can be replayed)."""
        with self._lock:
            self._router.loss_rates[method] = LossRate(drop, late, random.Random(seed))

    def keep_answers(self) -> None:
        """Stop losing answers."""
        with self._lock:
            self._router.losses.clear()
            self._router.loss_rates.clear()

    def set_latency(self, seconds: float, method: str = "*") -> None:
        """Answer `method` ("*" for all) only after `seconds`: a slow Slack."""
        with self._lock:
            self._router.latency[method] = seconds

    # -- queries (deep copies) ------------------------------------------------------------

    def _read(self, read: Callable[[Workspace], T]) -> T:
        with self._lock:
            return copy.deepcopy(read(self._ws))

    def messages(self, channel: str) -> list[Message]:
        """Top-level messages in posting order, as they are now (after updates)."""
        return self._read(lambda ws: ws.top_level(channel))

    def message(self, channel: str, ts: str) -> Message | None:
        """One message, top-level or in a thread, as it is now."""
        found = self._read(lambda ws: [m for m in ws.messages.get(channel, []) if m.ts == ts])
        return found[0] if found else None

    def thread(self, channel: str, ts: str) -> list[Message]:
        return self._read(lambda ws: ws.replies(channel, ts))

    def dms(self, user: str) -> list[Message]:
        return self._read(lambda ws: ws.top_level("D" + user[1:]))

    def ephemerals(self, user: str | None = None) -> list[Ephemeral]:
        """chat.postEphemeral and ephemeral response_url posts (see `.source`)."""
        return self._read(lambda ws: [e for e in ws.ephemerals if user in (None, e.user)])

    def views(self, user: str | None = None) -> list[View]:
        """Every modal opened or pushed, oldest first; `.is_open` tells which still are."""
        return self._read(
            lambda ws: [
                v for v in ws.views.values() if v.type == "modal" and user in (None, v.user)
            ]
        )

    def view(self, view_id: str) -> View | None:
        """A modal or Home tab by id."""
        return self._read(lambda ws: ws.views.get(view_id))

    def home(self, user: str) -> View | None:
        return self._read(lambda ws: ws.homes.get(user))

    def calls(self, method: str | None = None) -> list[Call]:
        """Every Web API call in arrival order, failed ones included (`.status`, `.error`)."""
        return self._read(lambda ws: [c for c in ws.calls if method in (None, c.method)])

    def responses(self) -> list[ResponsePost]:
        return self._read(lambda ws: list(ws.responses))

    def files(self) -> list[StoredFile]:
        return self._read(lambda ws: list(ws.files.values()))

    def warnings(self) -> list[dict[str, Any]]:
        """What Slack would have complained about without refusing (e.g. `missing_text`)."""
        return self._read(lambda ws: list(ws.warnings))

    def post_times(self) -> dict[str, list[float]]:
        """chat.postMessage arrivals (time.monotonic()) per channel, refused ones included."""
        return self._read(lambda ws: dict(ws.post_times))

    def max_rate_per_channel(self, window: float = 1.0) -> int:
        """Most chat.postMessage calls any one channel got within `window` seconds."""
        most = 0
        for times in self.post_times().values():
            start = 0
            for end, at in enumerate(times):
                while at - times[start] >= window:
                    start += 1
                most = max(most, end - start + 1)
        return most
