"""`/denials`: acknowledge at once, then answer ephemerally (unless `share`)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.blocks.due_list import due_list
from bot.handlers.deps import Deps
from bot.handlers.help_text import HELP_LINES
from bot.services.due import DueFilter, due_view

HELP_TITLE = "*/denials* commands:"


def register(app: App, deps: Deps) -> None:
    @app.command("/denials")
    def denials(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        words = str(command.get("text") or "").split()
        if words[:1] == ["due"]:
            days = int(words[1]) if len(words) > 1 and words[1].isdigit() else 14
            with deps.sessions() as session:
                view = due_view(session, today=deps.clock.today(), days=days, who=DueFilter())
            message = due_list(view)
            respond(text=message.text, blocks=message.blocks, response_type="ephemeral")
            return
        lines = [HELP_TITLE, *(f"`{usage}`  {what}" for usage, what in HELP_LINES)]
        respond(text="\n".join(lines), response_type="ephemeral")
