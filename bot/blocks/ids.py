"""Every id shared by the Block Kit builders and the Bolt handlers, defined once.

A renamed button cannot silently stop working: handlers register these constants and a test
checks that every action id a builder emits is in `ALL_ACTION_IDS`.

Encoding of the values Slack hands back:

* A denial (or group) reference is `"{id}:{version}"` (`denial_ref(1042, 3) == "1042:3"`); the
  version lets a handler refuse a click on a card that changed since it was drawn.
* Buttons carry the reference in `value`. Selects and overflows cannot (Slack returns only the
  chosen option), so every actions block on a card has the block id `"{prefix}|{ref}"`
  (`card_block_id`), and `ref_from_action(action)` reads whichever is present. The block id
  changing with the version is also what makes Slack show the new `initial_option` and
  `initial_user` after `chat.update`: with an unchanged block id a client keeps the selection the
  user last made, even when the rebuilt card says otherwise.
* Overflow option values are the bare verbs below (`corrected`, `paid`, ...); root-cause option
  values are `RootCause` slugs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

# --- the denial card ----------------------------------------------------------------------------
ROOT_CAUSE_SELECT = "denial.root_cause"
ASSIGN_SELECT = "denial.assign"
LOG_APPEAL_BUTTON = "denial.log_appeal"
# the main button as the denial moves on (bot/blocks/card_state.py): one per state
CORRECTED_BUTTON = "denial.corrected"  # no appeal rights, or a cause fixed by a corrected claim
LOG_OUTCOME_BUTTON = "denial.log_outcome"  # an appeal waits for the payer's decision
MARK_PAID_BUTTON = "denial.mark_paid"  # a corrected claim waits for the payment
CARD_OVERFLOW = "denial.overflow"
CARD_ACTIONS_BLOCK = "denial.actions"  # prefix; the block id is "denial.actions|1042:3"

# overflow option values
OVERFLOW_DRAFT_LETTER = "draft_letter"
OVERFLOW_CORRECTED = "corrected"
OVERFLOW_PAID = "paid"
OVERFLOW_WRITE_OFF = "write_off"
OVERFLOW_REOPEN = "reopen"
OVERFLOW_LOG_REQUEST = "log_request"  # log a records request for the card's claim
OVERFLOW_LOG_APPEAL = "log_appeal"  # when the main button is the corrected claim
OVERFLOW_LOG_OUTCOME = "log_outcome"  # a corrected claim denied again
OVERFLOW_HISTORY = "history"  # who did what and when, to the person alone
OVERFLOW_VALUES = frozenset(
    {
        OVERFLOW_LOG_APPEAL,
        OVERFLOW_LOG_OUTCOME,
        OVERFLOW_DRAFT_LETTER,
        OVERFLOW_CORRECTED,
        OVERFLOW_PAID,
        OVERFLOW_WRITE_OFF,
        OVERFLOW_REOPEN,
        OVERFLOW_LOG_REQUEST,
        OVERFLOW_HISTORY,
    }
)

# --- the grouped burst card -----------------------------------------------------------------------
GROUP_ROOT_CAUSE_SELECT = "group.root_cause"
GROUP_ASSIGN_SELECT = "group.assign"
GROUP_SHOW_EACH = "group.show_each"
GROUP_RECORD_FIX = "group.record_fix"
GROUP_ACTIONS_BLOCK = "group.actions"  # prefix; the block id is "group.actions|17:2"

# --- repeat patterns: early warnings, /denials patterns (value = the pattern's scope key) -------
PATTERN_RECORD_FIX = "pattern.record_fix"
PATTERN_ACTIONS_BLOCK = "pattern.actions"  # prefix; the block id is "pattern.actions|{alert}"

# --- a shared file whose columns were not all understood ----------------------------------------
MAP_COLUMNS_BUTTON = "file.map_columns"  # value: the file reference (see column_mapping.py)
MAP_COLUMNS_MODAL = "modal.map_columns"
MAP_COLUMNS_BLOCK = "map_columns"  # prefix; the block id is "map_columns.claim", ...
MAP_COLUMNS_INPUT = "map_columns.select"
# a shared report refused for rows that cannot be read: import the others on purpose
IMPORT_OTHER_ROWS_BUTTON = "file.import_other_rows"  # value: the file reference, as above

# --- /denials due and App Home rows (value = the bare denial id) ---------------------------------
OPEN_CARD_BUTTON = "denial.open"
# "Show more" under a due list (value: "days|who|page", see bot.services.due.more_value) and
# under My denials on the App Home (value: the page)
DUE_MORE_BUTTON = "due.more"
HOME_MORE_BUTTON = "home.more"

# --- documentation requests and rejections (value / block id carry "{id}:{version}") ------------
REQUEST_ASSIGN_SELECT = "request.assign"
REQUEST_SENT_BUTTON = "request.sent"
REQUEST_OVERFLOW = "request.overflow"
REQUEST_ACTIONS_BLOCK = "request.actions"
REJECTION_ASSIGN_SELECT = "rejection.assign"
REJECTION_CORRECTED_BUTTON = "rejection.corrected"
REJECTION_OVERFLOW = "rejection.overflow"
REJECTION_ACTIONS_BLOCK = "rejection.actions"
# their overflow option values
WORK_WITHDRAWN = "withdrawn"
WORK_ACCEPTED = "accepted"
WORK_DUE_DATE = "due_date"
WORK_CLOSE = "close"
WORK_REOPEN = "reopen"
WORK_HISTORY = OVERFLOW_HISTORY  # who did what and when, to the person alone
WORK_OVERFLOW_VALUES = frozenset(
    {WORK_WITHDRAWN, WORK_ACCEPTED, WORK_DUE_DATE, WORK_CLOSE, WORK_REOPEN, WORK_HISTORY}
)
# rows of lists (value = the bare id)
OPEN_REQUEST_BUTTON = "request.open"
OPEN_REJECTION_BUTTON = "rejection.open"

# --- modals: callback ids, and the (block id, action id) of every input ---------------------------
APPEAL_MODAL = "modal.appeal"
WRITE_OFF_MODAL = "modal.write_off"
MARK_PAID_MODAL = "modal.mark_paid"
RECORD_FIX_MODAL = "modal.record_fix"
REQUEST_MODAL = "modal.request"  # log a records request
REQUEST_SENT_MODAL = "modal.request_sent"
REQUEST_DUE_MODAL = "modal.request_due"
REJECTION_CORRECTED_MODAL = "modal.rejection_corrected"
OUTCOME_MODAL = "modal.outcome"  # the payer's decision on an appeal or corrected claim

APPEAL_LEVEL_BLOCK, APPEAL_LEVEL_INPUT = "appeal.level", "appeal.level.input"
APPEAL_METHOD_BLOCK, APPEAL_METHOD_INPUT = "appeal.method", "appeal.method.input"
APPEAL_SENT_ON_BLOCK, APPEAL_SENT_ON_INPUT = "appeal.sent_on", "appeal.sent_on.input"
APPEAL_REFERENCE_BLOCK, APPEAL_REFERENCE_INPUT = "appeal.reference", "appeal.reference.input"
APPEAL_NOTE_BLOCK, APPEAL_NOTE_INPUT = "appeal.note", "appeal.note.input"
WRITE_OFF_REASON_BLOCK, WRITE_OFF_REASON_INPUT = "write_off.reason", "write_off.reason.input"
MARK_PAID_AMOUNT_BLOCK, MARK_PAID_AMOUNT_INPUT = "mark_paid.amount", "mark_paid.amount.input"
MARK_PAID_CONFIRM_BLOCK, MARK_PAID_CONFIRM_INPUT = "mark_paid.confirm", "mark_paid.confirm.input"
MARK_PAID_CONFIRMED = "above_billed"  # the one option of that checkbox
RECORD_FIX_TEXT_BLOCK, RECORD_FIX_TEXT_INPUT = "record_fix.text", "record_fix.text.input"
RECORD_FIX_OWNER_BLOCK, RECORD_FIX_OWNER_INPUT = "record_fix.owner", "record_fix.owner.input"
RECORD_FIX_DATE_BLOCK, RECORD_FIX_DATE_INPUT = "record_fix.date", "record_fix.date.input"
# A record-a-fix form opened from an alert or /denials patterns carries "pattern:{scope key}".
PATTERN_METADATA_PREFIX = "pattern:"
# "Draft appeal letter" inside the Log appeal form (value = the denial reference); the section
# that holds it says when the draft is posted.
APPEAL_LETTER_BLOCK, DRAFT_LETTER_BUTTON = "appeal.letter", "appeal.draft_letter"
REQUEST_CLAIM_BLOCK, REQUEST_CLAIM_INPUT = "request.claim", "request.claim.input"
REQUEST_PAYER_BLOCK, REQUEST_PAYER_INPUT = "request.payer", "request.payer.input"
REQUEST_DUE_BLOCK, REQUEST_DUE_INPUT = "request.due", "request.due.input"
REQUEST_WHAT_BLOCK, REQUEST_WHAT_INPUT = "request.what", "request.what.input"
SENT_METHOD_BLOCK, SENT_METHOD_INPUT = "sent.method", "sent.method.input"
SENT_ON_BLOCK, SENT_ON_INPUT = "sent.on", "sent.on.input"
SENT_REFERENCE_BLOCK, SENT_REFERENCE_INPUT = "sent.reference", "sent.reference.input"
CORRECTED_ON_BLOCK, CORRECTED_ON_INPUT = "corrected.on", "corrected.on.input"
CORRECTED_NOTE_BLOCK, CORRECTED_NOTE_INPUT = "corrected.note", "corrected.note.input"
OUTCOME_RESULT_BLOCK, OUTCOME_RESULT_INPUT = "outcome.result", "outcome.result.input"
OUTCOME_AMOUNT_BLOCK, OUTCOME_AMOUNT_INPUT = "outcome.amount", "outcome.amount.input"
OUTCOME_DECIDED_BLOCK, OUTCOME_DECIDED_INPUT = "outcome.decided", "outcome.decided.input"

# Interactive elements in messages and Home: each needs an `app.action(...)` handler.
ALL_ACTION_IDS = frozenset(
    {
        ROOT_CAUSE_SELECT,
        ASSIGN_SELECT,
        LOG_APPEAL_BUTTON,
        CORRECTED_BUTTON,
        LOG_OUTCOME_BUTTON,
        MARK_PAID_BUTTON,
        CARD_OVERFLOW,
        GROUP_ROOT_CAUSE_SELECT,
        GROUP_ASSIGN_SELECT,
        GROUP_SHOW_EACH,
        GROUP_RECORD_FIX,
        PATTERN_RECORD_FIX,
        OPEN_CARD_BUTTON,
        DUE_MORE_BUTTON,
        HOME_MORE_BUTTON,
        DRAFT_LETTER_BUTTON,
        MAP_COLUMNS_BUTTON,
        IMPORT_OTHER_ROWS_BUTTON,
        REQUEST_ASSIGN_SELECT,
        REQUEST_SENT_BUTTON,
        REQUEST_OVERFLOW,
        REJECTION_ASSIGN_SELECT,
        REJECTION_CORRECTED_BUTTON,
        REJECTION_OVERFLOW,
        OPEN_REQUEST_BUTTON,
        OPEN_REJECTION_BUTTON,
    }
)
# Each needs an `app.view(...)` handler.
ALL_VIEW_CALLBACK_IDS = frozenset(
    {
        MAP_COLUMNS_MODAL,
        APPEAL_MODAL,
        WRITE_OFF_MODAL,
        MARK_PAID_MODAL,
        RECORD_FIX_MODAL,
        REQUEST_MODAL,
        REQUEST_SENT_MODAL,
        REQUEST_DUE_MODAL,
        REJECTION_CORRECTED_MODAL,
        OUTCOME_MODAL,
    }
)

_BLOCK_SEPARATOR = "|"
MAX_ID_DIGITS = 18


class Ref(NamedTuple):
    """A denial (or grouped card) and the version its card showed."""

    id: int
    version: int


def denial_ref(denial_id: int, version: int) -> str:
    """`"1042:3"`: what buttons, block ids and modal `private_metadata` carry."""
    return f"{denial_id}:{version}"


def parse_denial_ref(value: str) -> Ref:
    """`"1042:3"` -> `Ref(1042, 3)`; raises `ValueError` on anything else (a forged payload)."""
    head, sep, tail = value.partition(":")
    if not sep or not _is_id(head) or not _is_id(tail):
        raise ValueError(f"not a denial reference: {value!r}")
    return Ref(int(head), int(tail))


def _is_id(text: str) -> bool:
    """Digits a database id can be (a 64-bit integer): a longer number is forged."""
    return text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS


def card_block_id(prefix: str, ref: str) -> str:
    """`card_block_id(CARD_ACTIONS_BLOCK, "1042:3") == "denial.actions|1042:3"`."""
    return f"{prefix}{_BLOCK_SEPARATOR}{ref}"


def ref_from_action(action: Mapping[str, Any]) -> Ref:
    """The `(id, version)` behind one entry of a `block_actions` payload's `actions` list.

    Buttons carry it in `value`; selects, user selects and overflows in their block id.
    """
    value = action.get("value")
    if isinstance(value, str) and ":" in value:
        return parse_denial_ref(value)
    block_id = str(action.get("block_id", ""))
    _, sep, ref = block_id.rpartition(_BLOCK_SEPARATOR)
    if not sep:
        raise ValueError(f"no denial reference in action {action.get('action_id')!r}")
    return parse_denial_ref(ref)
