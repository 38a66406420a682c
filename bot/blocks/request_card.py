"""The card of one documentation request in `#denials`, rebuilt after every action.

One state, one next step (UX.md): still to send (due date and countdown, Mark sent), sent
(waiting for the payer), and closed (accepted or withdrawn: two lines). A later denial that
says the records were missing is shown where the status is.
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
from bot.blocks.text import clip, days_left_text, long_date, mention, money, short_date, truncate
from bot.blocks.work_views import NoteView, RequestView
from bot.domain.statuses import RequestStatus

HEADER_OPEN = ":page_facing_up: Records requested · {payer} · {claim}"
HEADER_FOLLOW_UP = ":page_facing_up: Records requested again · {payer} · {claim}"
HEADER_SENT = ":outbox_tray: Records sent · {payer} · {claim}"
HEADER_ACCEPTED = ":white_check_mark: Records accepted · {payer} · {claim}"
HEADER_WITHDRAWN = ":heavy_minus_sign: Request withdrawn · {payer} · {claim}"
HEADER_DENIED = ":rotating_light: Denied for missing records · {payer} · {claim}"
CLAIM = "*Claim {claim}*"
PAYER_NUMBER = "payer's no. {number}"
DOS = "DOS {date}"
PROVIDER_NPI = "{name} (NPI {npi})"
BILLED = "Billed {amount}"
PATIENT = "Patient {name}"
ASKED_TITLE = "*Asked for*"
ASKED_LINE = "• {words}"
ASKED_NOTHING = "*Asked for*  the request names no document: see the payer's letter"
STAFF_WORDS = "_{what}_"
ASKS_MORE = "… and {count} more"
DUE_TITLE = "*Send by*"
DUE = "{date} · {urgency}\n_{explained}_"
STATUS_TITLE = "*Status*"
STATUS = "{status} · {assignee}"
SENT = "Sent {date}{method}{reference}"
NEXT_TITLE = "*Next step*"
NEXT_OPEN = "Send the records (fax, portal, mail or a 275 attachment), then *Mark sent*."
NEXT_SENT = "Nothing until the payer decides; a denial for missing records would show here."
DENIED_NOT_SENT = (
    ":rotating_light: *Denied for missing records* on {on} ({codes}): the records were "
    "requested on {received} and not sent. Send them with an appeal."
)
DENIED_LATE = (
    ":rotating_light: *Denied for missing records* on {on} ({codes}): the records were "
    "requested on {received} and sent on {sent}, after the due date {due}."
)
DENIED_AFTER_SENT = (
    ":rotating_light: *Denied for missing records* on {on} ({codes}) although they were sent "
    "on {sent}: appeal with proof of when they went out."
)
ATTACHMENTS = ":paperclip: {names}"
CONTEXT = "R-{id} · received {received} · {source}"
SOURCE_FILE = "{origin} {file}"
SOURCE_LOGGED = "logged in Slack"
CLOSED_LINE = "{claim} · {payer} · {outcome}"
ASSIGN_PLACEHOLDER = "Assign"
MARK_SENT = "Mark sent"
OVERFLOW_DUE = "Change the due date"
OVERFLOW_WITHDRAWN = "Withdrawn by the payer"
OVERFLOW_ACCEPTED = "Payer accepted the records"
OVERFLOW_REOPEN = "Reopen"
OVERFLOW_HISTORY = "History"
FALLBACK = "Records requested · {payer} · claim {claim} · send by {due}"
FALLBACK_OTHER = "{status} · {payer} · claim {claim}"

MAX_NAME = 60
MAX_ASKS = 8
MAX_WORDS = 300


def request_card(view: RequestView, *, today: date) -> Message:
    if view.status.is_closed:
        return _closed(view)
    ref = ids.denial_ref(view.id, view.version)
    blocks: list[Block] = [
        header(_header(view)),
        SectionBlock(text=MarkdownTextObject(text=_claim_line(view))),
        section(_asks(view)),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=f"{DUE_TITLE}\n{_due(view, today)}"),
                MarkdownTextObject(text=f"{STATUS_TITLE}\n{_status(view)}"),
            ]
        ),
    ]
    if view.denials:
        blocks.append(section(_denied(view)))
    blocks.append(section(f"{NEXT_TITLE}  {_next(view)}"))
    blocks.append(
        ActionsBlock(
            block_id=ids.card_block_id(ids.REQUEST_ACTIONS_BLOCK, ref),
            elements=_controls(view, ref),
        )
    )
    blocks.append(_context(view))
    fallback = (
        FALLBACK.format(
            payer=clip(view.payer_name, MAX_NAME),
            claim=clip(view.claim_number, MAX_NAME),
            due=long_date(view.due_date),
        )
        if view.status is RequestStatus.REQUESTED
        else FALLBACK_OTHER.format(
            status=view.status.label,
            payer=clip(view.payer_name, MAX_NAME),
            claim=clip(view.claim_number, MAX_NAME),
        )
    )
    return to_message(fallback, blocks)


def _header(view: RequestView) -> str:
    template = HEADER_OPEN
    if view.denials:
        template = HEADER_DENIED
    elif view.status is RequestStatus.SENT:
        template = HEADER_SENT
    elif view.follow_up:
        template = HEADER_FOLLOW_UP
    return template.format(
        payer=truncate(view.payer_name, MAX_NAME), claim=truncate(view.claim_number, MAX_NAME)
    )


def _claim_line(view: RequestView) -> str:
    parts = [CLAIM.format(claim=clip(view.claim_number, MAX_NAME))]
    if view.payer_claim_number and view.payer_claim_number != view.claim_number:
        parts.append(PAYER_NUMBER.format(number=clip(view.payer_claim_number, MAX_NAME)))
    if view.service_date is not None:
        parts.append(DOS.format(date=long_date(view.service_date)))
    parts.extend(_provider(view.provider_name, view.provider_npi))
    if view.billed is not None:
        parts.append(BILLED.format(amount=money(view.billed)))
    if view.patient_name:  # only filled when DENIALS_PHI=full
        parts.append(PATIENT.format(name=clip(view.patient_name, MAX_NAME)))
    return " · ".join(parts)


def _provider(name: str | None, npi: str | None) -> list[str]:
    shown_name = clip(name, MAX_NAME) if name else None
    shown_npi = clip(npi, 20) if npi else None
    if shown_name and shown_npi:
        return [PROVIDER_NPI.format(name=shown_name, npi=shown_npi)]
    if shown_npi:
        return [f"NPI {shown_npi}"]
    return [shown_name] if shown_name else []


def note_lines(notes: tuple[NoteView, ...], limit: int = MAX_ASKS) -> list[str]:
    """`• 97110: Diagnostic imaging study (LOINC 18748-4)`, capped with "and N more"."""
    lines = []
    for note in notes[:limit]:
        words = clip(note.words, MAX_WORDS)
        lines.append(
            ASKED_LINE.format(words=f"{clip(note.line, 30)}: {words}" if note.line else words)
        )
    if len(notes) > limit:
        lines.append(ASKS_MORE.format(count=len(notes) - limit))
    return lines


def _asks(view: RequestView) -> str:
    lines = [ASKED_TITLE, *note_lines(view.asks)]
    if view.what:
        lines.append(STAFF_WORDS.format(what=clip(view.what, MAX_WORDS)))
    if len(lines) == 1:
        return ASKED_NOTHING
    if view.attachments:
        lines.append(ATTACHMENTS.format(names=", ".join(clip(n, 60) for n in view.attachments[:5])))
    return "\n".join(lines)


def _due(view: RequestView, today: date) -> str:
    waiting = view.status is RequestStatus.SENT
    return due_text(view.due_date, view.due_explained, today=today, waiting=waiting)


def due_text(due: date, explained: str, *, today: date, waiting: bool, note: str = "") -> str:
    """`Dec 20, 2026 · 20 days left` and where the date comes from; the date alone once the
    work is done and the payer is the one to move (no countdown to chase)."""
    if waiting:
        return long_date(due)
    return DUE.format(
        date=long_date(due),
        urgency=days_left_text((due - today).days),
        explained=clip(explained, 120) + note,
    )


def _status(view: RequestView) -> str:
    text = STATUS.format(status=view.status.label, assignee=mention(view.assignee))
    if view.status is RequestStatus.SENT and view.sent_on is not None:
        text += "\n" + SENT.format(
            date=short_date(view.sent_on),
            method=f" by {clip(view.sent_method, 40)}" if view.sent_method else "",
            reference=f" · ref {clip(view.sent_reference, 60)}" if view.sent_reference else "",
        )
    return text


def _denied(view: RequestView) -> str:
    link = view.denials[-1]
    codes = clip(", ".join(link.codes[:4]), 60)
    on, received = short_date(link.denied_on), short_date(view.received_on)
    if view.sent_on is None:
        return DENIED_NOT_SENT.format(on=on, codes=codes, received=received)
    if view.sent_on > view.due_date:
        return DENIED_LATE.format(
            on=on,
            codes=codes,
            received=received,
            sent=short_date(view.sent_on),
            due=short_date(view.due_date),
        )
    return DENIED_AFTER_SENT.format(on=on, codes=codes, sent=short_date(view.sent_on))


def _next(view: RequestView) -> str:
    return NEXT_SENT if view.status is RequestStatus.SENT else NEXT_OPEN


def _controls(view: RequestView, ref: str) -> list[InteractiveElement]:
    assign = UserSelectElement(
        action_id=ids.REQUEST_ASSIGN_SELECT,
        placeholder=ASSIGN_PLACEHOLDER,
        initial_user=view.assignee,
    )
    if view.status is RequestStatus.SENT:
        choices = [(OVERFLOW_ACCEPTED, ids.WORK_ACCEPTED), (OVERFLOW_REOPEN, ids.WORK_REOPEN)]
        return [assign, _overflow(choices)]
    sent = ButtonElement(
        text=MARK_SENT, action_id=ids.REQUEST_SENT_BUTTON, value=ref, style="primary"
    )
    choices = [(OVERFLOW_DUE, ids.WORK_DUE_DATE), (OVERFLOW_WITHDRAWN, ids.WORK_WITHDRAWN)]
    return [assign, sent, _overflow(choices)]


def _overflow(choices: list[tuple[str, str]]) -> OverflowMenuElement:
    # History last on every menu, as on a denial's card: at most 3 choices of Slack's 5
    history = (OVERFLOW_HISTORY, ids.WORK_HISTORY)
    return OverflowMenuElement(action_id=ids.REQUEST_OVERFLOW, options=options([*choices, history]))


def _closed(view: RequestView) -> Message:
    template = HEADER_ACCEPTED if view.status is RequestStatus.ACCEPTED else HEADER_WITHDRAWN
    title = template.format(
        payer=truncate(view.payer_name, MAX_NAME), claim=truncate(view.claim_number, MAX_NAME)
    )
    outcome = view.status.label
    if view.closed_note:
        outcome += f": {clip(view.closed_note, 200)}"
    line = CLOSED_LINE.format(
        claim=CLAIM.format(claim=clip(view.claim_number, MAX_NAME)),
        payer=clip(view.payer_name, MAX_NAME),
        outcome=outcome,
    )
    blocks: list[Block] = [
        header(title),
        SectionBlock(
            block_id=ids.card_block_id(
                ids.REQUEST_ACTIONS_BLOCK, ids.denial_ref(view.id, view.version)
            ),
            text=MarkdownTextObject(text=line),
            accessory=_overflow([(OVERFLOW_REOPEN, ids.WORK_REOPEN)]),
        ),
        _context(view),
    ]
    fallback = FALLBACK_OTHER.format(
        status=view.status.label,
        payer=clip(view.payer_name, MAX_NAME),
        claim=clip(view.claim_number, MAX_NAME),
    )
    return to_message(fallback, blocks)


def _context(view: RequestView) -> ContextBlock:
    source = (
        SOURCE_FILE.format(origin=view.origin, file=clip(view.file_name, 120))
        if view.file_name
        else SOURCE_LOGGED
    )
    text = CONTEXT.format(id=view.id, received=short_date(view.received_on), source=source)
    return ContextBlock(elements=[MarkdownTextObject(text=text)])
