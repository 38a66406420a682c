"""Whatever Slack sends that no other listener takes: acknowledged, never left unanswered.

A button on a card drawn by an older version of the bot, a form opened before an upgrade, a
shortcut or event the app was given in Slack's settings but does not handle: unanswered, Slack
shows the person an error, and the Events API retries for an hour. Registered last, so a known
id always reaches its own listener first.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.deps import Deps
from bot.handlers.feedback import refuse
from bot.slack.payloads import can_respond

log = logging.getLogger(__name__)

ANY = re.compile(".*")
OLD_CONTROL = (
    "This control is from an older version of the bot, so nothing was changed. "
    "Use `/denials find CLAIM` to see the denial's card as it is now."
)


def register(app: App, deps: Deps) -> None:
    @app.action(ANY)
    def unknown_action(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        log.info("acknowledged an action no listener handles")
        if can_respond(body):
            deps.after_ack(lambda: refuse(respond, OLD_CONTROL), respond)

    @app.view(ANY)
    def unknown_form(ack: Ack) -> None:
        log.info("acknowledged a form no listener handles")
        ack()  # closes it; the next form opened is the current one

    @app.view_closed(ANY)
    def closed_form(ack: Ack) -> None:
        ack()

    @app.options(ANY)
    def unknown_menu(ack: Ack) -> None:
        ack(options=[])

    @app.shortcut(ANY)
    def unknown_shortcut(ack: Ack) -> None:
        ack()

    @app.command(ANY)
    def unknown_command(ack: Ack) -> None:
        ack(text="This command is not one of mine. Try `/denials help`.")

    @app.event(ANY)
    def any_other_event() -> None:
        """Events arrive acknowledged; one no listener wants needs nothing more."""
