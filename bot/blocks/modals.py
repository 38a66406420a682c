"""The forms staff fill in: log an appeal, write off, mark paid, record a workflow fix.

Every modal carries its denial (or group) reference, `"{id}:{version}"`, in `private_metadata`;
the handlers read the inputs by the (block id, action id) pairs in `bot.blocks.ids`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    InputInteractiveElement,
    MarkdownTextObject,
    NumberInputElement,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks import ids
from bot.blocks.message import options, section
from bot.blocks.text import clip, long_date, money

CANCEL = "Cancel"
APPEAL_TITLE = "Log appeal"
APPEAL_SUBMIT = "Log appeal"
APPEAL_INTRO = "Appeal for claim *{claim}*. The card and its thread are updated when you submit."
APPEAL_LETTER = (
    "Need the letter? I can draft it from the claim's facts and post it in the card's thread."
)
DRAFT_LETTER = "Draft appeal letter"
APPEAL_LEVEL = "Level"
APPEAL_METHOD = "Sent by"
APPEAL_SENT_ON = "Date sent"
APPEAL_REFERENCE = "Reference number"
APPEAL_REFERENCE_HINT = "The payer's appeal or portal confirmation number, if you have one."
APPEAL_NOTE = "Note"
WRITE_OFF_TITLE = "Write off"
WRITE_OFF_SUBMIT = "Write off"
WRITE_OFF_INTRO = (
    "Write off *{amount}* on claim *{claim}*. This closes the denial; Reopen on the card "
    "brings it back."
)
WRITE_OFF_REASON = "Reason"
WRITE_OFF_PLACEHOLDER = "e.g. Past the appeal deadline; below the cost of appealing"
MARK_PAID_TITLE = "Mark paid"
MARK_PAID_SUBMIT = "Save"
MARK_PAID_INTRO = "Claim *{claim}*: *{amount}* was denied. How much did the payer pay?"
MARK_PAID_AMOUNT = "Amount recovered"
OUTCOME_TITLE = "Log outcome"
OUTCOME_SUBMIT = "Save"
OUTCOME_INTRO = "Claim *{claim}*: what did the payer decide on the {what} sent {sent}?"
OUTCOME_APPEAL, OUTCOME_CORRECTED = "appeal", "corrected claim"
OUTCOME_RESULT = "Decision"
OUTCOME_RESULT_PLACEHOLDER = "Won, partly won or lost"
OUTCOME_AMOUNT = "Amount paid"
OUTCOME_AMOUNT_HINT = "For a partial win: what the payer paid. Empty for a full win or a loss."
OUTCOME_DECIDED = "Date of the decision"
OUTCOME_RESULTS: tuple[tuple[str, str], ...] = (
    ("won", "Won: paid in full"),
    ("partial", "Partly won: paid in part"),
    ("lost", "Lost: upheld the denial"),
)
MARK_PAID_CONFIRM_HOW = "If the payer really paid that, tick the box below and save again."
MARK_PAID_CONFIRM_LABEL = "More than billed"
MARK_PAID_CONFIRM = "Yes, the payer paid more than was billed"
RECORD_FIX_TITLE = "Record a fix"
RECORD_FIX_SUBMIT = "Save"
RECORD_FIX_INTRO = (
    "*{pattern}*\nWhat did the practice change so this denial stops coming back? "
    "From the day it takes effect, the pattern's rate is compared before and after, and "
    "`/denials patterns`, the digest and the monthly review say whether it worked."
)
RECORD_FIX_TEXT = "What changed in the workflow"
RECORD_FIX_OWNER = "Who owns the change"
RECORD_FIX_OWNER_HINT = "Tagged if the pattern keeps coming after the fix. Blank: you."
RECORD_FIX_DATE = "Effective from"
RECORD_FIX_DATE_HINT = "The first day claims went out the new way. Blank: today."
RECORD_FIX_PLACEHOLDER = "e.g. The front desk checks the rendering provider on the authorization"

# (value, label): the values are what the handlers receive.
APPEAL_LEVELS: tuple[tuple[str, str], ...] = (
    ("1", "Level 1"),
    ("2", "Level 2"),
    ("3", "Level 3"),
    ("4", "Level 4"),
    ("5", "Level 5"),
    ("reconsideration", "Reconsideration"),
    ("redetermination", "Redetermination (Medicare)"),
)
APPEAL_METHODS: tuple[tuple[str, str], ...] = (
    ("portal", "Payer portal"),
    ("fax", "Fax"),
    ("mail", "Mail"),
    ("electronic", "Electronic (EDI)"),
    ("phone", "Phone"),
)
MAX_TEXT = 2000


def appeal_modal(
    denial_ref: str,
    claim_number: str,
    *,
    today: date,
    level_default: int | str = 1,
    letter_note: str | None = None,
) -> dict[str, Any]:
    """Level, method, date sent (today by default), reference number and a note; above them, a
    button that drafts the letter (`letter_note` replaces its words once it has been used)."""
    levels = options((label, value) for value, label in APPEAL_LEVELS)
    initial = next((o for o in levels if o.value == str(level_default)), None)
    blocks: list[Block] = [
        section(APPEAL_INTRO.format(claim=clip(claim_number, 80))),
        SectionBlock(
            block_id=ids.APPEAL_LETTER_BLOCK,
            text=MarkdownTextObject(text=letter_note or APPEAL_LETTER),
            accessory=ButtonElement(
                text=DRAFT_LETTER, action_id=ids.DRAFT_LETTER_BUTTON, value=denial_ref
            ),
        ),
        _input(
            ids.APPEAL_LEVEL_BLOCK,
            APPEAL_LEVEL,
            StaticSelectElement(
                action_id=ids.APPEAL_LEVEL_INPUT, options=levels, initial_option=initial
            ),
        ),
        _input(
            ids.APPEAL_METHOD_BLOCK,
            APPEAL_METHOD,
            StaticSelectElement(
                action_id=ids.APPEAL_METHOD_INPUT,
                options=options((label, value) for value, label in APPEAL_METHODS),
            ),
        ),
        _input(
            ids.APPEAL_SENT_ON_BLOCK,
            APPEAL_SENT_ON,
            DatePickerElement(action_id=ids.APPEAL_SENT_ON_INPUT, initial_date=today.isoformat()),
        ),
        _input(
            ids.APPEAL_REFERENCE_BLOCK,
            APPEAL_REFERENCE,
            PlainTextInputElement(action_id=ids.APPEAL_REFERENCE_INPUT, max_length=100),
            optional=True,
            hint=APPEAL_REFERENCE_HINT,
        ),
        _input(
            ids.APPEAL_NOTE_BLOCK,
            APPEAL_NOTE,
            PlainTextInputElement(
                action_id=ids.APPEAL_NOTE_INPUT, multiline=True, max_length=MAX_TEXT
            ),
            optional=True,
        ),
    ]
    return _modal(ids.APPEAL_MODAL, APPEAL_TITLE, APPEAL_SUBMIT, denial_ref, blocks)


def with_letter_note(view: Mapping[str, Any], note: str) -> dict[str, Any]:
    """The open Log appeal form as it was, with `note` where the letter button's words were
    (what `views.update` takes: the form's own fields, nothing Slack added)."""
    kept = ("type", "callback_id", "title", "submit", "close", "private_metadata", "blocks")
    updated = {key: view[key] for key in kept if key in view}
    blocks = []
    for block in updated.get("blocks", []):
        if block.get("block_id") == ids.APPEAL_LETTER_BLOCK:
            block = {**block, "text": {"type": "mrkdwn", "text": clip(note, 3000)}}
        blocks.append(block)
    updated["blocks"] = blocks
    return updated


def write_off_modal(denial_ref: str, claim_number: str, *, amount: Decimal) -> dict[str, Any]:
    """A required reason: write-offs are reviewed by the manager."""
    blocks: list[Block] = [
        section(WRITE_OFF_INTRO.format(amount=money(amount), claim=clip(claim_number, 80))),
        _input(
            ids.WRITE_OFF_REASON_BLOCK,
            WRITE_OFF_REASON,
            PlainTextInputElement(
                action_id=ids.WRITE_OFF_REASON_INPUT,
                multiline=True,
                max_length=500,
                placeholder=WRITE_OFF_PLACEHOLDER,
            ),
        ),
    ]
    return _modal(ids.WRITE_OFF_MODAL, WRITE_OFF_TITLE, WRITE_OFF_SUBMIT, denial_ref, blocks)


def mark_paid_modal(
    denial_ref: str,
    claim_number: str,
    *,
    denied: Decimal,
    above_billed: tuple[Decimal, str] | None = None,
) -> dict[str, Any]:
    """The amount recovered, the denied amount filled in (partial payments are common).

    `above_billed`: (the amount typed, why it needs a second look): the form again, that amount
    kept, the warning and a box to tick that confirms it."""
    amount = above_billed[0] if above_billed else denied
    blocks: list[Block] = [
        section(MARK_PAID_INTRO.format(claim=clip(claim_number, 80), amount=money(denied))),
        _input(
            ids.MARK_PAID_AMOUNT_BLOCK,
            MARK_PAID_AMOUNT,
            NumberInputElement(
                action_id=ids.MARK_PAID_AMOUNT_INPUT,
                is_decimal_allowed=True,
                initial_value=f"{amount:.2f}" if amount > 0 else None,
                min_value="0.01",
            ),
        ),
    ]
    if above_billed is not None:
        blocks += [
            section(f":warning: {above_billed[1]} {MARK_PAID_CONFIRM_HOW}"),
            _input(
                ids.MARK_PAID_CONFIRM_BLOCK,
                MARK_PAID_CONFIRM_LABEL,
                CheckboxesElement(
                    action_id=ids.MARK_PAID_CONFIRM_INPUT,
                    options=options([(MARK_PAID_CONFIRM, ids.MARK_PAID_CONFIRMED)]),
                ),
                optional=True,
            ),
        ]
    return _modal(ids.MARK_PAID_MODAL, MARK_PAID_TITLE, MARK_PAID_SUBMIT, denial_ref, blocks)


def outcome_modal(
    denial_ref: str, claim_number: str, *, corrected: bool, sent_on: date, today: date
) -> dict[str, Any]:
    """The payer's decision on the appeal (or corrected claim) a card waits on: won, partly won
    with the amount, or lost (the card goes back to the next level or a write-off)."""
    what = OUTCOME_CORRECTED if corrected else OUTCOME_APPEAL
    blocks: list[Block] = [
        section(
            OUTCOME_INTRO.format(claim=clip(claim_number, 80), what=what, sent=long_date(sent_on))
        ),
        _input(
            ids.OUTCOME_RESULT_BLOCK,
            OUTCOME_RESULT,
            StaticSelectElement(
                action_id=ids.OUTCOME_RESULT_INPUT,
                placeholder=OUTCOME_RESULT_PLACEHOLDER,
                options=options((label, value) for value, label in OUTCOME_RESULTS),
            ),
        ),
        _input(
            ids.OUTCOME_AMOUNT_BLOCK,
            OUTCOME_AMOUNT,
            NumberInputElement(
                action_id=ids.OUTCOME_AMOUNT_INPUT, is_decimal_allowed=True, min_value="0.01"
            ),
            optional=True,
            hint=OUTCOME_AMOUNT_HINT,
        ),
        _input(
            ids.OUTCOME_DECIDED_BLOCK,
            OUTCOME_DECIDED,
            DatePickerElement(action_id=ids.OUTCOME_DECIDED_INPUT, initial_date=today.isoformat()),
        ),
    ]
    return _modal(ids.OUTCOME_MODAL, OUTCOME_TITLE, OUTCOME_SUBMIT, denial_ref, blocks)


def record_fix_modal(
    ref: str, *, pattern: str, owner: str | None = None, today: date | None = None
) -> dict[str, Any]:
    """What changed in the workflow, who owns it, from when. `ref` is a grouped card's
    reference or `ids.PATTERN_METADATA_PREFIX` + a scope key; `pattern` is its label."""
    blocks: list[Block] = [
        section(RECORD_FIX_INTRO.format(pattern=clip(pattern, 300))),
        _input(
            ids.RECORD_FIX_TEXT_BLOCK,
            RECORD_FIX_TEXT,
            PlainTextInputElement(
                action_id=ids.RECORD_FIX_TEXT_INPUT,
                multiline=True,
                max_length=MAX_TEXT,
                placeholder=RECORD_FIX_PLACEHOLDER,
            ),
        ),
        _input(
            ids.RECORD_FIX_OWNER_BLOCK,
            RECORD_FIX_OWNER,
            UserSelectElement(action_id=ids.RECORD_FIX_OWNER_INPUT, initial_user=owner),
            optional=True,
            hint=RECORD_FIX_OWNER_HINT,
        ),
        _input(
            ids.RECORD_FIX_DATE_BLOCK,
            RECORD_FIX_DATE,
            DatePickerElement(
                action_id=ids.RECORD_FIX_DATE_INPUT,
                initial_date=today.isoformat() if today else None,
            ),
            optional=True,
            hint=RECORD_FIX_DATE_HINT,
        ),
    ]
    return _modal(ids.RECORD_FIX_MODAL, RECORD_FIX_TITLE, RECORD_FIX_SUBMIT, ref, blocks)


def _input(
    block_id: str,
    label: str,
    element: InputInteractiveElement,
    *,
    optional: bool = False,
    hint: str | None = None,
) -> InputBlock:
    return InputBlock(block_id=block_id, label=label, element=element, optional=optional, hint=hint)


def _modal(
    callback_id: str, title: str, submit: str, ref: str, blocks: list[Block]
) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=callback_id,
        title=title,
        submit=submit,
        close=CANCEL,
        private_metadata=ref,
        blocks=blocks,
    )
    result: dict[str, Any] = view.to_dict()
    return result
