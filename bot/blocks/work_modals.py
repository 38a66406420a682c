"""Forms for documentation requests and rejections: log a request, records sent, a new due
date, claim corrected. References and reading rules as in `modals`."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    DatePickerElement,
    PlainTextInputElement,
    StaticSelectElement,
)

from bot.blocks import ids
from bot.blocks.message import options, section
from bot.blocks.modals import MAX_TEXT, _input, _modal
from bot.blocks.text import clip, long_date

REQUEST_TITLE = "Log a records request"
REQUEST_SUBMIT = "Log request"
REQUEST_INTRO = (
    "A payer asked for records on paper or in a portal? Log it here: it gets a card, a due "
    "date and reminders like the requests that come electronically."
)
REQUEST_CLAIM = "Claim number"
REQUEST_PAYER = "Payer"
REQUEST_PAYER_HINT = "Leave empty to use the payer of the claim's last remittance."
REQUEST_DUE = "Due date"
REQUEST_DUE_HINT = (
    "From the letter. Leave empty to use the payer's usual window (Medicare: 45 days)."
)
REQUEST_WHAT = "What is asked for"
REQUEST_WHAT_PLACEHOLDER = "e.g. Op note and progress notes for DOS 10/01"
SENT_TITLE = "Records sent"
SENT_SUBMIT = "Mark sent"
SENT_INTRO = "Records for claim *{claim}*. Reminders stop once they are marked sent."
SENT_METHOD = "Sent by"
SENT_ON = "Date sent"
SENT_REFERENCE = "Reference"
SENT_REFERENCE_HINT = "Fax confirmation, portal upload id or tracking number, if any."
DUE_TITLE = "Change the due date"
DUE_SUBMIT = "Save"
DUE_INTRO = "Records for claim *{claim}* are due *{due}*. What date does the payer give?"
CORRECTED_TITLE = "Claim corrected"
CORRECTED_SUBMIT = "Mark corrected"
CORRECTED_INTRO = (
    "Claim *{subject}* was corrected and sent again. The card closes itself when the payer "
    "acknowledges it."
)
CORRECTED_ON = "Date resubmitted"
CORRECTED_NOTE = "What was corrected"
CORRECTED_PLACEHOLDER = "e.g. Fixed the billing NPI"

SEND_METHODS: tuple[tuple[str, str], ...] = (
    ("fax", "Fax"),
    ("portal", "Payer portal"),
    ("mail", "Mail"),
    ("electronic", "Electronic (275 attachment)"),
    ("esmd", "esMD (Medicare)"),
)


def request_modal(
    *, claim: str | None = None, payer: str | None = None, metadata: str = ""
) -> dict[str, Any]:
    """Claim (prefilled from a denial card), payer, due date and what is asked for."""
    blocks: list[Block] = [
        section(REQUEST_INTRO),
        _input(
            ids.REQUEST_CLAIM_BLOCK,
            REQUEST_CLAIM,
            PlainTextInputElement(
                action_id=ids.REQUEST_CLAIM_INPUT, initial_value=claim or None, max_length=50
            ),
        ),
        _input(
            ids.REQUEST_PAYER_BLOCK,
            REQUEST_PAYER,
            PlainTextInputElement(
                action_id=ids.REQUEST_PAYER_INPUT, initial_value=payer or None, max_length=100
            ),
            optional=True,
            hint=REQUEST_PAYER_HINT,
        ),
        _input(
            ids.REQUEST_DUE_BLOCK,
            REQUEST_DUE,
            DatePickerElement(action_id=ids.REQUEST_DUE_INPUT),
            optional=True,
            hint=REQUEST_DUE_HINT,
        ),
        _input(
            ids.REQUEST_WHAT_BLOCK,
            REQUEST_WHAT,
            PlainTextInputElement(
                action_id=ids.REQUEST_WHAT_INPUT,
                multiline=True,
                max_length=MAX_TEXT,
                placeholder=REQUEST_WHAT_PLACEHOLDER,
            ),
            optional=True,
        ),
    ]
    return _modal(ids.REQUEST_MODAL, REQUEST_TITLE, REQUEST_SUBMIT, metadata, blocks)


def sent_modal(ref: str, claim: str, *, today: date) -> dict[str, Any]:
    """How and when the records went out, and a reference to prove it."""
    blocks: list[Block] = [
        section(SENT_INTRO.format(claim=clip(claim, 80))),
        _input(
            ids.SENT_METHOD_BLOCK,
            SENT_METHOD,
            StaticSelectElement(
                action_id=ids.SENT_METHOD_INPUT,
                options=options((label, value) for value, label in SEND_METHODS),
            ),
        ),
        _input(
            ids.SENT_ON_BLOCK,
            SENT_ON,
            DatePickerElement(action_id=ids.SENT_ON_INPUT, initial_date=today.isoformat()),
        ),
        _input(
            ids.SENT_REFERENCE_BLOCK,
            SENT_REFERENCE,
            PlainTextInputElement(action_id=ids.SENT_REFERENCE_INPUT, max_length=100),
            optional=True,
            hint=SENT_REFERENCE_HINT,
        ),
    ]
    return _modal(ids.REQUEST_SENT_MODAL, SENT_TITLE, SENT_SUBMIT, ref, blocks)


def due_modal(ref: str, claim: str, *, due: date) -> dict[str, Any]:
    blocks: list[Block] = [
        section(DUE_INTRO.format(claim=clip(claim, 80), due=long_date(due))),
        _input(
            ids.REQUEST_DUE_BLOCK,
            REQUEST_DUE,
            DatePickerElement(action_id=ids.REQUEST_DUE_INPUT, initial_date=due.isoformat()),
        ),
    ]
    return _modal(ids.REQUEST_DUE_MODAL, DUE_TITLE, DUE_SUBMIT, ref, blocks)


def corrected_modal(ref: str, subject: str, *, today: date) -> dict[str, Any]:
    blocks: list[Block] = [
        section(CORRECTED_INTRO.format(subject=clip(subject, 80))),
        _input(
            ids.CORRECTED_ON_BLOCK,
            CORRECTED_ON,
            DatePickerElement(action_id=ids.CORRECTED_ON_INPUT, initial_date=today.isoformat()),
        ),
        _input(
            ids.CORRECTED_NOTE_BLOCK,
            CORRECTED_NOTE,
            PlainTextInputElement(
                action_id=ids.CORRECTED_NOTE_INPUT,
                max_length=500,
                placeholder=CORRECTED_PLACEHOLDER,
            ),
            optional=True,
        ),
    ]
    return _modal(ids.REJECTION_CORRECTED_MODAL, CORRECTED_TITLE, CORRECTED_SUBMIT, ref, blocks)
