"""The card of one front-end rejection (277CA): a claim that never reached adjudication.

There is nothing to appeal: the next step is always to correct and resubmit within the
payer's filing limit. A batch or provider rejection covers claims the acknowledgment does not
list one by one, so its card says how many and what they add up to.
"""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    InteractiveElement,
    MarkdownTextObject,
    OverflowMenuElement,
    SectionBlock,
    UserSelectElement,
)

from bot.blocks import ids
from bot.blocks.message import Message, header, options, section, to_message
from bot.blocks.request_card import due_text, note_lines
from bot.blocks.text import (
    clip,
    long_date,
    mention,
    money,
    plural,
    short_date,
    truncate,
)
from bot.blocks.work_views import RejectionView
from bot.domain.statuses import RejectionStatus

HEADER_CLAIM = ":no_entry: Rejected before adjudication · {payer}{amount}"
HEADER_PROVIDER = ":no_entry: {count} rejected · {provider} · {payer}{amount}"
HEADER_BATCH = ":no_entry: Whole batch rejected · {payer}{amount}"
HEADER_CORRECTED = ":arrows_counterclockwise: Corrected and resubmitted · {payer}{amount}"
HEADER_CLOSED = ":white_check_mark: Rejection closed · {payer}"
CLAIM = "*Claim {claim}*"
BATCH = "*Batch {trace}*: {count}none of its claims reached the payer"
PROVIDER_CLAIMS = "*{count}* of {provider} in batch {trace}"
DOS = "DOS {date}"
CLEARINGHOUSE = "rejected by the clearinghouse"
PATIENT = "Patient {name}"
WRONG_TITLE = "*What is wrong*"
DUE_TITLE = "*Correct and resubmit by*"
FILING_LIMIT = " (filing limit)"
STATUS_TITLE = "*Status*"
STATUS = "{status} · {assignee}"
CORRECTED = "Resubmitted {date}{note}"
NEXT_TITLE = "*Next step*"
NEXT_CLAIM = "Correct the claim in your billing system and send it again, then *Mark corrected*."
NEXT_BATCH = "Fix the problem above and send the whole batch again, then *Mark corrected*."
NEXT_CORRECTED = (
    "Nothing until the payer acknowledges it; an acceptance closes this card by itself."
)
CONTEXT = "J-{id} · rejected {received} · {origin} {file}"
CLOSED_LINE = "{subject} · {payer} · Closed{note}"
ASSIGN_PLACEHOLDER = "Assign"
MARK_CORRECTED = "Mark corrected"
OVERFLOW_CLOSE = "Close (nothing to resubmit)"
OVERFLOW_REOPEN = "Reopen"
OVERFLOW_HISTORY = "History"
FALLBACK = "Rejected before adjudication · {payer} · {subject} · resubmit by {due}"
FALLBACK_OTHER = "{status} · {payer} · {subject}"
MAX_NAME = 60


def rejection_card(view: RejectionView, *, today: date) -> Message:
    if view.status.is_closed:
        return _closed(view)
    ref = ids.denial_ref(view.id, view.version)
    blocks: list[Block] = [
        header(_header(view)),
        SectionBlock(text=MarkdownTextObject(text=_subject_line(view))),
        section("\n".join([WRONG_TITLE, *note_lines(view.reasons)])),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"{DUE_TITLE}\n{_due(view, today)}"),
                MarkdownTextObject(text=f"{STATUS_TITLE}\n{_status(view)}"),
            ]
        ),
        section(f"{NEXT_TITLE}  {_next(view)}"),
        ActionsBlock(
            block_id=ids.card_block_id(ids.REJECTION_ACTIONS_BLOCK, ref),
            elements=_controls(view, ref),
        ),
        _context(view),
    ]
    fallback = FALLBACK.format(
        payer=clip(view.payer_name, MAX_NAME),
        subject=subject(view),
        due=long_date(view.resubmit_by),
    )
    if view.status is RejectionStatus.CORRECTED:
        fallback = FALLBACK_OTHER.format(
            status=view.status.label, payer=clip(view.payer_name, MAX_NAME), subject=subject(view)
        )
    return to_message(fallback, blocks)


def subject(view: RejectionView) -> str:
    """`claim CLM3001`, `batch 2002…`, `3 claims of REED, I B`: what was rejected."""
    if view.level == "batch":
        return f"batch {clip(view.trace or '?', MAX_NAME)}"
    if view.level == "provider":
        count = plural(view.claims_count, "claim") if view.claims_count else "the claims"
        return f"{count} of {clip(view.provider_name or view.provider_npi or '?', MAX_NAME)}"
    return f"claim {clip(view.claim_number or '?', MAX_NAME)}"


def _header(view: RejectionView) -> str:
    amount = f" · {money(view.billed)}" if view.billed is not None else ""
    payer = truncate(view.payer_name, MAX_NAME)
    if view.status is RejectionStatus.CORRECTED:
        return HEADER_CORRECTED.format(payer=payer, amount=amount)
    if view.level == "batch":
        return HEADER_BATCH.format(payer=payer, amount=amount)
    if view.level == "provider":
        count = plural(view.claims_count, "claim") if view.claims_count else "Claims"
        provider = truncate(view.provider_name or view.provider_npi or "provider", MAX_NAME)
        return HEADER_PROVIDER.format(count=count, provider=provider, payer=payer, amount=amount)
    return HEADER_CLAIM.format(payer=payer, amount=amount)


def _subject_line(view: RejectionView) -> str:
    if view.level == "batch":
        count = f"{plural(view.claims_count, 'claim')}, " if view.claims_count else ""
        parts = [BATCH.format(trace=clip(view.trace or "?", MAX_NAME), count=count)]
    elif view.level == "provider":
        count = plural(view.claims_count, "claim") if view.claims_count else "The claims"
        provider = clip(view.provider_name or "the provider", MAX_NAME)
        if view.provider_npi:
            provider += f" (NPI {clip(view.provider_npi, 20)})"
        parts = [
            PROVIDER_CLAIMS.format(
                count=count, provider=provider, trace=clip(view.trace or "?", 40)
            )
        ]
    else:
        parts = [CLAIM.format(claim=clip(view.claim_number or "?", MAX_NAME))]
        if view.service_date is not None:
            parts.append(DOS.format(date=long_date(view.service_date)))
        if view.provider_npi:
            parts.append(f"NPI {clip(view.provider_npi, 20)}")
        if view.patient_name:
            parts.append(PATIENT.format(name=clip(view.patient_name, MAX_NAME)))
    if view.from_clearinghouse:
        parts.append(CLEARINGHOUSE)
    return " · ".join(parts)


def _due(view: RejectionView, today: date) -> str:
    waiting = view.status is RejectionStatus.CORRECTED
    return due_text(
        view.resubmit_by, view.due_explained, today=today, waiting=waiting, note=FILING_LIMIT
    )


def _status(view: RejectionView) -> str:
    text = STATUS.format(status=view.status.label, assignee=mention(view.assignee))
    if view.status is RejectionStatus.CORRECTED and view.corrected_on is not None:
        note = f" · {clip(view.correction_note, 120)}" if view.correction_note else ""
        text += "\n" + CORRECTED.format(date=short_date(view.corrected_on), note=note)
    return text


def _next(view: RejectionView) -> str:
    if view.status is RejectionStatus.CORRECTED:
        return NEXT_CORRECTED
    return NEXT_BATCH if view.level != "claim" else NEXT_CLAIM


def _controls(view: RejectionView, ref: str) -> list[InteractiveElement]:
    assign = UserSelectElement(
        action_id=ids.REJECTION_ASSIGN_SELECT,
        placeholder=ASSIGN_PLACEHOLDER,
        initial_user=view.assignee,
    )
    if view.status is RejectionStatus.CORRECTED:
        return [
            assign,
            _overflow([(OVERFLOW_CLOSE, ids.WORK_CLOSE), (OVERFLOW_REOPEN, ids.WORK_REOPEN)]),
        ]
    corrected = ButtonElement(
        text=MARK_CORRECTED, action_id=ids.REJECTION_CORRECTED_BUTTON, value=ref, style="primary"
    )
    return [assign, corrected, _overflow([(OVERFLOW_CLOSE, ids.WORK_CLOSE)])]


def _overflow(choices: list[tuple[str, str]]) -> OverflowMenuElement:
    # History last on every menu, as on a denial's card: at most 3 choices of Slack's 5
    history = (OVERFLOW_HISTORY, ids.WORK_HISTORY)
    return OverflowMenuElement(
        action_id=ids.REJECTION_OVERFLOW, options=options([*choices, history])
    )


def _closed(view: RejectionView) -> Message:
    payer = truncate(view.payer_name, MAX_NAME)
    note = f": {clip(view.closed_note, 200)}" if view.closed_note else ""
    line = CLOSED_LINE.format(
        subject=subject(view), payer=clip(view.payer_name, MAX_NAME), note=note
    )
    blocks: list[Block] = [
        header(HEADER_CLOSED.format(payer=payer)),
        SectionBlock(
            block_id=ids.card_block_id(
                ids.REJECTION_ACTIONS_BLOCK, ids.denial_ref(view.id, view.version)
            ),
            text=MarkdownTextObject(text=line),
            accessory=_overflow([(OVERFLOW_REOPEN, ids.WORK_REOPEN)]),
        ),
        _context(view),
    ]
    fallback = FALLBACK_OTHER.format(
        status=view.status.label, payer=clip(view.payer_name, MAX_NAME), subject=subject(view)
    )
    return to_message(fallback, blocks)


def _context(view: RejectionView) -> ContextBlock:
    text = CONTEXT.format(
        id=view.id,
        received=short_date(view.received_on),
        origin=view.origin,
        file=clip(view.file_name or "", 120),
    ).rstrip()
    return ContextBlock(elements=[MarkdownTextObject(text=text)])
