"""Socket Mode, the default install: Slack's routine disruptions against the real bot.

The journeys themselves run over both transports (tests marked `both_transports`); here are the
things only Socket Mode has: the connection handshake, `disconnect` messages, dropped sockets,
pings, redelivered envelopes and a refused app token.
"""

from __future__ import annotations

import logging
import threading
import time

import pytest

from bot.app import create_app
from bot.config import Settings
from bot.runner import HOW_TO, run_bot
from bot.socket_mode import SocketModeServer
from tests.e2e.bot_harness import APP_TOKEN, CHANNEL, SOCKET_MODE, BotUnderTest
from tests.support.slack_standin import SlackStandIn

MARIA = "UMARIA"
BOT_THREADS = ("APScheduler", "socket-mode", "after-ack")


@pytest.fixture
def transport() -> str:
    return SOCKET_MODE


def help_is_answered(bot: BotUnderTest) -> None:
    before = len(bot.slack.responses())
    answer = bot.driver.slash(text="help", user=MARIA, channel=CHANNEL)
    assert answer.status == 200
    reply = bot.driver.wait_for(lambda: bot.slack.responses()[before:], what="the help reply")
    assert "/denials due" in reply[0].text


def test_the_bot_connects_with_the_app_token_and_is_greeted(bot: BotUnderTest) -> None:
    opened = bot.slack.calls("apps.connections.open")
    assert opened
    assert all(call.error is None for call in opened)
    (link,) = bot.slack.socket_mode.links()
    assert link.is_open
    assert bot.slack.socket_mode.ping(), "the bot did not answer Slack's ping"
    help_is_answered(bot)
    assert [ack.link for ack in bot.slack.socket_mode.acks()] == [1]


@pytest.mark.parametrize("reason", ["refresh_requested", "warning"])
def test_after_a_disconnect_message_the_bot_reconnects_and_handles_what_comes_next(
    bot: BotUnderTest, reason: str
) -> None:
    help_is_answered(bot)
    answered_at = time.monotonic()

    new = bot.slack.socket_mode.disconnect(reason)

    assert bot.slack.calls("apps.connections.open")[-1].at > answered_at  # a fresh URL
    assert [link.is_open for link in bot.slack.socket_mode.links()] == [False, True]
    help_is_answered(bot)
    assert bot.slack.socket_mode.acks()[-1].link == new.number


def test_after_the_connection_drops_the_bot_reconnects_and_handles_what_comes_next(
    bot: BotUnderTest,
) -> None:
    help_is_answered(bot)

    dropped = bot.slack.socket_mode.drop()

    socket_mode = bot.slack.socket_mode
    new = socket_mode.wait_for(
        lambda: len(socket_mode.links()) > dropped.number and socket_mode.links()[-1],
        5,  # well under the 40-50 s slack_sdk's built-in client took to notice
        "a new connection after the drop",
    )
    assert new.is_open
    help_is_answered(bot)
    assert socket_mode.acks()[-1].link == new.number


def test_a_connection_gone_silent_is_noticed_by_its_pings_and_reopened(bot: BotUnderTest) -> None:
    socket_mode = bot.slack.socket_mode
    brisk = SocketModeServer(create_app(bot.settings, deps=bot.deps), APP_TOKEN, ping_interval=0.3)
    brisk.start()  # a second connection, pinging every 0.3 s instead of every 10
    try:
        opened = socket_mode.wait_for(
            lambda: len(socket_mode.links()) == 2 and socket_mode.links()[-1], 10, "it to connect"
        )
        socket_mode.go_silent()

        socket_mode.wait_for(
            lambda: len(socket_mode.links()) > opened.number, 5, "a new connection"
        )
        help_is_answered(bot)  # on the newest connection: the one reopened
    finally:
        brisk.close()


def test_while_slack_refuses_a_new_connection_the_bot_says_why_and_keeps_trying(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.socket_mode")
    bot.slack.revoke_app_token(APP_TOKEN)  # revoked while the bot runs, then a routine drop
    dropped = bot.slack.socket_mode.drop()

    bot.driver.wait_for(
        lambda: (
            "Slack refused SLACK_APP_TOKEN (invalid_auth): not valid or was revoked" in caplog.text
        ),
        what="the reason in the log",
    )
    assert APP_TOKEN not in caplog.text
    bot.slack.grant_app_token(APP_TOKEN)  # a new token would need a restart; Slack relents
    socket_mode = bot.slack.socket_mode
    socket_mode.wait_for(
        lambda: len(socket_mode.links()) > dropped.number, 10, "the connection back"
    )
    help_is_answered(bot)


@pytest.mark.parametrize(
    ("bot_token", "app_token", "refused"),
    [
        ("xoxb-test", "xapp-revoked", "SLACK_APP_TOKEN (invalid_auth): not valid or was revoked"),
        ("xoxb-revoked", "xapp-test", "SLACK_BOT_TOKEN (invalid_auth): not valid; reinstall"),
    ],
)
def test_a_token_slack_refuses_stops_start_up_with_one_clear_message(
    slack: SlackStandIn,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    bot_token: str,
    app_token: str,
    refused: str,
) -> None:
    settings = Settings(
        SLACK_BOT_TOKEN=bot_token,
        SLACK_APP_TOKEN=app_token,
        SLACK_API_URL=slack.url,
        DENIALS_DATABASE_URL=database_url,
        DENIALS_CHANNEL=CHANNEL,
        _env_file=None,
    )

    assert run_bot(settings) == 2

    err = capsys.readouterr().err
    assert err.startswith(f"denials run cannot start:\n- Slack refused {refused}")
    assert HOW_TO in err
    assert app_token not in err  # tokens never reach the output
    assert bot_token not in err
    running = [t.name for t in threading.enumerate() if t.name.startswith(BOT_THREADS)]
    assert running == []  # no scheduler, no Socket Mode reader or workers
    assert slack.socket_mode.links() == []
