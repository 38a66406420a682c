"""`/denials request CLAIM [due DATE] [what]`: log a records request that came on paper or in a
portal. With only `CLAIM`, it opens the form (prefilled) instead.

A due date may be in the future (it usually is) or already past (a letter found late); `what`
is the rest of the text, as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.blocks.command_replies import plain
from bot.blocks.text import clip, long_date
from bot.blocks.work_modals import request_modal
from bot.commands.replies import CommandContext, Reply
from bot.commands.words import Word, is_mention, unescape, written_date
from bot.domain.bounds import MAX_NOTE_CHARS, check_claim, check_length
from bot.errors import InputError

NEED_CLAIM = "Which claim? Give the claim number the payer's letter names."
NOT_A_CLAIM = "`{word}` is a person, not a claim."
NEED_DATE = "`due` needs a date, like `due 2026-12-15` or `due 12/15`."
FAR_DATE = "{day} is more than a year away. Check the year."
OLD_DATE = "{day} is more than a year ago. Check the year."
LOGGED = (
    "Logged: records for claim {claim} ({payer}) due {due}. Its card is in the channel; "
    "mark it sent there when they go out."
)
NO_WORK = "Records requests are not available here."
SPAN = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class RecordsRequest:
    claim: str
    due: date | None = None
    what: str | None = None

    @property
    def opens_form(self) -> bool:
        return self.due is None and self.what is None


def parse_request(words: list[Word], text: str, today: date) -> RecordsRequest:
    if not words:
        raise InputError(NEED_CLAIM)
    claim = check_claim(words[0].text)
    if is_mention(claim):
        raise InputError(NOT_A_CLAIM.format(word=claim))
    rest = words[1:]
    due: date | None = None
    if rest and rest[0].text.lower() in ("due", "by"):
        if len(rest) < 2:
            raise InputError(NEED_DATE)
        due = parse_due_date(rest[1].text, today)
        rest = rest[2:]
    what = unescape(text[rest[0].start :]).strip() if rest else None
    check_length(what, MAX_NOTE_CHARS, "description of what they asked for")
    return RecordsRequest(claim=claim, due=due, what=what or None)


def parse_due_date(word: str, today: date) -> date:
    """A due date within a year either side of today; `12/15` is the next Dec 15 (a month
    back at most, for a letter found late)."""
    day, year_given = written_date(word, today)
    if not year_given and day < today - timedelta(days=31):
        day = day.replace(year=day.year + 1)
    if day > today + SPAN:
        raise InputError(FAR_DATE.format(day=day.isoformat()))
    if day < today - SPAN:
        raise InputError(OLD_DATE.format(day=day.isoformat()))
    return day


def log_request(request: RecordsRequest, ctx: CommandContext) -> Reply:
    if ctx.work is None:
        return Reply(plain(NO_WORK), ok=False)
    if request.opens_form:
        return Reply(modal=request_modal(claim=request.claim))
    logged = ctx.work.log_request(
        request.claim,
        due=request.due,
        what=request.what,
        payer_name=None,
        actor=ctx.actor,
        now=ctx.clock.now(),
        today=ctx.clock.today(),
    )
    message = plain(
        LOGGED.format(
            claim=clip(logged.claim_number, 60),
            payer=clip(logged.payer_name, 60),
            due=long_date(logged.due_date),
        )
    )
    return Reply(message, new_card=logged.post_id)
