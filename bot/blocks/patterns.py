"""`/denials patterns`: active repeat patterns ranked by dollars, each with its rate, trend, fix
and verdict; `/denials patterns PATTERN`: one of them with its claims (its chart is a file)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from slack_sdk.models.blocks import Block, ButtonElement, ContextBlock, MarkdownTextObject

from bot.blocks import ids
from bot.blocks.message import MAX_MESSAGE_BLOCKS, Message, header, section, to_message
from bot.blocks.pattern_alert import rate_words
from bot.blocks.text import clip, escape, mention, money, plural, short_date, status_label
from bot.blocks.trends import ChartPlace
from bot.domain.pattern_rates import Counts

LIST_HEADER = ":repeat: Repeat patterns · last 90 days"
SUMMARY = (
    "{count} · {dollars} denied, most dollars first. "
    "`/denials patterns 1` opens the first with its claims and a chart."
)
NONE = (
    "No repeat patterns in the last 90 days: no payer, root cause and reason code was denied "
    "more than once, and no fix is on record."
)
ROW = "*{n}. {label}*\n{count} · {dollars} · {rate} per 100 claims in the last 4 weeks · {trend}"
FIX = ":memo: Fix {effective}{owner}: {note}\n*Verdict: {verdict}*"
NO_FIX = ":memo: No fix on record"
RECORD_FIX = "Record a fix"
MORE = "and {count} more patterns with fewer dollars"
DETAIL_NUMBERS = (
    "{count} · {dollars} in the last 90 days\n{rate} per 100 claims in the last 4 weeks · {trend}"
)
NO_FIX_DETAIL = (
    ":memo: *No fix on record.* Record what the practice changes: from that day the rate is "
    "compared before and after."
)
FIX_DETAIL = ":memo: *Fix on record* from {effective}{owner}: {note}"
VERDICT = "*Verdict: {verdict}*\n{span} before: {before}\n{span} since: {after}"
WINDOW_COUNTS = "{count} ({dollars}), {rate} per 100 claims"
CLAIMS_TITLE = "*Claims, newest first*"
CLAIM_LINE = "{claim} · {day} · {amount} · {status}"
CLAIMS_MORE = "and {count} more"
CHART_DM = "The weekly rate chart, fix date marked, is in your direct messages with me."
CHART_HERE = "The weekly rate chart, fix date marked, follows."
RECORD_PROMPT = "Changed something for this pattern? Record it, and its effect is measured."
NOT_FOUND = (
    "No active pattern matches `{asked}`. Use its number from `/denials patterns`, "
    "or words of its name, like `/denials patterns aetna 197`."
)
MAX_NOTE = 300
MAX_ROWS = MAX_MESSAGE_BLOCKS - 4


@dataclass(frozen=True, slots=True, kw_only=True)
class FixView:
    note: str
    owner: str | None
    effective: date
    verdict: str  # bot.domain.pattern_rates.FixEffect.words
    before: Counts
    after: Counts
    days: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PatternRow:
    scope_key: str
    label: str  # plain text
    count: int  # denials in the last 90 days
    dollars: Decimal
    rate: Fraction | None  # denials per 100 claims in the last 4 weeks
    trend: str  # rising, falling, steady, new
    fix: FixView | None


@dataclass(frozen=True, slots=True)
class PatternsView:
    today: date
    rows: tuple[PatternRow, ...]


@dataclass(frozen=True, slots=True)
class ClaimRow:
    claim: str
    day: date
    amount: Decimal
    status: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PatternDetail:
    row: PatternRow
    claims: tuple[ClaimRow, ...]
    more: int
    weeks: tuple[tuple[date, Counts], ...]  # Monday-started weeks, for the chart
    total: Decimal


def patterns_message(view: PatternsView) -> Message:
    if not view.rows:
        return to_message(f"{LIST_HEADER}: {NONE}", [header(LIST_HEADER), section(NONE)])
    dollars = money(sum((r.dollars for r in view.rows), Decimal(0)))
    summary = SUMMARY.format(count=plural(len(view.rows), "active pattern"), dollars=dollars)
    blocks: list[Block] = [header(LIST_HEADER), section(summary)]
    for number, row in enumerate(view.rows[:MAX_ROWS], start=1):
        lines = [_row_numbers(number, row), _fix_line(row.fix)]
        blocks.append(
            section(
                "\n".join(lines),
                accessory=ButtonElement(
                    text=RECORD_FIX, action_id=ids.PATTERN_RECORD_FIX, value=row.scope_key
                ),
            )
        )
    if len(view.rows) > MAX_ROWS:
        more = MORE.format(count=len(view.rows) - MAX_ROWS)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return to_message(f"{LIST_HEADER}: {summary}", blocks)


def _row_numbers(number: int, row: PatternRow) -> str:
    return ROW.format(
        n=number,
        label=clip(row.label, 200),
        count=plural(row.count, "denial"),
        dollars=money(row.dollars),
        rate=rate_words(row.rate),
        trend=row.trend,
    )


def _fix_line(fix: FixView | None) -> str:
    if fix is None:
        return NO_FIX
    return FIX.format(
        effective=short_date(fix.effective),
        owner=f" · owner {mention(fix.owner)}" if fix.owner else "",
        note=clip(fix.note, MAX_NOTE),
        verdict=escape(fix.verdict),
    )


def pattern_detail_message(detail: PatternDetail, *, chart: ChartPlace = None) -> Message:
    row = detail.row
    title = f":repeat: {row.label}"
    numbers = DETAIL_NUMBERS.format(
        count=plural(row.count, "denial"),
        dollars=money(row.dollars),
        rate=rate_words(row.rate),
        trend=row.trend,
    )
    blocks: list[Block] = [header(title), section(numbers)]
    if row.fix is None:
        blocks.append(section(NO_FIX_DETAIL))
    else:
        fix = row.fix
        blocks.append(
            section(
                FIX_DETAIL.format(
                    effective=short_date(fix.effective),
                    owner=f" · owner {mention(fix.owner)}" if fix.owner else "",
                    note=clip(fix.note, MAX_NOTE),
                )
                + "\n"
                + VERDICT.format(
                    verdict=escape(fix.verdict),
                    span=_span(fix.days),
                    before=_window(fix.before),
                    after=_window(fix.after),
                )
            )
        )
    lines = [
        CLAIM_LINE.format(
            claim=clip(c.claim, 40),
            day=short_date(c.day),
            amount=money(c.amount),
            status=status_label(c.status) if c.status else "–",
        )
        for c in detail.claims
    ]
    if detail.more:
        lines.append(CLAIMS_MORE.format(count=detail.more))
    blocks.append(section("\n".join([CLAIMS_TITLE, *(lines or ["–"])])))
    blocks.append(
        section(
            RECORD_PROMPT,
            accessory=ButtonElement(
                text=RECORD_FIX, action_id=ids.PATTERN_RECORD_FIX, value=row.scope_key
            ),
        )
    )
    note = CHART_DM if chart == "dm" else CHART_HERE if chart == "here" else None
    if note:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    return to_message(f"{title}: {numbers.replace(chr(10), ' · ')}", blocks)


def not_found_message(asked: str) -> Message:
    text = NOT_FOUND.format(asked=clip(asked, 100))
    return to_message(text, [section(text)])


def _span(days: int) -> str:
    if days >= 7:
        return plural(days // 7, "week").capitalize()
    return plural(days, "day").capitalize()


def _window(counts: Counts) -> str:
    return WINDOW_COUNTS.format(
        count=plural(counts.denials, "denial"),
        dollars=money(counts.dollars),
        rate=rate_words(counts.rate),
    )
