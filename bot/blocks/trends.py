"""`/denials trends` (UX.md): a summary (denials and change, denial rate by count and dollars,
overturn rate and dollars recovered, days from denial to appeal), then the top values of the
chosen dimension as fields (two columns on a desktop, one on a phone: never a fixed-width table
that wraps), each change said in words ("up 67% from 21"). The weekly chart is an image sent
alongside."""

from __future__ import annotations

from typing import Literal

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.blocks.message import Message, header, section, to_message
from bot.blocks.text import clip, long_date, money, plural
from bot.blocks.work_rows import trends_lines
from bot.domain.measures import Measures
from bot.domain.trends import Rate, Trends, label_for

TITLE = "Denial trends · last {span} · by {dimension}"
RANGE = "{start} – {end}, compared with the {span} before ({previous_start} – {previous_end})"
DENIALS = "*Denials*\n{count} · {amount}\n{change}"
CHANGE = "{change} in the {span} before"
CHANGE_NONE = "none in the {span} before"
RATE = "*Denial rate*\n{count} of claims · {dollars} of dollars\n{before}"
RATE_BEFORE = "before: {count} · {dollars}"
RATE_NOTHING_BEFORE = "no claims in the period before to compare"
RATE_NO_CLAIMS = "*Denial rate*\nno claims were imported in this period"
OVERTURN = "*Appeals overturned*\n{rate} ({won} of {decided} decided)\n{recovered} recovered"
OVERTURN_NONE = "*Appeals overturned*\nno appeal was decided in this period"
DAYS = "*Denial to appeal*\nmedian {days} ({count})"
DAYS_NONE = "*Denial to appeal*\nno appeal was sent in this period"
NOTHING = "No denials in the last {span}."
ROW_FIELD = "*{name}*\n{count} · {amount} · {change}"
MORE = "and {count} more"
UP = "up {percent}% from {before}"
DOWN = "down {percent}% from {before}"
SAME = "same as before ({before})"
NONE_BEFORE = "none before"
NONE_EITHER = "none either time"
FIELDS_PER_SECTION = 10  # Slack's limit
CODES_NOTE = "A denial with several codes counts once under each."
CHART_DM = "The weekly chart is in your direct messages with me."
CHART_HERE = "The weekly chart follows."
FALLBACK = "Denial trends, last {span}: {count} · {amount} · denial rate {rate}"
NOT_AVAILABLE = "n/a"
OPEN_NOW = "*Open now:* {parts}"
OPEN_DUE = "due this week {count} ({amount})"
OPEN_OVERDUE = "overdue {count} ({amount})"
OPEN_OWNER = "needing an owner {count}"
OPEN_LAPSED = "lapsed {count} ({amount})"
DIMENSION_WORDS = {
    "category": "root cause",
    "payer": "payer",
    "cpt": "CPT",
    "provider": "provider",
    "carc": "reason code",
}
MAX_ROWS = 14  # seven rows of two fields on a desktop
NAME_WIDTH = 40

ChartPlace = Literal["dm", "here"] | None


def trends_message(trends: Trends, *, chart: ChartPlace = None) -> Message:
    span = trends.span.words
    title = TITLE.format(span=span, dimension=DIMENSION_WORDS[trends.dimension])
    blocks: list[Block] = [header(title), _context(_range(trends)), _summary(trends)]
    if trends.rows:
        blocks += _table(trends)
    else:
        blocks.append(section(NOTHING.format(span=span)))
    if trends.now is not None:
        blocks.append(section(open_now(trends.now)))
    work = trends_lines(trends.work) if trends.work is not None else ""
    if work:
        blocks.append(section(work))
    notes = [CODES_NOTE] if trends.dimension in ("cpt", "carc") and trends.rows else []
    notes += [CHART_DM] if chart == "dm" else [CHART_HERE] if chart == "here" else []
    if notes:
        blocks.append(_context(" ".join(notes)))
    fallback = FALLBACK.format(
        span=span,
        count=plural(trends.count, "denial"),
        amount=money(trends.amount),
        rate=percent(trends.claim_rate),
    )
    return to_message(fallback, blocks)


def open_now(now: Measures) -> str:
    """`*Open now:* 61 denials · $21,400.00 · due this week 7 ($2,560.00) · …`: today's work,
    in the words and numbers of App Home and the digest."""
    parts = [
        f"{plural(now.open.count, 'denial')} · {money(now.open.amount)}",
        OPEN_DUE.format(
            count=f"{now.due_this_week.count:,}", amount=money(now.due_this_week.amount)
        ),
        OPEN_OVERDUE.format(count=f"{now.overdue.count:,}", amount=money(now.overdue.amount)),
        OPEN_OWNER.format(count=f"{now.needs_owner:,}"),
    ]
    if now.lapsed.count:
        parts.append(
            OPEN_LAPSED.format(count=f"{now.lapsed.count:,}", amount=money(now.lapsed.amount))
        )
    return OPEN_NOW.format(parts=" · ".join(parts))


def percent(rate: Rate | float | None) -> str:
    value = rate.value if isinstance(rate, Rate) else rate
    return NOT_AVAILABLE if value is None else f"{value * 100:.1f}%"


def change_text(now: int, before: int) -> str:
    """`up 67% from 21`, `down 15% from 20`, `same as before (4)`, `none before` (nothing in
    the period before), `none either time`."""
    if not before:
        return NONE_BEFORE if now else NONE_EITHER
    if now == before:
        return SAME.format(before=f"{before:,}")
    percent = round(abs(now - before) * 100 / before)
    return (UP if now > before else DOWN).format(percent=f"{percent:,}", before=f"{before:,}")


def _range(trends: Trends) -> str:
    return RANGE.format(
        start=long_date(trends.period.start),
        end=long_date(trends.period.end),
        span=trends.span.words,
        previous_start=long_date(trends.previous.start),
        previous_end=long_date(trends.previous.end),
    )


def _summary(trends: Trends) -> Block:
    if trends.previous_count:
        said = change_text(trends.count, trends.previous_count)
        change = CHANGE.format(change=said, span=trends.span.words)
    else:
        change = CHANGE_NONE.format(span=trends.span.words)
    fields = [
        DENIALS.format(
            count=plural(trends.count, "denial"), amount=money(trends.amount), change=change
        ),
        RATE.format(
            count=percent(trends.claim_rate),
            dollars=percent(trends.dollar_rate),
            before=RATE_BEFORE.format(
                count=percent(trends.previous_claim_rate),
                dollars=percent(trends.previous_dollar_rate),
            )
            if trends.previous_claim_rate.whole
            else RATE_NOTHING_BEFORE,
        )
        if trends.claim_rate.whole
        else RATE_NO_CLAIMS,
        OVERTURN.format(
            rate=percent(trends.overturn),
            won=trends.overturn.part,
            decided=trends.overturn.whole,
            recovered=money(trends.recovered),
        )
        if trends.overturn.whole
        else OVERTURN_NONE,
        DAYS.format(
            days=plural_days(trends.median_days_to_appeal),
            count=plural(trends.appeals_sent, "appeal"),
        )
        if trends.median_days_to_appeal is not None
        else DAYS_NONE,
    ]
    return SectionBlock(fields=[MarkdownTextObject(text=field) for field in fields])


def plural_days(days: float | None) -> str:
    if days is None:
        return NOT_AVAILABLE
    return plural(int(days), "day") if days == int(days) else f"{days:.1f} days"


def _table(trends: Trends) -> list[Block]:
    """The top values as fields, `*Aetna*` then `12 · $4,200.00 · up 50% from 8`: short lines
    that read the same at any width."""
    fields = [
        ROW_FIELD.format(
            name=clip(label_for(trends.dimension, row.key), NAME_WIDTH),
            count=plural(row.count, "denial"),
            amount=money(row.amount),
            change=change_text(row.count, row.previous_count),
        )
        for row in trends.rows[:MAX_ROWS]
    ]
    blocks: list[Block] = [
        SectionBlock(
            fields=[MarkdownTextObject(text=f) for f in fields[i : i + FIELDS_PER_SECTION]]
        )
        for i in range(0, len(fields), FIELDS_PER_SECTION)
    ]
    if len(trends.rows) > MAX_ROWS:
        blocks.append(_context(MORE.format(count=len(trends.rows) - MAX_ROWS)))
    return blocks


def _context(text: str) -> Block:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])
