"""`/denials trends` (UX.md): a summary (denials and change, denial rate by count and dollars,
overturn rate and dollars recovered, days from denial to appeal), then the top values of the
chosen dimension as a small table. The weekly chart is an image sent alongside."""

from __future__ import annotations

from typing import Literal

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.blocks.message import Message, header, section, to_message
from bot.blocks.text import escape, long_date, money, plural
from bot.blocks.work_rows import trends_lines
from bot.domain.trends import Rate, Trends, label_for

TITLE = "Denial trends · last {span} · by {dimension}"
RANGE = "{start} – {end}, compared with the {span} before ({previous_start} – {previous_end})"
DENIALS = "*Denials*\n{count} · {amount}\n{change}"
CHANGE = "{change} vs the previous {span}"
RATE = "*Denial rate*\n{count} of claims · {dollars} of dollars\nwas {was_count} · {was_dollars}"
RATE_NO_CLAIMS = "*Denial rate*\nno claims were imported in this period"
OVERTURN = "*Appeals overturned*\n{rate} ({won} of {decided} decided)\n{recovered} recovered"
OVERTURN_NONE = "*Appeals overturned*\nno appeal was decided in this period"
DAYS = "*Denial to appeal*\nmedian {days} ({count})"
DAYS_NONE = "*Denial to appeal*\nno appeal was sent in this period"
NOTHING = "No denials in the last {span}."
TABLE_HEAD = ("Denials", "Dollars", "Change")
MORE = "and {count} more"
CODES_NOTE = "A denial with several codes counts once under each."
CHART_DM = "The weekly chart is in your direct messages with me."
CHART_HERE = "The weekly chart follows."
FALLBACK = "Denial trends, last {span}: {count} · {amount} · denial rate {rate}"
NEW, NONE, NOT_AVAILABLE = "new", "–", "n/a"
DIMENSION_WORDS = {
    "category": "root cause",
    "payer": "payer",
    "cpt": "CPT",
    "provider": "provider",
    "carc": "reason code",
}
MAX_ROWS = 15
NAME_WIDTH = 30

ChartPlace = Literal["dm", "here"] | None


def trends_message(trends: Trends, *, chart: ChartPlace = None) -> Message:
    span = trends.span.words
    title = TITLE.format(span=span, dimension=DIMENSION_WORDS[trends.dimension])
    blocks: list[Block] = [header(title), _context(_range(trends)), _summary(trends)]
    if trends.rows:
        blocks.append(section(_table(trends)))
    else:
        blocks.append(section(NOTHING.format(span=span)))
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


def percent(rate: Rate | float | None) -> str:
    value = rate.value if isinstance(rate, Rate) else rate
    return NOT_AVAILABLE if value is None else f"{value * 100:.1f}%"


def change_text(change: float | None, *, now: int) -> str:
    """`+20%`, `-15%`, `new` (nothing before), `–` (nothing either time)."""
    if change is None:
        return NEW if now else NONE
    return f"{change * 100:+.0f}%"


def _range(trends: Trends) -> str:
    return RANGE.format(
        start=long_date(trends.period.start),
        end=long_date(trends.period.end),
        span=trends.span.words,
        previous_start=long_date(trends.previous.start),
        previous_end=long_date(trends.previous.end),
    )


def _summary(trends: Trends) -> Block:
    change = CHANGE.format(
        change=change_text(trends.change, now=trends.count), span=trends.span.words
    )
    fields = [
        DENIALS.format(
            count=plural(trends.count, "denial"), amount=money(trends.amount), change=change
        ),
        RATE.format(
            count=percent(trends.claim_rate),
            dollars=percent(trends.dollar_rate),
            was_count=percent(trends.previous_claim_rate),
            was_dollars=percent(trends.previous_dollar_rate),
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


def _table(trends: Trends) -> str:
    """A fixed-width table in a code block: it lines up in every Slack client."""
    first = DIMENSION_WORDS[trends.dimension].capitalize()
    lines = [_line(first, *TABLE_HEAD)]
    for row in trends.rows[:MAX_ROWS]:
        name = label_for(trends.dimension, row.key)
        lines.append(
            _line(
                name,
                str(row.count),
                money(row.amount),
                change_text(row.change, now=row.count),
            )
        )
    if len(trends.rows) > MAX_ROWS:
        lines.append(MORE.format(count=len(trends.rows) - MAX_ROWS))
    return "```\n" + "\n".join(lines) + "\n```"


def _line(name: str, count: str, amount: str, change: str) -> str:
    if len(name) > NAME_WIDTH:
        name = name[: NAME_WIDTH - 1] + "…"
    return escape(f"{name:<{NAME_WIDTH}} {count:>7} {amount:>13} {change:>7}")


def _context(text: str) -> Block:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])
