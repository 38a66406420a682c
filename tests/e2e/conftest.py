"""End-to-end fixtures: a Slack stand-in per test, drivers aimed at it, Bolt apps served."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.bootstrap import Runtime
from bot.clock import Clock
from tests.e2e.app_server import BoltHTTPServer
from tests.e2e.bot_harness import (
    HTTP,
    TODAY,
    TRANSPORTS,
    BotUnderTest,
    e2e_settings,
    rulebook_for,
    running_bot,
)
from tests.e2e.slack_driver import SlackDriver
from tests.support.slack_standin import SlackStandIn

BOT_TOKEN = "xoxb-test"
SIGNING_SECRET = "e2e-signing-secret"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "both_transports: run the journey over HTTP and again over Socket Mode (the `bot` "
        "fixture), to show both ways Slack reaches the bot behave the same",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "transport" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_transports"
    ):
        metafunc.parametrize("transport", TRANSPORTS, indirect=True)


@pytest.fixture
def transport(request: pytest.FixtureRequest) -> str:
    """How the `bot` fixture is reached: HTTP, unless the test is marked `both_transports`."""
    return str(getattr(request, "param", HTTP))


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    """A started Slack stand-in that knows the token `xoxb-test`; stopped after the test."""
    with SlackStandIn(tokens=(BOT_TOKEN,)) as standin:
        yield standin


@pytest.fixture
def web_client(slack: SlackStandIn) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=slack.url)


@pytest.fixture
def driver_factory(slack: SlackStandIn) -> Callable[..., SlackDriver]:
    """`driver_factory(app_url, signing_secret=SIGNING_SECRET, **options)` -> SlackDriver."""

    def make(app_url: str, signing_secret: str = SIGNING_SECRET, **options: Any) -> SlackDriver:
        return SlackDriver(app_url, signing_secret, standin=slack, **options)

    return make


@pytest.fixture
def listener_executor(slack: SlackStandIn) -> Iterator[ThreadPoolExecutor]:
    """Give it to `App(listener_executor=...)`: teardown waits for listeners still running,
    so none of them talks to a stand-in that has already stopped."""
    executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="bolt-listener")
    yield executor
    executor.shutdown(wait=True, cancel_futures=False)


@pytest.fixture
def serve_app() -> Iterator[Callable[[App], BoltHTTPServer]]:
    """`serve_app(app)` serves a Bolt App on 127.0.0.1 until the test ends."""
    servers: list[BoltHTTPServer] = []

    def serve(app: App) -> BoltHTTPServer:
        server = BoltHTTPServer(app).start()
        servers.append(server)
        return server

    yield serve
    for server in servers:
        server.stop()


@pytest.fixture
def bot(
    slack: SlackStandIn, database_url: str, sessions: sessionmaker[Session], transport: str
) -> Iterator[BotUnderTest]:
    """The real bot, its Slack pointed at the stand-in, on the test database: served over HTTP
    on 127.0.0.1, or connected to the stand-in over Socket Mode (`transport`)."""
    settings = e2e_settings(database_url, slack, transport)
    runtime = Runtime(
        settings, sessions.kw["bind"], sessions, rulebook_for(settings), Clock(settings.zone, TODAY)
    )
    with running_bot(settings, slack, runtime) as running:
        yield running
