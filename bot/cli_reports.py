"""`denials trends`, `denials patterns` and `denials find` in a terminal: the same answers as
the slash commands, from the same table, printed as text (`render_text`). The terminal counts
as a manager: whoever can read the database can already see everything in it."""

from __future__ import annotations

import getpass
from collections.abc import Sequence

from bot.blocks.plain_text import render_text
from bot.bootstrap import Runtime
from bot.commands.replies import CommandContext, Everyone, Reply
from bot.commands.table import answer
from bot.domain.actor import Actor
from bot.services.appeals import Appeals

TERMINAL_TEAM = "cli"
NOTHING = "Nothing to show."


def trends_command(runtime: Runtime, words: Sequence[str]) -> int:
    return _print(answer(" ".join(["trends", *words]), terminal_context(runtime)))


def patterns_command(runtime: Runtime, words: Sequence[str]) -> int:
    return _print(answer(" ".join(["patterns", *words]), terminal_context(runtime)))


def find_command(runtime: Runtime, claim: str) -> int:
    return _print(answer(f"find {claim}", terminal_context(runtime)))


def terminal_context(runtime: Runtime) -> CommandContext:
    """The command table at the terminal: a manager who sees everything, text only."""
    settings = runtime.settings
    return CommandContext(
        sessions=runtime.sessions,
        rulebook=runtime.rulebook,
        clock=runtime.clock,
        appeals=Appeals(runtime.sessions, settings.managers, runtime.rulebook.payer_rules),
        actor=Actor(team=TERMINAL_TEAM, user=_user(), is_manager=True),
        people=Everyone(),
        phi=settings.phi,
        charts=False,
    )


def _print(reply: Reply) -> int:
    """Exit 0 for an answer; 1 when the reply is only an explanation (bad input, no match)."""
    if reply.message is None:
        print(NOTHING)
        return 1
    print(render_text(reply.message.blocks), end="")
    return 0 if reply.ok else 1


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
