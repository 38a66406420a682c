"""What a denial card shows for the state the denial is in (UX.md "The same card as the denial
moves on"): header and colour, the main button, the ⋯ menu and the "Next step" line.

Denied → Appeal sent (next: log the outcome) or Resubmitted (next: expect the payment) →
Recovered / Written off. The ⋯ menu offers only what the state allows, within Slack's five
options; the main button is never also in the menu.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.blocks import ids
from bot.blocks.views import DenialView
from bot.domain.countdown import Band
from bot.domain.findings import DeadlineKind
from bot.domain.likely_causes import (
    NEXT_STEP_APPEALED,
    NEXT_STEP_LAPSED,
    NEXT_STEP_NO_APPEAL,
    NEXT_STEP_RESUBMITTED,
    corrects_first,
    next_step,
)
from bot.domain.statuses import CLOSED, REOPENABLE, DenialStatus

MAX_OVERFLOW = 5  # Slack's limit for an overflow menu
Menu = tuple[tuple[str, str], ...]  # (label, overflow value)

LOG_APPEAL = "Log appeal"
CORRECTED = "Corrected claim sent"
LOG_OUTCOME = "Log outcome"
MARK_PAID = "Mark paid"
DRAFT_LETTER = "Draft appeal letter"
WRITE_OFF = "Write off"
REOPEN = "Reopen"
LOG_REQUEST = "Log a records request"
HISTORY = "History"

HEADER_DENIED = ":red_circle: Denied"
HEADER_OVERDUE = ":rotating_light: Overdue"
HEADER_LAPSED = ":hourglass: Window closed"
HEADER_APPEALED = ":large_orange_circle: Appeal sent"
HEADER_RESUBMITTED = ":arrows_counterclockwise: Resubmitted"


class Phase(StrEnum):
    DENIED = "denied"  # new or in progress: something to send
    APPEALED = "waiting_for_decision"  # an appeal waits for the payer's decision
    RESUBMITTED = "waiting_for_payment"  # a corrected claim waits for the payment
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action_id: str


@dataclass(frozen=True, slots=True)
class CardState:
    phase: Phase
    title: str  # header start, with its colour emoji
    plain_title: str  # the same without emoji, for the notification text
    primary: Button | None
    menu: Menu
    next_step: str | None


def phase_of(status: str) -> Phase:
    if status in CLOSED:
        return Phase.CLOSED
    if status == DenialStatus.APPEALED:
        return Phase.APPEALED
    if status == DenialStatus.RESUBMITTED:
        return Phase.RESUBMITTED
    return Phase.DENIED


def can_appeal(view: DenialView) -> bool:
    return view.deadline_kind is not DeadlineKind.RESUBMISSION and not view.no_appeal_reason


def card_state(view: DenialView, band: Band | None) -> CardState:
    """`band` is the deadline's band today (None without a deadline)."""
    phase = phase_of(view.status)
    if phase is Phase.APPEALED:
        return _state(
            phase,
            HEADER_APPEALED,
            Button(LOG_OUTCOME, ids.LOG_OUTCOME_BUTTON),
            ((MARK_PAID, ids.OVERFLOW_PAID), (WRITE_OFF, ids.OVERFLOW_WRITE_OFF)),
            NEXT_STEP_APPEALED,
            view.status,
        )
    if phase is Phase.RESUBMITTED:
        return _state(
            phase,
            HEADER_RESUBMITTED,
            Button(MARK_PAID, ids.MARK_PAID_BUTTON),
            ((LOG_OUTCOME, ids.OVERFLOW_LOG_OUTCOME), (WRITE_OFF, ids.OVERFLOW_WRITE_OFF)),
            NEXT_STEP_RESUBMITTED,
            view.status,
        )
    if phase is Phase.CLOSED:
        return _state(phase, "", None, (), None, view.status)
    return _denied(view, band)


def _denied(view: DenialView, band: Band | None) -> CardState:
    title = {Band.OVERDUE: HEADER_OVERDUE, Band.LAPSED: HEADER_LAPSED}.get(
        band or Band.FAR, HEADER_DENIED
    )
    paid_off_request: Menu = (
        (MARK_PAID, ids.OVERFLOW_PAID),
        (WRITE_OFF, ids.OVERFLOW_WRITE_OFF),
        (LOG_REQUEST, ids.OVERFLOW_LOG_REQUEST),
    )
    menu: Menu
    if not can_appeal(view):
        step = NEXT_STEP_NO_APPEAL
        if corrects_first(view.category):
            step = f"{step} {next_step(view.category)}"
        primary, menu = Button(CORRECTED, ids.CORRECTED_BUTTON), paid_off_request
    elif corrects_first(view.category):
        primary = Button(CORRECTED, ids.CORRECTED_BUTTON)
        menu = (
            (LOG_APPEAL, ids.OVERFLOW_LOG_APPEAL),
            (DRAFT_LETTER, ids.OVERFLOW_DRAFT_LETTER),
            *paid_off_request,
        )
        step = next_step(view.category)
    else:
        primary = Button(LOG_APPEAL, ids.LOG_APPEAL_BUTTON)
        menu = (
            (CORRECTED, ids.OVERFLOW_CORRECTED),
            (DRAFT_LETTER, ids.OVERFLOW_DRAFT_LETTER),
            *paid_off_request,
        )
        step = next_step(view.category)
    if band is Band.LAPSED:
        step = NEXT_STEP_LAPSED
    return _state(Phase.DENIED, title, primary, menu, step, view.status)


def _state(
    phase: Phase,
    title: str,
    primary: Button | None,
    menu: Menu,
    step: str | None,
    status: str,
) -> CardState:
    # Reopen takes back a step sent by mistake, or a closed denial; a new or in-progress one
    # has nothing to reopen. It replaces the last choice when the menu is full. History (who
    # did what, when) is always the last: it takes the place of a records request when the
    # menu is full (`/denials request CLAIM` logs one too).
    if status in REOPENABLE:
        menu = (*menu[: MAX_OVERFLOW - 2], (REOPEN, ids.OVERFLOW_REOPEN))
    menu = (*menu[: MAX_OVERFLOW - 1], (HISTORY, ids.OVERFLOW_HISTORY))
    plain = title.split(" ", 1)[1] if title.startswith(":") else title
    return CardState(phase, title, plain, primary, menu[:MAX_OVERFLOW], step)
