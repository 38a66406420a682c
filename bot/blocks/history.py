"""A denial's history as one message: who did what and when, oldest first, in the practice's
time zone. Shown only to the person who asked (⋯ History on the card, `/denials history`) and
printed by `denials audit`; read-only, with no control that changes anything.

`Event` and `DenialHistory` are the audit reader's (`bot.services.history`), passed in as
plain values so this stays a pure builder.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from slack_sdk.models.blocks import Block, ContextBlock, DividerBlock, MarkdownTextObject

from bot.blocks.message import Message, header, section, to_message
from bot.blocks.text import clip, mention, money, plural
from bot.domain.actor import Actor
from bot.domain.findings import RootCause

TITLE = "History of claim {claim}"
TITLE_OF = "History of {record} · claim {claim}"  # a records request's or a rejection's
IMPORTED = "came in with *{file}* ({who})"
LOGGED = "logged by {who}"  # a records request typed in Slack or at the terminal
EARLIER = "{count} earlier {changes} not shown. `denials audit {claim}` in a terminal lists all."
NOTHING_YET = "Nobody has changed it since."
READ_ONLY = "Read-only: the history is kept as it happened and cannot be edited."
MAX_BLOCKS = 50  # Slack's limit for a message
LINES_PER_BLOCK = 12  # a section holds 3,000 characters; a line is at most ~200

WORDS = {
    "corrected": "sent a corrected claim",
    "reopen": "reopened it",
    "superseded_by_readjudication": "replaced by a later adjudication of the claim",
    "merged_duplicate": "merged a copy of it stored twice",
    # records requests and rejections (`bot.services.work_items`, `status_import`)
    "requested": "recorded the payer's request for records",
    "asked_again": "the payer asked again",
    "sent": "marked the records sent",
    "withdrawn": "marked it withdrawn by the payer",
    "accepted": "marked the records accepted",
    "due_date": "changed the due date",
    "denied": "a later denial said the records were missing",
    "rejected": "recorded the rejection",
    "rejected_again": "the payer rejected it again",
    "closed": "closed it",
    "closed_by_payer": "the payer accepted the claim",
    "closed_by_payment": "a payment closed it",
}
SYSTEM = {
    "inbox": "the inbox",
    "importer": "the import",
    "dedupe": "denials db dedupe",
    "demo": "the demo",
}


class Event(Protocol):
    @property
    def at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def detail(self) -> dict[str, Any]: ...


class History(Protocol):
    @property
    def claim_number(self) -> str: ...
    @property
    def payer_name(self) -> str: ...
    @property
    def imported_at(self) -> datetime: ...
    @property
    def imported_by(self) -> str: ...
    @property
    def file_name(self) -> str: ...
    @property
    def events(self) -> Sequence[Event]: ...
    @property
    def earlier(self) -> int: ...
    @property
    def record(self) -> str: ...  # "" for a denial; `records request R-12`, `rejection J-3`


def history_message(history: History, zone: tzinfo, *more: History) -> Message:
    """The history as a message (its latest events: `denial_history` keeps it to 40), then
    the claim's records requests and rejections, if any (at most 3), as far as fits."""
    text = f"{title(history)}: " + plural(len(history.events) + 1, "entry", "entries")
    blocks = history_blocks(history, zone)
    for other in more:
        extra = [DividerBlock(), *history_blocks(other, zone)]
        if len(blocks) + len(extra) > MAX_BLOCKS:
            break
        blocks += extra
    return to_message(text, blocks)


def title(history: History) -> str:
    if history.record and not history.claim_number:  # a whole batch or provider rejected
        return f"History of {history.record}"
    if history.record:
        return TITLE_OF.format(record=history.record, claim=history.claim_number)
    return TITLE.format(claim=history.claim_number)


def history_blocks(history: History, zone: tzinfo) -> list[Block]:
    """The history as blocks, as many as it takes (the terminal prints them all)."""
    claim = clip(history.claim_number, 80)
    came = (
        IMPORTED.format(
            file=clip(history.file_name or "an import", 120), who=who(history.imported_by)
        )
        if history.file_name or not history.record
        else LOGGED.format(who=who(history.imported_by))
    )
    first = f"{when(history.imported_at, zone)} · " + came
    lines = [first] + [
        f"{when(e.at, zone)} · {who(e.actor)} · {what(e.action, e.detail)}" for e in history.events
    ]
    blocks: list[Block] = [header(title(history))]
    if history.earlier:
        changes = "change" if history.earlier == 1 else "changes"
        blocks.append(_context(EARLIER.format(count=history.earlier, changes=changes, claim=claim)))
    for start in range(0, len(lines), LINES_PER_BLOCK):
        blocks.append(section("\n".join(lines[start : start + LINES_PER_BLOCK])))
    if not history.events:
        blocks.append(_context(NOTHING_YET))
    blocks.append(_context(READ_ONLY))
    return blocks


def when(at: datetime, zone: tzinfo) -> str:
    """`Dec 1, 2026 9:14 AM` in the practice's time zone."""
    local = at.astimezone(zone)
    return f"{local:%b} {local.day}, {local.year} {local:%I:%M %p}".replace(" 0", " ")


def who(actor: str) -> str:
    """A person as a mention; the terminal and the bot's own jobs in words."""
    person = Actor.from_key(actor)
    if person is not None:
        return mention(person.user)
    kind, _, name = actor.partition(":")
    if kind == "cli":
        return f"{clip(name or 'someone', 40)} at the terminal"
    return SYSTEM.get(actor, clip(actor or "the bot", 40))


def what(action: str, detail: Mapping[str, Any]) -> str:
    """One audit event in words, from what it recorded (never patient data)."""
    if action == "assign":
        person = detail.get("assignee")
        return f"assigned it to {mention(person)}" if person else "unassigned it"
    if action == "category":
        try:
            cause = RootCause(detail.get("cause", "other")).label
        except ValueError:
            cause = clip(str(detail.get("cause")), 40)
        return f"set the root cause to {cause}"
    if action == "appeal":
        level = str(detail.get("level") or "")
        return f"logged an appeal, level {clip(level, 20)}" if level else "logged an appeal"
    if action == "paid":
        return f"marked it paid, {_money(detail.get('amount'))}"
    if action == "write_off":
        reason = detail.get("reason")
        return f"wrote it off: {clip(str(reason), 200)}" if reason else "wrote it off"
    if action == "outcome":
        result = clip(str(detail.get("result") or "decided"), 20)
        amount = detail.get("amount")
        return f"recorded the appeal {result}" + (f", {_money(amount)}" if amount else "")
    if action == "letter":
        number = detail.get("level")
        return "drafted the appeal letter" + (f", level {clip(str(number), 20)}" if number else "")
    if action == "recovered_by_remittance":
        return f"a later remittance paid {_money(detail.get('amount'))}"
    return WORDS.get(action, clip(action.replace("_", " "), 60))


def _money(value: object) -> str:
    try:
        return money(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return "an amount"


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])
