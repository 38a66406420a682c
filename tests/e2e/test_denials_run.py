"""`denials run` as a real process in HTTP mode: starts, serves Slack and /healthz, stops."""

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
from pathlib import Path

import pytest

from tests.e2e.slack_driver import SlackDriver
from tests.e2e.slack_standin import SlackStandIn

SECRET = "run-signing-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def bot_process(
    slack: SlackStandIn, database_url: str, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.url,
        "DENIALS_DATABASE_URL": database_url,
        "DENIALS_CHANNEL": "C0DENIALS",
        "PORT": str(port),
    }
    env.pop("SLACK_APP_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


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
    output = process.stdout.read().decode() if process.stdout else ""
    assert "serving Slack over HTTP" in output
    assert "stopping" in output
    assert "TESTPATIENT" not in output


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
