"""Replies to `/denials` that are not a card or a list of their own: help, usage errors,
refusals, claim lookups (not found, several matches) and the confirmations of a change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from slack_sdk.models.blocks import Block, ButtonElement, ContextBlock, MarkdownTextObject

from bot.blocks import ids
from bot.blocks.message import Message, section, to_message
from bot.blocks.text import clip, days_left_text, long_date, money, plural, status_label

HELP_TITLE = "*/denials* commands:"
HELP_UNKNOWN = "I don't know `{word}`. Here is what I can do:"
HELP_LINE = "`{usage}`  {summary}"
HELP_SHARE = "Answers are just for you; add `share` to post one in the channel."
USAGE = "Usage: `{usage}`"
EXAMPLE = "Example: `{example}`"
NOT_FOUND = "I couldn't find claim {asked}."
NOT_FOUND_TRY = "I couldn't find claim {asked}. Try `/denials find {hint}`"
CLOSEST = "Closest matches:"
SIMILAR = "No claim is exactly {asked}; these start the same way. Use the claim or the `D-` id:"
AMBIGUOUS = "{count} match {asked}. Say which one with its id, like `/denials {verb} D-{id}`:"
MORE = "and more: type more of the claim number to narrow it down"
MATCH_ROW = "`D-{id}` · {claim} · {payer} · {amount} · {status} · denied {day}"
OPEN = "Open"
DONE = "Claim {claim}: {note}."
CARD_UPDATED = " The card is updated."
RECOVERED = "Claim {claim} ({payer}): appeal {result}, {amount} recovered. Closed as Recovered."
LOST_NEXT = (
    "Claim {claim} ({payer}): appeal lost. Back to In progress; the level {level} appeal is "
    "due by {date} ({urgency})."
)
LOST_LAST = (
    "Claim {claim} ({payer}): appeal lost, and no further appeal level is on file for this "
    "payer. Back to In progress; a manager can write it off from the card's ⋯ menu."
)
CORRECTED_LOST = (
    "Claim {claim} ({payer}): the corrected claim was denied again. Back to In progress; the "
    "appeal deadline is unchanged."
)
MAX_SHOWN = 10


@dataclass(frozen=True, slots=True)
class MatchView:
    """One denial a claim number led to."""

    denial_id: int
    version: int
    claim_number: str
    payer_name: str
    denied_amount: Decimal
    status: str
    denial_date: date
    deadline: date | None


def help_message(
    lines: Sequence[tuple[str, str]], *, unknown: str | None = None, share_tip: bool = True
) -> Message:
    """One line per subcommand, from the table that dispatches them."""
    head = HELP_UNKNOWN.format(word=clip(unknown, 40)) if unknown else HELP_TITLE
    body = "\n".join(HELP_LINE.format(usage=u, summary=s) for u, s in lines)
    blocks: list[Block] = [section(head), section(body)]
    if share_tip:
        blocks.append(_context(HELP_SHARE))
    return to_message(f"{head}\n{body}", blocks)


def usage_error(problem: str, usage: str, example: str | None = None) -> Message:
    """What was wrong (already mrkdwn-safe), then the right usage and an example."""
    lines = [problem, USAGE.format(usage=usage)]
    if example:
        lines.append(EXAMPLE.format(example=example))
    text = "\n".join(lines)
    return to_message(text, [section(text)])


def plain(text: str) -> Message:
    """A one-section reply: refusals, confirmations."""
    return to_message(text, [section(text)])


def not_found(asked: str, hint: str | None, closest: Sequence[MatchView]) -> Message:
    """`I couldn't find claim 5101Z8800. Try /denials find 5101Z88`, closest matches below."""
    words = {"asked": clip(asked, 60), "hint": clip(hint or "", 60)}
    text = (NOT_FOUND_TRY if hint else NOT_FOUND).format(**words)
    blocks: list[Block] = [section(text)]
    if closest:
        blocks += [section(CLOSEST), *_rows(closest)]
    return to_message(text, blocks)


def similar(asked: str, matches: Sequence[MatchView]) -> Message:
    text = SIMILAR.format(asked=clip(asked, 60))
    return to_message(text, [section(text), *_rows(matches)])


def ambiguous(asked: str, verb: str, matches: Sequence[MatchView]) -> Message:
    """Several denials share the claim number: list them, never pick one."""
    count = plural(len(matches), "denial") if len(matches) <= MAX_SHOWN else "Many denials"
    text = AMBIGUOUS.format(count=count, asked=clip(asked, 60), verb=verb, id=matches[0].denial_id)
    return to_message(text, [section(text), *_rows(matches)])


def done(claim: str, note: str, *, card: bool = True) -> Message:
    """`Claim 5101Z88001: @james logged appeal level 1 · portal · sent Nov 30.`; `note` is a
    thread note (already mrkdwn)."""
    return plain(DONE.format(claim=clip(claim, 60), note=note) + (CARD_UPDATED if card else ""))


def outcome_recorded(
    *,
    claim: str,
    payer: str,
    result: str,
    recovered: Decimal | None,
    next_level: int | None,
    next_deadline: date | None,
    corrected: bool,
    today: date,
) -> Message:
    words = {"claim": clip(claim, 60), "payer": clip(payer, 60)}
    if recovered is not None:
        text = RECOVERED.format(result=result, amount=money(recovered), **words)
    elif corrected:
        text = CORRECTED_LOST.format(**words)
    elif next_deadline is not None and next_level is not None:
        urgency = days_left_text((next_deadline - today).days)
        text = LOST_NEXT.format(
            level=next_level, date=long_date(next_deadline), urgency=urgency, **words
        )
    else:
        text = LOST_LAST.format(**words)
    return plain(text)


def _rows(matches: Sequence[MatchView]) -> list[Block]:
    blocks: list[Block] = [_row(match) for match in matches[:MAX_SHOWN]]
    if len(matches) > MAX_SHOWN:
        blocks.append(_context(MORE))
    return blocks


def _row(match: MatchView) -> Block:
    text = MATCH_ROW.format(
        id=match.denial_id,
        claim=clip(match.claim_number, 40),
        payer=clip(match.payer_name, 40),
        amount=money(match.denied_amount),
        status=status_label(match.status),
        day=long_date(match.denial_date),
    )
    button = ButtonElement(text=OPEN, action_id=ids.OPEN_CARD_BUTTON, value=str(match.denial_id))
    return section(text, accessory=button)


def _context(text: str) -> Block:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])
