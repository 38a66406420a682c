"""`denials trends`, `denials patterns`, `denials find` and `denials audit` in a terminal: the
same answers as the slash commands, from the same table, printed as text (`render_text`). The
terminal counts as a manager: whoever can read the database can already see everything in it."""

from __future__ import annotations

import getpass
from collections.abc import Sequence

from bot.blocks.history import history_blocks
from bot.blocks.plain_text import render_text
from bot.bootstrap import Runtime
from bot.commands.replies import CommandContext, Everyone, Reply
from bot.commands.table import answer
from bot.domain.actor import Actor
from bot.services.appeals import Appeals
from bot.services.claim_search import lookup_claim
from bot.services.history import denial_history

TERMINAL_TEAM = "cli"
NOTHING = "Nothing to show."


def trends_command(runtime: Runtime, words: Sequence[str]) -> int:
    return _print(answer(" ".join(["trends", *words]), terminal_context(runtime)))


def patterns_command(runtime: Runtime, words: Sequence[str]) -> int:
    return _print(answer(" ".join(["patterns", *words]), terminal_context(runtime)))


def find_command(runtime: Runtime, claim: str) -> int:
    return _print(answer(f"find {claim}", terminal_context(runtime)))


def audit_command(runtime: Runtime, claim: str) -> int:
    """A denial's whole history: the terminal lists every event, not the latest 40. A claim
    that names no denial, or several, is answered as `/denials history` answers it."""
    found = lookup_claim(runtime.sessions, claim).one
    history = denial_history(runtime.sessions, found.denial_id, limit=None) if found else None
    if history is None:
        return _print(answer(f"history {claim}", terminal_context(runtime)))
    blocks = [block.to_dict() for block in history_blocks(history, runtime.clock.zone)]
    print(render_text(blocks), end="")
    return 0


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
