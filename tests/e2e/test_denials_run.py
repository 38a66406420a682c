"""`denials run` as a real process, in HTTP mode and in Socket Mode: starts, serves Slack (and
/healthz over HTTP), stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.slack_driver import SlackDriver
from tests.support.slack_standin import SlackStandIn
from tests.support.standin_socket import Link, SocketModeStandIn

SECRET = "run-signing-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_bot(database_url: str, cwd: Path, **settings: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DENIALS_DATABASE_URL": database_url, "DENIALS_CHANNEL": "C0DENIALS"}
    for name in ("SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "PORT"):
        env.pop(name, None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env={**env, "SLACK_BOT_TOKEN": "xoxb-test", **settings},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def stopped(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)
    if process.stdout:
        process.stdout.close()


@pytest.fixture
def bot_process(
    slack: SlackStandIn, database_url: str, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    process = start_bot(
        database_url,
        tmp_path,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.url,
        PORT=str(port),
    )
    try:
        yield process, port
    finally:
        stopped(process)


@dataclass(frozen=True)
class SocketModeBot:
    process: subprocess.Popen[bytes]
    link: Link  # its connection to the stand-in
    socket_mode: SocketModeStandIn
    driver: SlackDriver  # people, their commands sent as envelopes


@pytest.fixture
def socket_mode_process(
    slack: SlackStandIn, database_url: str, tmp_path: Path
) -> Iterator[SocketModeBot]:
    """`denials run` with an app token, connected to the stand-in's Socket Mode side."""
    socket_mode = slack.socket_mode
    process = start_bot(
        database_url, tmp_path, SLACK_APP_TOKEN="xapp-test", SLACK_API_URL=slack.url
    )
    try:
        link = socket_mode.wait_for(
            lambda: (socket_mode.links() and socket_mode.links()[-1]) or process.poll() is not None,
            30,
            "the bot's Socket Mode connection",
        )
        assert isinstance(link, Link), output(process)
        driver = SlackDriver("", "", standin=slack).over_socket_mode(socket_mode)
        yield SocketModeBot(process, link, socket_mode, driver)
    finally:
        stopped(process)


def output(process: subprocess.Popen[bytes]) -> str:
    return process.stdout.read().decode() if process.stdout else ""


def wait_healthy(port: int, timeout: float = 30) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            url = f"http://127.0.0.1:{port}/healthz"
            with urllib.request.urlopen(url, timeout=2) as answer:
                return dict(json.loads(answer.read()))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_denials_run_serves_slack_over_http_and_stops_on_sigterm(
    bot_process: tuple[subprocess.Popen[bytes], int], slack: SlackStandIn
) -> None:
    process, port = bot_process

    assert wait_healthy(port) == {"ok": True, "error": None}
    driver = SlackDriver(f"http://127.0.0.1:{port}/slack/events", SECRET, standin=slack)
    answer = driver.slash(text="help", user="UMARIA", channel="C0DENIALS")
    assert answer.status == 200
    reply = driver.wait_for(lambda: slack.responses(), what="help reply")[-1]
    assert "/denials due" in reply.text
    assert driver.with_forged_signature().slash(text="help").status == 401

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0
    said = output(process)
    assert "serving Slack over HTTP" in said
    assert "stopping" in said
    assert "TESTPATIENT" not in said


def test_denials_run_stops_on_sigterm_while_requests_are_arriving(
    bot_process: tuple[subprocess.Popen[bytes], int],
) -> None:
    """A SIGTERM landing inside waitress's socket handlers must still stop the process."""
    process, port = bot_process
    assert wait_healthy(port) == {"ok": True, "error": None}
    stop_asking = threading.Event()

    def keep_asking() -> None:
        while not stop_asking.is_set():
            try:
                url = f"http://127.0.0.1:{port}/healthz"
                with urllib.request.urlopen(url, timeout=2) as answer:
                    answer.read()
            except OSError:
                return  # the server has closed its socket: stopping worked

    askers = [threading.Thread(target=keep_asking) for _ in range(4)]
    for asker in askers:
        asker.start()
    try:
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        stop_asking.set()
        for asker in askers:
            asker.join(timeout=5)


def test_denials_run_serves_slack_over_socket_mode_and_stops_on_sigterm(
    socket_mode_process: SocketModeBot, slack: SlackStandIn
) -> None:
    process, link, driver = (
        socket_mode_process.process,
        socket_mode_process.link,
        socket_mode_process.driver,
    )

    assert driver.slash(text="help", user="UMARIA", channel="C0DENIALS").status == 200
    reply = driver.wait_for(lambda: slack.responses(), what="help reply")[-1]
    assert "/denials due" in reply.text

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0
    slack.socket_mode.wait_for(lambda: not link.is_open, 5, "the connection to close")
    assert link.close_code == 1000  # a close frame: Slack knows at once, nothing is lost
    said = output(process)
    assert "serving Slack over Socket Mode" in said
    assert "stopping" in said
    assert said.rstrip().endswith("stopped")  # the scheduler and the work in hand, then exit
    assert "xapp-test" not in said


def test_on_sigterm_an_acknowledged_command_is_still_answered_before_the_bot_exits(
    socket_mode_process: SocketModeBot, slack: SlackStandIn
) -> None:
    process, driver = socket_mode_process.process, socket_mode_process.driver
    slack.add_channel("C0DENIALS", members=("UMARIA",))
    slack.add_user("UJAMES", name="james")
    release = slack.hold("users.info")  # `due @james` asks Slack whether james is a person
    try:
        answer = driver.slash(text="due <@UJAMES|james>", user="UMARIA", channel="C0DENIALS")
        assert answer.status == 200
        driver.wait_for(lambda: slack.held("users.info"), what="the answer underway")

        process.send_signal(signal.SIGTERM)
        link = socket_mode_process.link
        slack.socket_mode.wait_for(lambda: not link.is_open, 15, "the connection to close")
        assert process.poll() is None  # still finishing the answer
    finally:
        release.set()

    driver.wait_for(lambda: slack.responses(), timeout=15, what="the answer to /denials due")
    assert process.wait(timeout=15) == 0
