"""One-line history notes in the thread of a documentation request's or a rejection's card.

Same rules as `thread_notes`: mrkdwn, never broadcast, people's free text escaped.
"""

from __future__ import annotations

from datetime import date

from bot.blocks.text import clip, mention, short_date

ASKED_AGAIN = ":repeat: The payer asked again on {received}; now due {due}."
REJECTED_AGAIN = ":x: Rejected again on {received}."
CLOSED_BY_PAYER = ":white_check_mark: Closed: {why}."
DENIED = ":rotating_light: The claim was denied for missing records ({codes}) on {on}."
LOGGED = "{user} logged a records request due {due}"
SENT = "{user} marked the records sent{method}{reference} · {sent_on}"
WITHDRAWN = "{user} marked the request withdrawn{reason}"
REOPENED = "{user} reopened it"
CORRECTED = "{user} corrected and resubmitted the claim · {on}{note}"
CLOSED = "{user} closed it{reason}"
ATTACHED = "{user} attached {name}"
DUE_CHANGED = "{user} changed the due date to {due}"
MAX_TEXT = 200


def asked_again(received: date, due: date) -> str:
    return ASKED_AGAIN.format(received=short_date(received), due=short_date(due))


def rejected_again(received: date) -> str:
    return REJECTED_AGAIN.format(received=short_date(received))


def closed_by_payer(why: str) -> str:
    return CLOSED_BY_PAYER.format(why=why)


def denied_for_missing_records(codes: list[str], on: date) -> str:
    return DENIED.format(codes=clip(", ".join(codes[:4]), 60), on=short_date(on))


def logged(user: str, due: date) -> str:
    return LOGGED.format(user=mention(user), due=short_date(due))


def sent(user: str, sent_on: date, method: str | None, reference: str | None) -> str:
    """`@maria marked the records sent by fax · ref 88-2231 · Oct 22`."""
    return SENT.format(
        user=mention(user),
        method=f" by {clip(method, 40)}" if method else "",
        reference=f" · ref {clip(reference, 60)}" if reference else "",
        sent_on=short_date(sent_on),
    )


def withdrawn(user: str, reason: str | None) -> str:
    return WITHDRAWN.format(
        user=mention(user), reason=f": {clip(reason, MAX_TEXT)}" if reason else ""
    )


def reopened(user: str) -> str:
    return REOPENED.format(user=mention(user))


def corrected(user: str, on: date, note: str | None) -> str:
    return CORRECTED.format(
        user=mention(user), on=short_date(on), note=f" · {clip(note, MAX_TEXT)}" if note else ""
    )


def closed(user: str, reason: str | None) -> str:
    return CLOSED.format(user=mention(user), reason=_reason(reason))


def _reason(reason: str | None) -> str:
    return f": {clip(reason, MAX_TEXT)}" if reason else ""


def attached(user: str, name: str) -> str:
    return ATTACHED.format(user=mention(user), name=clip(name, 80))


def due_changed(user: str, due: date) -> str:
    return DUE_CHANGED.format(user=mention(user), due=short_date(due))


def paid_note(paid_on: date, *, sent: bool) -> str:
    """Why a request closed by itself: the claim was paid (with the records, or without)."""
    if sent:
        return f"the claim was paid on a remittance of {short_date(paid_on)}: records accepted"
    return f"the claim was paid on a remittance of {short_date(paid_on)} without the records"
