"""The card of one denial in `#denials` (UX.md "A new denial"), rebuilt after every action."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    OverflowMenuElement,
    SectionBlock,
    UserSelectElement,
)

from bot.blocks import ids
from bot.blocks.message import Message, header, options, root_cause_select, section, to_message
from bot.blocks.text import (
    clip,
    deadline_text,
    long_date,
    mention,
    money,
    short_date,
    status_label,
    truncate,
)
from bot.blocks.views import DenialView, ReasonView
from bot.blocks.work_rows import records_link_line
from bot.domain.statuses import CLOSED, REOPENABLE, DenialStatus

HEADER_OPEN = ":red_circle: Denied · {payer} · {amount}"
HEADER_RECOVERED = ":white_check_mark: Recovered {amount} · {payer}"
HEADER_WRITTEN_OFF = ":heavy_minus_sign: Written off {amount} · {payer}"
HEADER_SUPERSEDED = ":arrows_counterclockwise: Re-adjudicated · {payer} · {amount}"
FALLBACK_OPEN = "Denied · {payer} · {amount} · claim {claim} · {deadline}"
FALLBACK_CLOSED = "{status} {amount} · {payer} · claim {claim}"
CLAIM = "*Claim {claim}*"
DOS = "DOS {date}"
PROVIDER_NPI = "{name} (NPI {npi})"
NPI = "NPI {npi}"
PATIENT = "Patient {name}"
AMOUNTS = "Billed {billed} · Paid {paid}"
CPTS = "CPT {cpts}"
REASON_TITLE = "*Reason*"
REASON_LINE = "`{code}` {explanation}"
REASON_NONE = "*Reason*  the payer sent no reason code"
REASONS_MORE = "… and {count} more"
ROOT_CAUSE_TITLE = "*Root cause*"
ROOT_CAUSE_SUGGESTED = "{label} (suggested)"
ROOT_CAUSE_SET_BY = "{label} · set by {user}"
STATUS_TITLE = "*Status*"
STATUS = "{status} · {assignee}"
CLOCK_ON_IMPORT = (
    "_The file had no remittance date, so the clock started on the import date ({date})._"
)
REPEAT = ":repeat: {count} denials like this (same payer, code and provider) in the last 90 days"
CLOSED_RECOVERED = "{amount} recovered of {denied} denied"
CLOSED_WRITTEN_OFF = "{amount} written off"
CLOSED_SUPERSEDED = "replaced by a later adjudication of the claim (its own card)"
MERGED_HEADER = ":link: Imported twice"
MERGED_TEXT = (
    "*Claim {claim}*: this denial was the same adjudication imported twice. Its history is on "
    "the card of D-{id} now; nothing is left to do here."
)
MERGED_FALLBACK = "Imported twice: tracked on D-{id}"
CLOSED_HISTORY = "{claim} · {cause} · {codes} · {outcome} · worked by {assignee}"
CONTEXT = "D-{id} · imported {date} from {file}"
ASSIGN_PLACEHOLDER = "Assign"
LOG_APPEAL = "Log appeal"
OVERFLOW_DRAFT_LETTER = "Draft appeal letter"
OVERFLOW_CORRECTED = "Corrected claim sent"
OVERFLOW_PAID = "Mark paid"
OVERFLOW_WRITE_OFF = "Write off"
OVERFLOW_REOPEN = "Reopen"
OVERFLOW_LOG_REQUEST = "Log a records request"

MAX_REASON_LINES = 8
MAX_EXPLANATION = 300
MAX_CPTS = 20
MAX_NAME = 80  # payer and provider names in the header and the claim line


def denial_card(view: DenialView, *, today: date) -> Message:
    """The card of one denial; closed denials (recovered, written off, replaced) shrink to two
    lines."""
    if view.status in CLOSED:
        return _closed_card(view)
    ref = ids.denial_ref(view.id, view.version)
    blocks: list[Block] = [
        header(
            HEADER_OPEN.format(payer=truncate(view.payer_name, MAX_NAME), amount=money(view.denied))
        ),
        SectionBlock(text=_claim_text(view)),
        SectionBlock(text=_reasons_text(view.reasons + view.rarcs, view.explanation)),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"{ROOT_CAUSE_TITLE}\n{_root_cause_text(view)}"),
                MarkdownTextObject(text=f"{STATUS_TITLE}\n{_status_text(view)}"),
            ]
        ),
        section("\n".join(_deadline_lines(view, today))),
        ActionsBlock(
            block_id=ids.card_block_id(ids.CARD_ACTIONS_BLOCK, ref),
            elements=[
                root_cause_select(ids.ROOT_CAUSE_SELECT, view.category),
                UserSelectElement(
                    action_id=ids.ASSIGN_SELECT,
                    placeholder=ASSIGN_PLACEHOLDER,
                    initial_user=view.assignee,
                ),
                ButtonElement(
                    text=LOG_APPEAL, action_id=ids.LOG_APPEAL_BUTTON, value=ref, style="primary"
                ),
                _overflow(view.status),
            ],
        ),
        _context(view),
    ]
    fallback = FALLBACK_OPEN.format(
        payer=clip(view.payer_name, MAX_NAME),
        amount=money(view.denied),
        claim=clip(view.claim_number, MAX_NAME),
        deadline=_deadline_lines(view, today)[0],
    )
    return to_message(fallback, blocks)


def _closed_card(view: DenialView) -> Message:
    got = view.recovered_amount
    payer = truncate(view.payer_name, MAX_NAME)
    if view.status == DenialStatus.RECOVERED:
        amount = money(got if got is not None else view.denied)
        title = HEADER_RECOVERED.format(amount=amount, payer=payer)
        outcome = CLOSED_RECOVERED.format(amount=amount, denied=money(view.denied))
    elif view.status == DenialStatus.SUPERSEDED:
        amount = money(view.denied)
        title = HEADER_SUPERSEDED.format(amount=amount, payer=payer)
        outcome = CLOSED_SUPERSEDED
    else:  # a partial payment before the write-off leaves only the rest written off
        amount = money(view.denied - (got or 0))
        title = HEADER_WRITTEN_OFF.format(amount=amount, payer=payer)
        outcome = CLOSED_WRITTEN_OFF.format(amount=amount)
    history = CLOSED_HISTORY.format(
        claim=CLAIM.format(claim=clip(view.claim_number, MAX_NAME)),
        cause=view.category.label,
        codes=", ".join(clip(r.code, 20) for r in view.reasons[:MAX_REASON_LINES]) or "no code",
        outcome=outcome,
        assignee=mention(view.assignee),
    )
    blocks: list[Block] = [
        header(title),
        SectionBlock(
            block_id=ids.card_block_id(
                ids.CARD_ACTIONS_BLOCK, ids.denial_ref(view.id, view.version)
            ),
            text=MarkdownTextObject(text=history),
            accessory=_overflow(view.status) if view.status in REOPENABLE else None,
        ),
        _context(view),
    ]
    fallback = FALLBACK_CLOSED.format(
        status=status_label(view.status),
        amount=amount,
        payer=clip(view.payer_name, MAX_NAME),
        claim=clip(view.claim_number, MAX_NAME),
    )
    return to_message(fallback, blocks)


def merged_card(kept_id: int, claim_number: str) -> Message:
    """A card whose denial was the same adjudication imported twice (`denials db dedupe`)."""
    text = MERGED_TEXT.format(id=kept_id, claim=clip(claim_number, MAX_NAME))
    return to_message(MERGED_FALLBACK.format(id=kept_id), [header(MERGED_HEADER), section(text)])


def _claim_text(view: DenialView) -> MarkdownTextObject:
    parts = [CLAIM.format(claim=clip(view.claim_number, MAX_NAME))]
    if view.service_date is not None:
        parts.append(DOS.format(date=long_date(view.service_date)))
    name = clip(view.provider_name, MAX_NAME) if view.provider_name else None
    npi = clip(view.provider_npi, 20) if view.provider_npi else None
    if name and npi:
        parts.append(PROVIDER_NPI.format(name=name, npi=npi))
    elif name or npi:
        parts.append(name or NPI.format(npi=npi))
    if view.patient_name:  # only filled when DENIALS_PHI=full
        parts.append(PATIENT.format(name=clip(view.patient_name, MAX_NAME)))
    second = [AMOUNTS.format(billed=money(view.billed), paid=money(view.paid))]
    if view.cpts:
        cpts = ", ".join(clip(cpt, 20) for cpt in view.cpts[:MAX_CPTS])
        more = len(view.cpts) - MAX_CPTS
        second.insert(0, CPTS.format(cpts=cpts + (f" +{more}" if more > 0 else "")))
    return MarkdownTextObject(text=" · ".join(parts) + "\n" + " · ".join(second))


def _reasons_text(reasons: tuple[ReasonView, ...], explanation: str) -> MarkdownTextObject:
    if not reasons:
        if explanation:  # a status-only report: its own words are all there is
            return MarkdownTextObject(text=f"{REASON_TITLE}  {clip(explanation, MAX_EXPLANATION)}")
        return MarkdownTextObject(text=REASON_NONE)
    lines = [REASON_TITLE]
    for reason in reasons[:MAX_REASON_LINES]:
        explanation = clip(reason.explanation, MAX_EXPLANATION) if reason.explanation else ""
        lines.append(
            REASON_LINE.format(code=clip(reason.code, 20), explanation=explanation).rstrip()
        )
    if len(reasons) > MAX_REASON_LINES:
        lines.append(REASONS_MORE.format(count=len(reasons) - MAX_REASON_LINES))
    return MarkdownTextObject(text="\n".join(lines))


def _root_cause_text(view: DenialView) -> str:
    label = view.category.label
    if view.category_source == "auto":
        return ROOT_CAUSE_SUGGESTED.format(label=label)
    if view.category_set_by:
        return ROOT_CAUSE_SET_BY.format(label=label, user=mention(view.category_set_by))
    return label


def _status_text(view: DenialView) -> str:
    return STATUS.format(status=status_label(view.status), assignee=mention(view.assignee))


def _deadline_lines(view: DenialView, today: date) -> list[str]:
    lines = [
        deadline_text(
            view.deadline, view.deadline_kind, today=today, no_appeal_reason=view.no_appeal_reason
        )
    ]
    if view.clock_started_on_import and view.deadline is not None:
        lines.append(CLOCK_ON_IMPORT.format(date=long_date(view.imported_on)))
    if view.repeat_count_90d > 1:
        lines.append(REPEAT.format(count=view.repeat_count_90d))
    if view.records is not None:
        lines.append(records_link_line(view.records))
    return lines


def _overflow(status: str) -> OverflowMenuElement:
    if status in CLOSED:
        choices = [(OVERFLOW_REOPEN, ids.OVERFLOW_REOPEN)]
    else:
        choices = [
            (OVERFLOW_DRAFT_LETTER, ids.OVERFLOW_DRAFT_LETTER),
            (OVERFLOW_CORRECTED, ids.OVERFLOW_CORRECTED),
            (OVERFLOW_PAID, ids.OVERFLOW_PAID),
            (OVERFLOW_WRITE_OFF, ids.OVERFLOW_WRITE_OFF),
        ]
        # an overflow holds five options: Reopen on a card waiting for the payer, else the
        # records request a payer asked for on paper (only while the denial is worked)
        if status in REOPENABLE:
            choices.append((OVERFLOW_REOPEN, ids.OVERFLOW_REOPEN))
        else:
            choices.append((OVERFLOW_LOG_REQUEST, ids.OVERFLOW_LOG_REQUEST))
    return OverflowMenuElement(
        action_id=ids.CARD_OVERFLOW,
        options=options(choices),
    )


def _context(view: DenialView) -> ContextBlock:
    text = CONTEXT.format(
        id=view.id, date=short_date(view.imported_on), file=clip(view.file_name, 200)
    )
    return ContextBlock(elements=[MarkdownTextObject(text=text)])
