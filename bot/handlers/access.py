"""Every request passes here before any listener: may this person click, submit or type it?

A Bolt global middleware, so no listener can forget the check: a card click from someone
outside the denials channel is refused exactly as `/denials categorize` is. What each control
and form needs is said below (`NEEDS`), what each subcommand needs in its row of the command
table; the rule itself is `bot.services.access`. A refusal is told to the person alone (an
ephemeral reply, or an error on the form) and Slack gets its acknowledgement at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import App, BoltResponse, Respond

from bot.blocks import ids
from bot.commands.table import COMMAND, subcommand_of
from bot.deps import Deps
from bot.handlers.feedback import form_refusal, refuse
from bot.services.access import Need
from bot.slack.payloads import Asked, can_respond

log = logging.getLogger(__name__)

MEMBER, MANAGER = Need.MEMBER, Need.MANAGER
REQUESTS, REJECTIONS = "Working a records request", "Working a rejection"
# Every control and form, with what it needs and what it is (for the refusal). An id missing
# here needs a member (tests/unit/test_access.py checks every id is listed).
NEEDS: Mapping[str, tuple[Need, str]] = {
    ids.ROOT_CAUSE_SELECT: (MEMBER, "Setting a root cause"),
    ids.ASSIGN_SELECT: (MEMBER, "Assigning a denial"),
    ids.LOG_APPEAL_BUTTON: (MEMBER, "Logging an appeal"),
    ids.CORRECTED_BUTTON: (MEMBER, "Logging a corrected claim"),
    ids.LOG_OUTCOME_BUTTON: (MEMBER, "Logging an outcome"),
    ids.MARK_PAID_BUTTON: (MEMBER, "Marking a denial paid"),
    ids.CARD_OVERFLOW: (MEMBER, "The card's ⋯ menu"),
    ids.OPEN_CARD_BUTTON: (MEMBER, "Opening a denial's card"),
    ids.DUE_MORE_BUTTON: (MEMBER, "Paging a list of denials"),
    ids.HOME_MORE_BUTTON: (MEMBER, "Paging a list of denials"),
    ids.GROUP_ROOT_CAUSE_SELECT: (MEMBER, "Setting a root cause"),
    ids.GROUP_ASSIGN_SELECT: (MEMBER, "Assigning denials"),
    ids.GROUP_SHOW_EACH: (MEMBER, "Listing a pattern's claims"),
    ids.GROUP_RECORD_FIX: (MEMBER, "Recording a fix"),
    ids.PATTERN_RECORD_FIX: (MEMBER, "Recording a fix"),
    ids.DRAFT_LETTER_BUTTON: (MEMBER, "Drafting an appeal letter"),
    ids.MAP_COLUMNS_BUTTON: (MEMBER, "Importing a report"),
    ids.IMPORT_OTHER_ROWS_BUTTON: (MEMBER, "Importing a report"),
    ids.REQUEST_ASSIGN_SELECT: (MEMBER, REQUESTS),
    ids.REQUEST_SENT_BUTTON: (MEMBER, REQUESTS),
    ids.REQUEST_OVERFLOW: (MEMBER, REQUESTS),
    ids.OPEN_REQUEST_BUTTON: (MEMBER, REQUESTS),
    ids.REJECTION_ASSIGN_SELECT: (MEMBER, REJECTIONS),
    ids.REJECTION_CORRECTED_BUTTON: (MEMBER, REJECTIONS),
    ids.REJECTION_OVERFLOW: (MEMBER, REJECTIONS),
    ids.OPEN_REJECTION_BUTTON: (MEMBER, REJECTIONS),
    # forms
    ids.APPEAL_MODAL: (MEMBER, "Logging an appeal"),
    ids.WRITE_OFF_MODAL: (MANAGER, "write off a denial"),
    ids.MARK_PAID_MODAL: (MEMBER, "Marking a denial paid"),
    ids.OUTCOME_MODAL: (MEMBER, "Logging an outcome"),
    ids.RECORD_FIX_MODAL: (MEMBER, "Recording a fix"),
    ids.MAP_COLUMNS_MODAL: (MEMBER, "Importing a report"),
    ids.REQUEST_MODAL: (MEMBER, REQUESTS),
    ids.REQUEST_SENT_MODAL: (MEMBER, REQUESTS),
    ids.REQUEST_DUE_MODAL: (MEMBER, REQUESTS),
    ids.REJECTION_CORRECTED_MODAL: (MEMBER, REJECTIONS),
}
# Options of a menu that need more than the menu itself.
OPTION_NEEDS: Mapping[tuple[str, str], tuple[Need, str]] = {
    (ids.CARD_OVERFLOW, ids.OVERFLOW_WRITE_OFF): (MANAGER, "write off a denial"),
}
UNLISTED = (MEMBER, "Working denials")


def need_of(asked: Asked) -> tuple[Need, str]:
    """What the request needs, and what it is called in a refusal."""
    if asked.kind == "action":
        option = OPTION_NEEDS.get((asked.name, asked.choice or ""))
        return option or NEEDS.get(asked.name, UNLISTED)
    if asked.kind == "form":
        return NEEDS.get(asked.name, UNLISTED)
    if asked.kind == "command" and asked.name == COMMAND:
        row = subcommand_of(asked.text)
        return (Need.ANYONE, "help") if row is None else row.need
    return Need.ANYONE, ""  # events, menus' options: each listener keeps to its own


def register(app: App, deps: Deps) -> None:
    @app.use
    def who_may(body: dict[str, Any], respond: Respond, next: Callable[[], None]) -> Any:
        asked = Asked.parse(body)
        need, what = need_of(asked)
        refusal = deps.access.refusal(deps.actor(asked.user), need, what)
        if refusal is None:
            next()
            return None
        log.info("refused a %s for lack of %s rights", asked.kind, need.value)
        if asked.kind == "form":
            return form_refusal(body, refusal)
        if can_respond(body):
            deps.after_ack(lambda: refuse(respond, refusal), respond)
        return BoltResponse(status=200, body="")
