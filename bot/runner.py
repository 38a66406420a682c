"""`denials run`: check the settings, then serve Slack (Socket Mode or HTTP) and run the jobs."""

from __future__ import annotations

import logging
import signal
import sys
from types import FrameType

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.app import build_deps, create_app
from bot.config import Settings
from bot.http_server import serve_http, stop_http
from bot.jobs.scheduler import create_scheduler
from bot.services.slack_errors import explain

log = logging.getLogger(__name__)

HOW_TO = (
    "Create the Slack app from manifest.yml (api.slack.com/apps > Create New App > From a "
    "manifest), install it, then set the tokens in the environment or a .env file. "
    "See the README's 'Run it in Slack'."
)


def run_bot(settings: Settings) -> int:
    problems = settings.slack_problems()
    if problems:
        print(
            "denials run cannot start:\n" + "\n".join(f"- {p}" for p in problems), file=sys.stderr
        )
        print(HOW_TO, file=sys.stderr)
        return 2
    deps = build_deps(settings)
    try:
        identity = deps.client.auth_test()
    except SlackApiError as error:
        print(
            f"denials run cannot start: Slack refused the bot token ({explain(error)}).",
            file=sys.stderr,
        )
        return 2
    except (SlackClientError, OSError) as error:
        print(
            f"denials run cannot start: Slack could not be reached ({type(error).__name__}).",
            file=sys.stderr,
        )
        return 2
    log.info("connected to Slack as %s", identity.get("user"))
    app = create_app(settings, deps=deps)
    scheduler = create_scheduler(deps)
    signal.signal(signal.SIGTERM, _raise_stop)
    scheduler.start()
    try:
        if settings.slack_app_token:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            log.info("serving Slack over Socket Mode")
            handler = SocketModeHandler(app, settings.slack_app_token)
            try:
                handler.start()  # type: ignore[no-untyped-call]
            except _Stop:
                log.info("stopping")
            finally:
                handler.close()  # type: ignore[no-untyped-call]
        else:
            log.info(
                "serving Slack over HTTP on port %s (POST /slack/events, GET /healthz)",
                settings.port,
            )
            server = serve_http(app, deps, host="0.0.0.0", port=settings.port)  # noqa: S104
            try:
                server.run()
            except _Stop:
                log.info("stopping")
            finally:
                stop_http(server, from_other_thread=False)
    finally:
        scheduler.shutdown(wait=False)
        deps.after_ack.close()  # clicks already acknowledged are finished, not lost
    return 0


class _Stop(Exception):  # noqa: N818 - a signal, not an error
    """SIGTERM (a deploy, `docker stop`): leave the serving loop and shut down cleanly."""


def _raise_stop(_signum: int, _frame: FrameType | None) -> None:
    raise _Stop
