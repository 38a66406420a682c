"""The real bot under test: `create_app` served as `denials run` serves it, by the production
HTTP server on 127.0.0.1:0 or over Socket Mode to the stand-in's websocket, its Slack client
pointed at the local stand-in, a migrated database behind it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.app import build_deps, create_app
from bot.bootstrap import Runtime
from bot.clock import Clock
from bot.config import Settings
from bot.deps import Deps
from bot.domain.rulebook import Rulebook
from bot.http_server import EVENTS_PATH, serve_http, stop_http
from bot.services.importing import FileOutcome, ImportContext, import_file
from bot.services.posting import PostReport
from bot.socket_mode import SocketModeServer
from tests.e2e.slack_driver import SlackDriver
from tests.support.slack_standin import SlackStandIn

BOT_TOKEN = "xoxb-test"
APP_TOKEN = "xapp-test"
HTTP, SOCKET_MODE = "http", "socket_mode"
TRANSPORTS = (HTTP, SOCKET_MODE)
CHANNEL = "C0DENIALS"
MANAGER = "UMANAGER"
STAFF = ("UMARIA", "UJAMES")
TODAY = date(2026, 11, 30)


@dataclass
class BotUnderTest:
    settings: Settings
    deps: Deps
    slack: SlackStandIn
    driver: SlackDriver
    url: str  # HTTP: where the bot listens; Socket Mode: ""
    transport: str = HTTP
    server: Any = None  # HTTP: the waitress server (`.slack_endpoint.refusals`)

    def import_bytes(self, data: bytes, name: str) -> FileOutcome:
        context = ImportContext(
            sessions=self.deps.sessions,
            rulebook=self.deps.rulebook,
            actor="cli:test",
            now=self.deps.clock.now(),
            today=self.deps.clock.today(),
            alert_channel=self.settings.channel,
        )
        return import_file(data, context, file_name=name)

    def post_cards(self) -> PostReport:
        return self.deps.poster.post_pending()

    def cards(self) -> list[Any]:
        return self.slack.messages(CHANNEL)

    def share_in_channel(self, name: str, data: bytes, *, user: str, text: str) -> tuple[str, str]:
        """`user` uploads a file and shares it in the denials channel with a message, as a
        person does (the bot still has to be told: `driver.file_shared`): the file's id and
        the message's ts, whose thread the bot answers in."""
        file_id = self.slack.add_file(name, data, user=user, channel=CHANNEL)
        share = self.deps.client.chat_postMessage(channel=CHANNEL, text=text)
        self.slack.share_file(file_id, CHANNEL, str(share["ts"]))
        return file_id, str(share["ts"])


@contextmanager
def running_bot(
    settings: Settings,
    slack: SlackStandIn,
    runtime: Runtime,
    *,
    today: date = TODAY,
    post_interval: float = 0.0,
    client: WebClient | None = None,
) -> Iterator[BotUnderTest]:
    """Over Socket Mode when `settings` has an app token, as `denials run` decides.

    `client`: the bot's Slack client (default: a plain one on the stand-in, no retries)."""
    slack.add_channel(CHANNEL, name="denials", members=(MANAGER, *STAFF))
    for user in (MANAGER, *STAFF):
        slack.add_user(user, name=user.lower()[1:], team="T1")
    client = client or WebClient(token=BOT_TOKEN, base_url=slack.url)
    clock = Clock(runtime.clock.zone, today)
    runtime = Runtime(runtime.settings, runtime.engine, runtime.sessions, runtime.rulebook, clock)
    deps = build_deps(settings, client=client, runtime=runtime, post_interval=post_interval)
    app = create_app(settings, deps=deps)
    serve = _over_socket_mode if settings.slack_app_token else _over_http
    try:
        with serve(app, deps, slack) as (driver, url, server):
            transport = SOCKET_MODE if settings.slack_app_token else HTTP
            yield BotUnderTest(settings, deps, slack, driver, url, transport, server)
    finally:
        deps.after_ack.close()  # no listener talks to a stand-in that has stopped


@contextmanager
def _over_http(app: App, deps: Deps, slack: SlackStandIn) -> Iterator[tuple[SlackDriver, str, Any]]:
    server = serve_http(app, deps, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, name="bot-http", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.effective_port}"
    secret = deps.settings.slack_signing_secret or ""
    driver = SlackDriver(url + EVENTS_PATH, secret, standin=slack, team_id="T1")
    try:
        yield driver, url, server
    finally:
        stop_http(server, from_other_thread=True)
        thread.join(timeout=5)


@contextmanager
def _over_socket_mode(
    app: App, deps: Deps, slack: SlackStandIn
) -> Iterator[tuple[SlackDriver, str, Any]]:
    socket_mode = slack.socket_mode
    opened = len(socket_mode.links())
    server = SocketModeServer(app, deps.settings.slack_app_token or "")
    server.start()
    try:
        socket_mode.wait_for(
            lambda: len(socket_mode.links()) > opened, 10, "the bot's Socket Mode connection"
        )
        driver = SlackDriver("", "", standin=slack, team_id="T1").over_socket_mode(socket_mode)
        yield driver, "", server
    finally:
        server.close()


def e2e_settings(database_url: str, slack: SlackStandIn, transport: str = HTTP) -> Settings:
    """HTTP mode's signing secret, or Socket Mode's app token (then no signing secret)."""
    over_socket_mode = transport == SOCKET_MODE
    return Settings(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=None if over_socket_mode else "e2e-signing-secret",
        SLACK_APP_TOKEN=APP_TOKEN if over_socket_mode else None,
        SLACK_API_URL=slack.url,
        DENIALS_DATABASE_URL=database_url,
        DENIALS_CHANNEL=CHANNEL,
        DENIALS_MANAGERS=MANAGER,
        _env_file=None,
    )


def rulebook_for(settings: Settings) -> Rulebook:
    return Rulebook.from_settings(settings)
