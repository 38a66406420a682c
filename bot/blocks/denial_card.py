"""The card of one denial in `#denials` (UX.md "A new denial"), rebuilt after every action."""

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
from bot.blocks.card_state import HISTORY, REOPEN, CardState, Phase, can_appeal, card_state
from bot.blocks.countdown import DeadlineLine, deadline_line
from bot.blocks.message import Message, header, options, root_cause_select, section, to_message
from bot.blocks.reason_words import repeats
from bot.blocks.text import (
    clip,
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

HEADER = "{title} · {payer} · {amount}"
HEADER_RECOVERED = ":white_check_mark: Recovered {amount} · {payer}"
HEADER_WRITTEN_OFF = ":heavy_minus_sign: Written off {amount} · {payer}"
HEADER_SUPERSEDED = ":arrows_counterclockwise: Re-adjudicated · {payer} · {amount}"
FALLBACK_OPEN = "{title} · {payer} · {amount} · claim {claim} · {line}"
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
NEXT_STEP = "*Next step*  {step}"
APPEAL_SENT = "*Appeal sent* {date}{by} · {details}"
CORRECTED_SENT = "*Corrected claim sent* {date}{by}"
SENT_BY = " by {user}"
LEVEL = "level {level}"
REFERENCE = "ref {reference}"
DECISION_DUE = "Decision expected by {date} (the payer's {days} days)"
DECISION_LATE = "Decision was expected by {date}: call the payer if nothing came"
SENT_PLAIN = "{what} {date}"
DECISION_PLAIN = "decision expected by {date}"
APPEAL_WORDS = "appeal sent"
CORRECTED_WORDS = "corrected claim sent"
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
CLOSED_HISTORY = "{claim} · {cause} · {codes} · {outcome}"
WORKED_BY = " · worked by {assignee}"
CONTEXT = "D-{id} · imported {date} from {file}"
ASSIGN_PLACEHOLDER = "Assign"

MAX_REASON_LINES = 8
MAX_EXPLANATION = 300
MAX_CPTS = 20
MAX_NAME = 80  # payer and provider names in the header and the claim line


def denial_card(view: DenialView, *, today: date) -> Message:
    """The card of one denial as of `today`: its state decides the header, the main line, the
    next step and the controls; closed denials (recovered, written off, replaced) shrink to
    two lines."""
    if view.status in CLOSED:
        return _closed_card(view)
    line = deadline_line(
        view.deadline, view.deadline_kind, today=today, no_appeal_reason=view.no_appeal_reason
    )
    state = card_state(view, line.band)
    ref = ids.denial_ref(view.id, view.version)
    payer, amount = truncate(view.payer_name, MAX_NAME), money(view.denied)
    main, plain = _main_lines(view, state, line, today)
    if state.next_step:
        main.append(NEXT_STEP.format(step=state.next_step))
    elements: list[InteractiveElement] = [
        root_cause_select(ids.ROOT_CAUSE_SELECT, view.category),
        UserSelectElement(
            action_id=ids.ASSIGN_SELECT, placeholder=ASSIGN_PLACEHOLDER, initial_user=view.assignee
        ),
    ]
    if state.primary is not None:
        elements.append(
            ButtonElement(
                text=state.primary.label,
                action_id=state.primary.action_id,
                value=ref,
                style="primary",
            )
        )
    if state.menu:
        elements.append(_overflow(state.menu))
    blocks: list[Block] = [
        header(HEADER.format(title=state.title, payer=payer, amount=amount)),
        SectionBlock(text=_claim_text(view)),
        section("\n".join(main)),
        SectionBlock(text=_reasons_text(_reasons_shown(view), view.explanation)),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"{ROOT_CAUSE_TITLE}\n{_root_cause_text(view)}"),
                MarkdownTextObject(text=f"{STATUS_TITLE}\n{_status_text(view)}"),
            ]
        ),
        ActionsBlock(block_id=ids.card_block_id(ids.CARD_ACTIONS_BLOCK, ref), elements=elements),
        _context(view),
    ]
    fallback = FALLBACK_OPEN.format(
        title=state.plain_title,
        payer=clip(view.payer_name, MAX_NAME),
        amount=amount,
        claim=clip(view.claim_number, MAX_NAME),
        line=plain,
    )
    return to_message(fallback, blocks)


def _main_lines(
    view: DenialView, state: CardState, line: DeadlineLine, today: date
) -> tuple[list[str], str]:
    """The card's main lines for its state, and the words the notification text ends with."""
    appeal = view.appeal
    if state.phase is Phase.DENIED or appeal is None:
        lines = [line.text]
        if view.clock_started_on_import and view.deadline is not None:
            lines.append(CLOCK_ON_IMPORT.format(date=long_date(view.imported_on)))
        if view.repeat_count_90d > 1:
            lines.append(REPEAT.format(count=view.repeat_count_90d))
        if view.records is not None:
            lines.append(records_link_line(view.records))
        return lines, line.plain
    by = SENT_BY.format(user=mention(appeal.sent_by)) if appeal.sent_by else ""
    if appeal.kind == "corrected":
        lines = [CORRECTED_SENT.format(date=short_date(appeal.sent_on), by=by)]
        if not can_appeal(view):  # the filing limit still binds the corrected claim
            lines.append(line.text)
        plain = SENT_PLAIN.format(what=CORRECTED_WORDS, date=long_date(appeal.sent_on))
        return lines, plain
    details = [LEVEL.format(level=appeal.level) if appeal.level.isdigit() else appeal.level]
    if appeal.method:
        details.append(appeal.method)
    if appeal.reference:
        details.append(REFERENCE.format(reference=clip(appeal.reference, 60)))
    lines = [
        APPEAL_SENT.format(
            date=short_date(appeal.sent_on), by=by, details=" · ".join(clip(d, 60) for d in details)
        )
    ]
    plain = SENT_PLAIN.format(what=APPEAL_WORDS, date=long_date(appeal.sent_on))
    if appeal.decision_due is not None:
        due = long_date(appeal.decision_due)
        if appeal.decision_due < today:
            lines.append(DECISION_LATE.format(date=due))
        else:
            days = (appeal.decision_due - appeal.sent_on).days
            lines.append(DECISION_DUE.format(date=due, days=days))
        plain += " · " + DECISION_PLAIN.format(date=due)
    return lines, plain


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
    )
    if view.assignee:  # nobody owned it (a remittance paid it): no "worked by Unassigned"
        history += WORKED_BY.format(assignee=mention(view.assignee))
    blocks: list[Block] = [
        header(title),
        SectionBlock(
            block_id=ids.card_block_id(
                ids.CARD_ACTIONS_BLOCK, ids.denial_ref(view.id, view.version)
            ),
            text=MarkdownTextObject(text=history),
            accessory=_overflow(((REOPEN, ids.OVERFLOW_REOPEN), (HISTORY, ids.OVERFLOW_HISTORY)))
            if view.status in REOPENABLE
            else None,
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


def _reasons_shown(view: DenialView) -> tuple[ReasonView, ...]:
    """The CARCs, then each RARC that adds something: one that only repeats a CARC's words
    (CO-18 "duplicate claim" then N522 "duplicate … claim") is left out."""
    carcs = [f"{r.code} {r.explanation}" for r in view.reasons]
    rarcs = tuple(r for r in view.rarcs if not any(repeats(c, r.explanation) for c in carcs))
    return view.reasons + rarcs


def _overflow(choices: tuple[tuple[str, str], ...]) -> OverflowMenuElement:
    return OverflowMenuElement(action_id=ids.CARD_OVERFLOW, options=options(choices))


def _context(view: DenialView) -> ContextBlock:
    text = CONTEXT.format(
        id=view.id, date=short_date(view.imported_on), file=clip(view.file_name, 200)
    )
    return ContextBlock(elements=[MarkdownTextObject(text=text)])
