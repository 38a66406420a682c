"""The monthly pattern review for managers: last month's repeat denials and what prevents them.

One section per pattern (payer · root cause · CARC · rendering provider · CPT) with its count
and dollars against the month before, the workflow fix that usually prevents that root cause,
and the fix the practice recorded, if any. Capped to one message with "and N more".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject

from bot.blocks.message import MAX_MESSAGE_BLOCKS, Message, header, section, to_message
from bot.blocks.text import clip, escape, joined, mention, money, plural, short_date
from bot.domain.findings import RootCause
from bot.domain.likely_causes import prevention

HEADER = ":repeat: Repeat denial patterns · {month}"
SUMMARY = "*{patterns}* in {month}: {count} · {amount} ({prior_month}: {prior_count} · {prior})"
NONE = "No repeat patterns in {month}: no payer, root cause, code, provider and CPT "
NONE += "combination was denied more than once."
ROW_TITLE = "*{name}*"
ROW_NUMBERS = "{count} · {amount} ({prior_month}: {prior_count} · {prior_amount}{trend})"
PREVENT = ":bulb: {text}"
RECORDED = ":memo: Fix recorded {day}{by}: {note}"
VERDICT = "*Verdict: {verdict}*"
NO_FIX = ":memo: No fix recorded yet: use *Record a fix* on the grouped card."
MORE = "and {count} more patterns with smaller amounts"
FOOTER = "Patterns repeat until a workflow changes. Record what you changed so next month shows it."
UP, DOWN, SAME, NEW = " ↑", " ↓", " =", " · new"
MAX_NAME = 40
MAX_NOTE = 600


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedFix:
    note: str
    recorded_on: date
    recorded_by: str | None  # Slack user id, when a person in Slack recorded it
    verdict: str | None = None  # whether it worked, as of the month's end ("stopped", ...)


@dataclass(frozen=True, slots=True, kw_only=True)
class PatternRow:
    payer_name: str
    category: RootCause
    carc: str
    provider: str | None
    cpt: str | None
    count: int
    amount: Decimal
    prior_count: int
    prior_amount: Decimal
    fix: RecordedFix | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PatternReviewView:
    month: date  # first day of the month reviewed
    rows: tuple[PatternRow, ...]
    denials: int  # every denial of the month, repeat or not
    amount: Decimal
    prior_denials: int
    prior_amount: Decimal


def pattern_review(view: PatternReviewView) -> Message:
    month = month_name(view.month)
    prior = month_name(_month_before(view.month))
    title = HEADER.format(month=month)
    if not view.rows:
        text = NONE.format(month=month)
        return to_message(f"{title}: {text}", [header(title), section(text)])
    summary = SUMMARY.format(
        patterns=plural(len(view.rows), "repeat pattern"),
        month=month,
        count=plural(view.denials, "denial"),
        amount=money(view.amount),
        prior_month=prior,
        prior_count=view.prior_denials,
        prior=money(view.prior_amount),
    )
    blocks: list[Block] = [header(title), section(summary)]
    room = MAX_MESSAGE_BLOCKS - len(blocks) - 2  # "and N more" and the footer
    blocks += [section(row_text(row, prior)) for row in view.rows[:room]]
    if len(view.rows) > room:
        more = MORE.format(count=len(view.rows) - room)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=FOOTER)]))
    return to_message(f"{title}: {summary}", blocks)


def row_text(row: PatternRow, prior_month: str) -> str:
    name = joined(
        clip(row.payer_name, MAX_NAME),
        row.category.label,
        clip(row.carc, 20),
        *(clip(p, MAX_NAME) for p in (row.provider, row.cpt) if p),
    )
    numbers = ROW_NUMBERS.format(
        count=plural(row.count, "denial"),
        amount=money(row.amount),
        prior_month=prior_month,
        prior_count=row.prior_count,
        prior_amount=money(row.prior_amount),
        trend=trend(row.count, row.prior_count),
    )
    lines = [ROW_TITLE.format(name=name), numbers]
    lines.append(PREVENT.format(text=prevention(row.category)))
    if row.fix is None:
        lines.append(NO_FIX)
    else:
        by = f" by {mention(row.fix.recorded_by)}" if row.fix.recorded_by else ""
        lines.append(
            RECORDED.format(
                day=short_date(row.fix.recorded_on), by=by, note=clip(row.fix.note, MAX_NOTE)
            )
        )
        if row.fix.verdict:
            lines.append(VERDICT.format(verdict=escape(row.fix.verdict)))
    return "\n".join(lines)


def trend(count: int, prior: int) -> str:
    if prior == 0:
        return NEW
    return UP if count > prior else DOWN if count < prior else SAME


def month_name(first: date) -> str:
    return f"{first:%B %Y}"


def _month_before(first: date) -> date:
    return date(first.year - 1, 12, 1) if first.month == 1 else date(first.year, first.month - 1, 1)
