"""The early warning of a repeat pattern, and a fix's "still recurring" alert (in the channel).

Each names what repeats (payer · CARC root cause · provider · CPT), the claims and dollars so
far, why it was raised in plain words, the likely workflow cause, and "Record a fix". A
"still recurring" alert tags the fix's owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks import ids
from bot.blocks.message import Message, header, section, to_message
from bot.blocks.text import clip, mention, money, plural, short_date, truncate
from bot.domain.findings import RootCause
from bot.domain.pattern_rates import NEW_LOOKBACK, Counts, Trigger

WARNING_HEADER = ":warning: Early warning · {label}"
RECURRING_HEADER = ":rotating_light: Still recurring · {label}"
NEW_WHY = (
    "*New for {payer}:* {code} had not come from {payer} in the {lookback} days before "
    "{start}; {count} since then, across {imports}."
)
RATE_WHY = (
    "*Well above usual:* {count} in the 4 weeks to {end} across {imports}, "
    "{rate} per 100 {payer} claims{of_provider}. Usual: {usual} per 100 over the half-year before."
)
RECURRING_WHY = (
    "{owner} the fix recorded for this pattern has not stopped it: {count} ({dollars}) in "
    "the {span} since {effective}, {rate} per 100 claims; {before_rate} per 100 in the same "
    "length of time before."
)
FIX_LINE = "*Fix on record* ({effective}{by}): {note}"
SO_FAR = "*{title}*\n{count} · {dollars}\n{first} – {last}"
SO_FAR_TITLE, SINCE_FIX_TITLE = "So far", "Since the fix"
CLAIMS = "*Claims*\n{claims}"
CLAIMS_MORE = " and {count} more"
LIKELY = "*Likely cause:* {cause}"
RECORD_FIX = "Record a fix"
RECORD_NEW_FIX = "Record a new fix"
CONTEXT = (
    "Counted by denial date across imports. Alerted once per pattern: again only if it keeps "
    "coming after a fix, or comes back after 8 quiet weeks. `/denials patterns` lists them all."
)
RECURRING_CONTEXT = (
    "Said once for this fix. `/denials patterns` shows how each fix is doing, with a chart."
)
FALLBACK = "{title}: {count} · {dollars}. Likely cause: {cause}"
CLAIMS_SHOWN = 5
MAX_NAME = 60
MAX_NOTE = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class FixLine:
    note: str
    owner: str | None  # Slack user id
    effective: date


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertView:
    key: str
    scope_key: str  # what "Record a fix" records against
    trigger: Trigger
    payer: str
    category: RootCause
    code: str
    provider: str | None
    cpt: str | None
    window_start: date
    as_of: date
    window: Counts
    baseline: Counts
    claims: tuple[str, ...]  # newest first
    imports: int
    likely_cause: str
    fix: FixLine | None = None  # the fix a "still recurring" alert is about
    days: int = 0  # its days of data since the fix


def pattern_words(payer: str, code: str, category: RootCause, *more: str | None) -> str:
    """`Aetna · CO-197 authorization · Dr. Lee · 97110` (plain text)."""
    parts = [truncate(payer, MAX_NAME), f"{truncate(code, 20)} {category.label.lower()}"]
    parts += [truncate(p, MAX_NAME) for p in more if p]
    return " · ".join(parts)


def rate_words(rate: Fraction | None) -> str:
    """Denials per 100 claims with one decimal: `4.0`; `–` without claims."""
    if rate is None:
        return "–"
    tenths = int(rate * 10 + Fraction(1, 2))
    return f"{tenths // 10}.{tenths % 10}"


def alert_message(view: AlertView) -> Message:
    label = pattern_words(view.payer, view.code, view.category, view.provider, view.cpt)
    recurring = view.trigger is Trigger.RECURRING
    title = (RECURRING_HEADER if recurring else WARNING_HEADER).format(label=label)
    count, dollars = plural(view.window.denials, "denial"), money(view.window.dollars)
    blocks: list[Block] = [header(title), section(_why(view))]
    if view.fix is not None:
        by = f" · owner {mention(view.fix.owner)}" if view.fix.owner else ""
        blocks.append(
            section(
                FIX_LINE.format(
                    effective=short_date(view.fix.effective),
                    by=by,
                    note=clip(view.fix.note, MAX_NOTE),
                )
            )
        )
    blocks += [
        SectionBlock(
            fields=[
                MarkdownTextObject(
                    text=SO_FAR.format(
                        title=SINCE_FIX_TITLE if recurring else SO_FAR_TITLE,
                        count=count,
                        dollars=dollars,
                        first=short_date(view.window_start),
                        last=short_date(view.as_of),
                    )
                ),
                MarkdownTextObject(text=CLAIMS.format(claims=_claims(view.claims))),
            ]
        ),
        section(LIKELY.format(cause=clip(view.likely_cause, 1500))),
        ActionsBlock(
            block_id=ids.card_block_id(ids.PATTERN_ACTIONS_BLOCK, view.key),
            elements=[
                ButtonElement(
                    text=RECORD_NEW_FIX if recurring else RECORD_FIX,
                    action_id=ids.PATTERN_RECORD_FIX,
                    value=view.scope_key,
                    style="primary",
                )
            ],
        ),
        ContextBlock(
            elements=[MarkdownTextObject(text=RECURRING_CONTEXT if recurring else CONTEXT)]
        ),
    ]
    fallback = FALLBACK.format(
        title=clip(title, 300), count=count, dollars=dollars, cause=clip(view.likely_cause, 300)
    )
    if recurring and view.fix is not None and view.fix.owner:
        fallback = f"{mention(view.fix.owner)} {fallback}"
    return to_message(fallback, blocks)


def _why(view: AlertView) -> str:
    count = plural(view.window.denials, "denial")
    imports = plural(view.imports, "import")
    payer = clip(view.payer, MAX_NAME)
    if view.trigger is Trigger.NEW:
        return NEW_WHY.format(
            payer=payer,
            code=clip(view.code, 20),
            lookback=NEW_LOOKBACK.days,
            start=short_date(view.window_start),
            count=count,
            imports=imports,
        )
    if view.trigger is Trigger.RATE:
        of_provider = f" for {clip(view.provider, MAX_NAME)}" if view.provider else ""
        return RATE_WHY.format(
            count=count,
            end=short_date(view.as_of),
            imports=imports,
            rate=rate_words(view.window.rate),
            payer=payer,
            of_provider=of_provider,
            usual=rate_words(view.baseline.rate),
        )
    fix = view.fix
    return RECURRING_WHY.format(
        owner=mention(fix.owner) if fix and fix.owner else "Heads up:",
        count=count,
        dollars=money(view.window.dollars),
        span=plural(view.days // 7, "week") if view.days >= 7 else plural(view.days, "day"),
        effective=short_date(fix.effective if fix else view.window_start),
        rate=rate_words(view.window.rate),
        before_rate=rate_words(view.baseline.rate),
    )


def _claims(claims: tuple[str, ...]) -> str:
    shown = ", ".join(clip(c, 40) for c in claims[:CLAIMS_SHOWN])
    hidden = len(claims) - CLAIMS_SHOWN
    return (shown or "–") + (CLAIMS_MORE.format(count=hidden) if hidden > 0 else "")
