"""The Monday review digest posted in the channel (UX.md "Monday digest").

A fixed handful of blocks whatever the data: lists are cut to the top few with "+N more", and
every name a payer wrote is escaped and clipped, so the message always fits Block Kit.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, ContextBlock, DividerBlock, MarkdownTextObject

from bot.blocks.message import Message, header, section, to_message
from bot.blocks.text import clip, escape, joined, money, plural, short_date
from bot.blocks.work_rows import digest_lines
from bot.domain.digest import DigestSummary, PatternLine, Tally
from bot.domain.measures import Amount

HEADER = ":calendar: Denials week of {start} – {end}"
# "Received", not "New": New is also a status, and App Home counted that (issue 14)
TOTALS = "*Received* {new} · *Recovered* {recovered} · *Written off* {written_off} · *Open* {open}"
OWNERS = "*Needs an owner:* {needs_owner} · *Root cause to confirm:* {to_confirm} (suggested)"
DUE = "*Due this week:* {due} · *Overdue:* {overdue}"
LAPSED = " · *Lapsed:* {lapsed}: review for write-off"
APPEALS = "*Appeals sent:* {appeals} · corrected claims {corrected} · *Outcomes:* {outcomes}"
OUTCOMES = "{won} won · {lost} lost · {partial} partial"
NO_OUTCOMES = "none decided"
TOP_CAUSES = "*Top root causes*  {items}"
TOP_PAYERS = "*Top payers*  {items}"
NO_NEW = "No denials received last week."
AGING = "*Open denied $ by age*  {items}"
PATTERN = "*Repeat pattern:* {name}: {count} in {days} days ({fix})"
FIX_ON = "fix recorded {day}"
FIX_VERDICT = "fix recorded {day}: {verdict}"
NO_FIX = "no fix recorded yet"
NO_PATTERNS = "No repeat patterns in the last 90 days."
MORE = "+{count} more"
QUEUE_HINT = "Your queue: `/denials due 14 mine` · the team's: `/denials due`"
LATE = ":hourglass: Sent late: the bot was not running when this digest was due."
FALLBACK = "Denials week of {start} – {end}: {new} received, {due} due this week, {overdue} overdue"
TOP = 3
MAX_NAME = 40


def digest_message(summary: DigestSummary, *, pattern_days: int = 90) -> Message:
    start, end = short_date(summary.period_start), short_date(summary.period_end)
    now = summary.now
    lines = [
        TOTALS.format(
            new=tally(summary.new),
            recovered=tally(summary.recovered),
            written_off=tally(summary.written_off),
            open=tally(now.open),
        ),
        OWNERS.format(needs_owner=now.needs_owner, to_confirm=now.to_confirm),
        DUE.format(due=tally(now.due_this_week), overdue=tally(now.overdue))
        + (LAPSED.format(lapsed=tally(now.lapsed)) if now.lapsed.count else ""),
        APPEALS.format(
            appeals=summary.appeals_sent,
            corrected=summary.corrected_sent,
            outcomes=outcomes(summary),
        ),
    ]
    blocks: list[Block] = [
        header(HEADER.format(start=start, end=end)),
        section("\n".join(lines)),
        section(new_breakdown(summary)),
        section(AGING.format(items=aging(summary))),
        *_work(summary),
        DividerBlock(),
        section(patterns_text(summary.patterns, pattern_days)),
        ContextBlock(elements=[MarkdownTextObject(text=QUEUE_HINT)]),
    ]
    if summary.late:
        blocks.insert(1, ContextBlock(elements=[MarkdownTextObject(text=LATE)]))
    text = FALLBACK.format(
        start=start,
        end=end,
        new=summary.new.count,
        due=now.due_this_week.count,
        overdue=now.overdue.count,
    )
    return to_message(text, blocks)


def _work(summary: DigestSummary) -> list[Block]:
    """Records requests and rejected claims, when there are any (their own builder)."""
    lines = digest_lines(summary.work) if summary.work is not None else ""
    return [section(lines)] if lines else []


def new_breakdown(summary: DigestSummary) -> str:
    if not summary.new.count:
        return NO_NEW
    causes = top_items([(cause.label, t) for cause, t in summary.new_by_cause])
    payers = top_items([(clip(name, MAX_NAME), t) for name, t in summary.new_by_payer])
    return TOP_CAUSES.format(items=causes) + "\n" + TOP_PAYERS.format(items=payers)


def top_items(items: Sequence[tuple[str, Tally]], limit: int = TOP) -> str:
    """`Authorization 9 ($3,900) · Eligibility 6 ($1,200) · +2 more`."""
    shown = [f"{name} {tally(t)}" for name, t in items[:limit]]
    if len(items) > limit:
        shown.append(MORE.format(count=len(items) - limit))
    return " · ".join(shown)


def patterns_text(patterns: Sequence[PatternLine], days: int) -> str:
    if not patterns:
        return NO_PATTERNS
    return "\n".join(pattern_line(p, days) for p in patterns)


def pattern_line(pattern: PatternLine, days: int) -> str:
    """`Repeat pattern: Aetna · Authorization · CO-197 · LEE DANA: 31 claims in 90 days (…)`."""
    name = joined(
        clip(pattern.payer_name, MAX_NAME),
        pattern.category.label,
        clip(pattern.code, 20),
        clip(pattern.provider or "", MAX_NAME),
    )
    fix = NO_FIX
    if pattern.fixed_on is not None:
        day = short_date(pattern.fixed_on)
        verdict = escape(pattern.verdict) if pattern.verdict else None
        fix = FIX_VERDICT.format(day=day, verdict=verdict) if verdict else FIX_ON.format(day=day)
    return PATTERN.format(name=name, count=plural(pattern.count, "claim"), days=days, fix=fix)


def aging(summary: DigestSummary) -> str:
    """`0–30 $9,800 · 31–60 $6,100 · 61–90 $3,400 · 90+ $2,100`."""
    return " · ".join(f"{label} {money(t.amount)}" for label, t in summary.aging)


def outcomes(summary: DigestSummary) -> str:
    if not (summary.won or summary.lost or summary.partial):
        return NO_OUTCOMES
    return OUTCOMES.format(won=summary.won, lost=summary.lost, partial=summary.partial)


def tally(t: Tally | Amount) -> str:
    """`23 ($8,940.00)`: money with cents, as everywhere else."""
    return f"{t.count:,} ({money(t.amount)})"
