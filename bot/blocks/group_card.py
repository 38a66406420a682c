"""One grouped card for a burst of denials with the same pattern (UX.md "A burst with one
pattern"): a fixed handful of blocks whatever the size, so 300 denials fit as well as 3."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
    UserSelectElement,
)

from bot.blocks import ids
from bot.blocks.countdown import deadline_line
from bot.blocks.group_progress import cause_line, owner_line, progress_words, still_to_send
from bot.blocks.message import Message, header, root_cause_select, section, to_message
from bot.blocks.text import clip, money, plural, truncate
from bot.blocks.views import GroupView

HEADER = ":repeat: {count} · {pattern}  {amount}"
PATTERN = "{payer} · {code} {cause}"
PATTERN_PROVIDER = "{payer} · {code} {cause} · {provider}"
REPEAT = "*Repeat pattern: {this_import} this import, {last_90} in the last 90 days.*"
LIKELY_CAUSE = "*Likely cause:* {cause}"
CLAIMS_TITLE = "*Claims*"
CLAIMS_MORE = " … and {count} more"
DEADLINE_TITLE = "*Earliest deadline*"
EARLIEST = " (earliest)"
NOTHING_DUE = "Nothing left to send"
PROGRESS = "*Progress* {progress}"
ROOT_CAUSE_ALL = "Root cause for all"
ASSIGN_ALL = "Assign all"
SHOW_EACH = "Show each claim"
RECORD_FIX = "Record a fix"
CONTEXT = "G-{id} · one card for {count} that share payer, reason code and provider"
FALLBACK = (
    "{count} · {pattern} · {amount} · {progress} · repeat pattern: {last_90} in the last 90 days"
)

CLAIMS_SHOWN = 3
MAX_NAME = 60
MAX_LIKELY_CAUSE = 1500


def pattern_label(group: GroupView) -> str:
    """`Aetna · CO-197 authorization · Dr. Lee`, plain text (escape it for mrkdwn)."""
    template = PATTERN_PROVIDER if group.provider_name else PATTERN
    return template.format(
        payer=truncate(group.payer_name, MAX_NAME),
        code=truncate(group.code, 20),
        cause=group.category.label.lower(),
        provider=truncate(group.provider_name or "", MAX_NAME),
    )


def group_card(group: GroupView, *, today: date) -> Message:
    """The grouped card: header, repeat pattern, likely cause, claims, earliest deadline,
    bulk actions (root cause for all, assign all, show each claim, record a fix)."""
    ref = ids.denial_ref(group.group_id, group.version)
    count = plural(len(group.denials), "denial")
    pattern = pattern_label(group)
    blocks: list[Block] = [
        header(HEADER.format(count=count, pattern=pattern, amount=money(group.total_denied))),
        section(
            REPEAT.format(this_import=len(group.denials), last_90=group.count_90d)
            + "\n"
            + LIKELY_CAUSE.format(cause=clip(group.likely_cause, MAX_LIKELY_CAUSE))
        ),
        section(_state_text(group)),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"{CLAIMS_TITLE}\n{_claims_text(group)}"),
                MarkdownTextObject(text=f"{DEADLINE_TITLE}\n{_deadline(group, today)}"),
            ]
        ),
        ActionsBlock(
            block_id=ids.card_block_id(ids.GROUP_ACTIONS_BLOCK, ref),
            elements=[
                root_cause_select(
                    ids.GROUP_ROOT_CAUSE_SELECT, group.category, placeholder=ROOT_CAUSE_ALL
                ),
                UserSelectElement(action_id=ids.GROUP_ASSIGN_SELECT, placeholder=ASSIGN_ALL),
                ButtonElement(text=SHOW_EACH, action_id=ids.GROUP_SHOW_EACH, value=ref),
                ButtonElement(text=RECORD_FIX, action_id=ids.GROUP_RECORD_FIX, value=ref),
            ],
        ),
        ContextBlock(
            elements=[MarkdownTextObject(text=CONTEXT.format(id=group.group_id, count=count))]
        ),
    ]
    fallback = FALLBACK.format(
        count=count,
        pattern=clip(pattern, 3 * MAX_NAME),
        amount=money(group.total_denied),
        last_90=group.count_90d,
        progress=progress_words(group.denials),
    )
    return to_message(fallback, blocks)


def _state_text(group: GroupView) -> str:
    """`*Owner* @james`, `*Root cause* Authorization (set by @maria)` and the progress, one a
    line (they wrap badly side by side at phone width)."""
    state = f"{owner_line(group.denials)}\n{cause_line(group.denials)}"
    return state + "\n" + PROGRESS.format(progress=progress_words(group.denials))


def _claims_text(group: GroupView) -> str:
    shown = ", ".join(clip(d.claim_number, 40) for d in group.denials[:CLAIMS_SHOWN])
    hidden = len(group.denials) - CLAIMS_SHOWN
    return shown + (CLAIMS_MORE.format(count=hidden) if hidden > 0 else "")


def _deadline(group: GroupView, today: date) -> str:
    """The earliest deadline of the denials still to send (a sent or closed one has met its)."""
    to_send = still_to_send(group.denials)
    if not to_send:
        return NOTHING_DUE
    dated = [d for d in to_send if d.deadline is not None]
    if not dated:
        return deadline_line(None, group.earliest_deadline_kind, today=today).text
    first = min(dated, key=lambda d: d.deadline or date.max)
    return deadline_line(first.deadline, first.deadline_kind, today=today, note=EARLIEST).text
