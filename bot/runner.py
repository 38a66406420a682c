"""`denials run`: check the settings, then serve Slack (Socket Mode or HTTP) and run the jobs."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import FrameType
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.app import build_deps, create_app
from bot.bootstrap import build_runtime
from bot.config import Settings
from bot.deps import Deps
from bot.http_server import serve_http, stop_http
from bot.jobs.scheduler import create_scheduler
from bot.slack.advice import refused_token
from bot.socket_mode import UNREACHABLE, SocketModeServer

log = logging.getLogger(__name__)

HOW_TO = (
    "Create the Slack app from manifest.yml (api.slack.com/apps > Create New App > From a "
    "manifest), install it, then set the tokens in the environment or a .env file. "
    "See the README's 'Run it in Slack'."
)


def run_bot(settings: Settings) -> int:
    problems = settings.slack_problems()
    if problems:
        return _cannot_start(problems)
    runtime = build_runtime(settings)
    try:
        return _run(settings, build_deps(settings, runtime=runtime))
    finally:
        runtime.close()  # the database connections, whether the bot ran or could not start


def _run(settings: Settings, deps: Deps) -> int:
    try:
        identity = deps.client.auth_test()
    except SlackApiError as error:
        return _cannot_start([refused_token("SLACK_BOT_TOKEN", error)])
    except (SlackClientError, OSError) as error:
        return _unreachable(error)
    log.info("connected to Slack as %s", identity.get("user"))
    deps.people.warm()
    app = create_app(settings, deps=deps)
    socket_mode: SocketModeServer | None = None
    if settings.slack_app_token:
        socket_mode = SocketModeServer(app, settings.slack_app_token)
        try:
            socket_mode.start()  # before the scheduler: a refused app token starts nothing
        except SlackApiError as error:
            return _cannot_start([refused_token("SLACK_APP_TOKEN", error)])
        except UNREACHABLE as error:
            return _unreachable(error)
    scheduler = create_scheduler(deps)
    scheduler.start()
    try:
        if socket_mode is not None:
            _serve_socket_mode(socket_mode)
        else:
            _serve_http(app, deps, settings.port)
    finally:
        scheduler.shutdown(wait=False)
        deps.after_ack.close()  # clicks already acknowledged are finished, not lost
        log.info("stopped")
    return 0


def _cannot_start(problems: list[str]) -> int:
    """Every refusal of `denials run` reads the same: each problem, then how to fix them."""
    print("denials run cannot start:\n" + "\n".join(f"- {p}" for p in problems), file=sys.stderr)
    print(HOW_TO, file=sys.stderr)
    return 2


def _unreachable(error: Exception) -> int:
    print(
        f"denials run cannot start: Slack could not be reached ({type(error).__name__}).",
        file=sys.stderr,
    )
    return 2


def _serve_socket_mode(server: SocketModeServer) -> None:
    """Wait for SIGTERM (a deploy, `docker stop`) or Ctrl-C, then close the connection.

    The handler only sets an Event: the main thread does nothing else here, and the socket is
    closed on this thread, never from inside a signal handler.
    """
    log.info("serving Slack over Socket Mode")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    try:
        while not stop.wait(1.0):
            pass
        log.info("stopping")
    finally:
        server.close()


def _serve_http(app: App, deps: Deps, port: int) -> None:
    log.info("serving Slack over HTTP on port %s (POST /slack/events, GET /healthz)", port)
    server = serve_http(app, deps, host="0.0.0.0", port=port)  # noqa: S104
    stopper = _HttpStopper(server)
    signal.signal(signal.SIGTERM, stopper.request)
    try:
        server.run()
    finally:
        stopper.finish()


class _HttpStopper:
    """SIGTERM (a deploy, `docker stop`) in HTTP mode: drain, close the sockets, leave the loop.

    Raising from the signal handler is not enough here: waitress's loop catches every
    exception but SystemExit and KeyboardInterrupt inside its socket handlers, so a signal
    landing there was logged and ignored and the process kept serving. A thread closes the
    server through the loop's own wake-up trigger instead, wherever the main thread is.
    """

    def __init__(self, server: Any) -> None:
        self._server = server
        self._thread = threading.Thread(
            target=stop_http, args=(server,), kwargs={"from_other_thread": True}, daemon=True
        )
        self._requested = threading.Event()

    def request(self, _signum: int, _frame: FrameType | None) -> None:
        if self._requested.is_set():
            return
        self._requested.set()
        log.info("stopping")
        self._thread.start()

    def finish(self) -> None:
        """After the loop returns: wait for a requested stop, or close the server ourselves."""
        if self._requested.is_set():
            self._thread.join()
        else:
            stop_http(self._server, from_other_thread=False)
