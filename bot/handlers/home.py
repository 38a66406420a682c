"""App Home: "My denials" and the team summary, published when someone opens the tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.blocks.home import home_view
from bot.deps import Deps
from bot.handlers.help_text import HELP_LINES
from bot.services.home import home_for
from bot.slack.payloads import HomeOpened


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def publish_home(event: dict[str, Any]) -> None:
        opened = HomeOpened.parse(event)
        if opened.on_home_tab and opened.user:
            deps.after_ack(lambda: _publish(deps, opened.user))


def _publish(deps: Deps, user: str) -> None:
    view = home_for(deps.sessions, user, deps.clock.today(), HELP_LINES)
    deps.client.views_publish(user_id=user, view=home_view(view))
