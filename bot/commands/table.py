"""The `/denials` subcommand table: it parses, checks who may run it, answers, and writes the
help. One row per subcommand, so the help cannot drift from what dispatches.

`answer(text, ctx)` is the whole command: unknown words fall back to help; bad input answers
with what was wrong and the usage; refusals are polite; only a successful answer is shared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from bot.blocks.command_replies import help_message, plain, usage_error
from bot.commands import answers, changes, letters
from bot.commands.parse import (
    parse_appeal,
    parse_assign,
    parse_categorize,
    parse_due,
    parse_find,
    parse_help,
    parse_letter,
    parse_outcome,
    parse_patterns,
    parse_trends,
)
from bot.commands.records import log_request, parse_request
from bot.commands.replies import CommandContext, Reply
from bot.commands.requests import HelpRequest
from bot.commands.words import Word, split_words
from bot.domain.bounds import MAX_COMMAND_CHARS
from bot.errors import DenialsError, InputError
from bot.services.access import Need

COMMAND = "/denials"
TOO_LONG = (
    "That is {length:,} characters: a `/denials` command fits in {limit:,}. "
    "Put a long note in the card's thread instead."
)
SHARE = "share"

Parser = Callable[[list[Word], str, date], Any]
Runner = Callable[[Any, CommandContext], Reply]


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str  # after `/denials `
    summary: str
    example: str
    parse: Parser
    run: Runner
    managers_only: str | None = None  # what managers may do, for the refusal
    everyone: bool = False  # no channel membership needed

    @property
    def full_usage(self) -> str:
        return f"{COMMAND} {self.usage}"

    @property
    def need(self) -> tuple[Need, str]:
        """Who may run it (checked for every request by `bot.handlers.access`), and what it is
        called when someone may not."""
        if self.managers_only:
            return Need.MANAGER, self.managers_only
        return (Need.ANYONE if self.everyone else Need.MEMBER), f"`{COMMAND} {self.name}`"


def run_help(request: HelpRequest, ctx: CommandContext) -> Reply:
    topic = find_subcommand(request.topic or "")
    if topic is None:
        return Reply(help_message(help_lines(), unknown=request.topic), ok=request.topic is None)
    return Reply(usage_error(topic.summary.capitalize() + ".", topic.full_usage, topic.example))


TABLE: tuple[Subcommand, ...] = (
    Subcommand(
        "due",
        "due [days] [mine|unassigned|@user]",
        "what is due soon, overdue first",
        "/denials due 7 mine",
        parse_due,
        answers.due,
    ),
    Subcommand(
        "appeal",
        "appeal CLAIM [level] [method] [reference] [note]",
        "log an appeal you sent (only CLAIM opens the form; `corrected` for a corrected claim)",
        "/denials appeal 5101Z88001 1 portal 88-2231 sent with the op note",
        parse_appeal,
        changes.appeal,
    ),
    Subcommand(
        "outcome",
        "outcome CLAIM won|lost|partial [amount] [date]",
        "record what the payer decided on the appeal",
        "/denials outcome 5101Z88001 partial 210.00",
        parse_outcome,
        changes.outcome,
    ),
    Subcommand(
        "trends",
        "trends [30d|90d|12m] [by category|payer|cpt|provider|carc]",
        "managers: denial trends, rates and a weekly chart",
        "/denials trends 90d by payer",
        parse_trends,
        answers.trends,
        managers_only="see denial trends",
    ),
    Subcommand(
        "patterns",
        "patterns [PATTERN]",
        "repeat patterns by dollars with their fixes and verdicts; PATTERN (its number or "
        "words of its name) opens one with its claims and a weekly chart",
        "/denials patterns aetna 197",
        parse_patterns,
        answers.patterns,
    ),
    Subcommand(
        "find",
        "find CLAIM",
        "show a denial's card (claim number or id like D-1042)",
        "/denials find 5101Z88001",
        parse_find,
        answers.find,
    ),
    Subcommand(
        "history",
        "history CLAIM",
        "who did what and when to a denial, and to its claim's records requests and rejections "
        "(read-only; also ⋯ History on their cards)",
        "/denials history 5101Z88001",
        parse_find,
        answers.history,
    ),
    Subcommand(
        "assign",
        "assign CLAIM @user",
        "give a denial an owner (`me`, or `nobody` to clear)",
        "/denials assign 5101Z88001 @james",
        parse_assign,
        changes.assign,
    ),
    Subcommand(
        "categorize",
        "categorize CLAIM ROOT_CAUSE",
        "set the root cause (authorization, eligibility, coding, ...)",
        "/denials categorize 5101Z88001 authorization",
        parse_categorize,
        changes.categorize,
    ),
    Subcommand(
        "letter",
        "letter CLAIM [level]",
        "draft the appeal letter (.docx, .pdf) in the card's thread; next level unless given",
        "/denials letter 5101Z88001",
        parse_letter,
        letters.letter,
    ),
    Subcommand(
        "request",
        "request CLAIM [due DATE] [what]",
        "log a payer's request for records that came on paper or in a portal (only CLAIM "
        "opens the form)",
        "/denials request 5101Z88001 due 12/15 op note and progress notes",
        parse_request,
        log_request,
    ),
    Subcommand(
        "help",
        "help [command]",
        "this list, or one command in detail",
        "/denials help appeal",
        parse_help,
        run_help,
        everyone=True,
    ),
)
ALIASES = {
    "categorise": "categorize",
    "category": "categorize",
    "?": "help",
    "search": "find",
    "audit": "history",
    "records": "request",
    "adr": "request",
    "pattern": "patterns",
}


def _without_share(words: list[Word], text: str = "") -> tuple[str, list[Word], bool]:
    """`share` first or last asks for the answer in the channel: the text and words without it."""
    if words and words[-1].text.lower() == SHARE:
        return text[: words[-1].start], words[:-1], True
    if words and words[0].text.lower() == SHARE:
        return text, words[1:], True
    return text, words, False


def help_lines() -> tuple[tuple[str, str], ...]:
    return tuple((row.full_usage, row.summary) for row in TABLE)


def find_subcommand(name: str) -> Subcommand | None:
    name = ALIASES.get(name.lower(), name.lower())
    return next((row for row in TABLE if row.name == name), None)


def subcommand_of(text: str) -> Subcommand | None:
    """The row `/denials {text}` runs (None: help, or a word that is no subcommand)."""
    words = _without_share(split_words(text))[1]
    return find_subcommand(words[0].text) if words else None


def answer(text: str, ctx: CommandContext) -> Reply:
    """The reply to `/denials {text}` from `ctx.actor`. Who may run what is checked before,
    for every request from Slack (`bot.handlers.access`); the terminal may run anything."""
    if len(text) > MAX_COMMAND_CHARS:  # refused before reading a word: it costs nothing
        return Reply(plain(TOO_LONG.format(length=len(text), limit=MAX_COMMAND_CHARS)), ok=False)
    text, words, share = _without_share(split_words(text), text)
    if not words:
        return Reply(help_message(help_lines()))
    row = find_subcommand(words[0].text)
    if row is None:
        return Reply(help_message(help_lines(), unknown=words[0].text), ok=False)
    try:
        request = row.parse(words[1:], text, ctx.clock.today())
        reply = row.run(request, replace(ctx, share=share))
    except InputError as problem:
        return Reply(usage_error(str(problem), row.full_usage, row.example), ok=False)
    except DenialsError as refusal:
        return Reply(plain(str(refusal)), ok=False)
    return replace(reply, share=share)
