"""Ids shared by builders and handlers, and the denial reference encoding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.blocks import ids
from bot.blocks.bad_rows import bad_rows_message
from bot.blocks.column_mapping import columns_needed_message
from bot.blocks.denial_card import denial_card
from bot.blocks.due_list import due_list
from bot.blocks.group_card import group_card
from bot.blocks.home import home_view
from bot.blocks.message import Message
from bot.blocks.modals import appeal_modal, mark_paid_modal, record_fix_modal, write_off_modal
from bot.blocks.pattern_alert import alert_message
from bot.blocks.patterns import pattern_detail_message, patterns_message
from bot.blocks.rejection_card import rejection_card
from bot.blocks.request_card import request_card
from bot.blocks.work_modals import corrected_modal, due_modal, request_modal, sent_modal
from bot.blocks.work_views import WorkKind
from bot.domain.findings import RootCause
from bot.domain.statuses import RejectionStatus, RequestStatus
from tests.unit.pattern_view_builders import make_alert, make_detail, make_patterns
from tests.unit.test_blocks_column_mapping import REF, question
from tests.unit.view_builders import (
    TODAY,
    action_ids,
    make_denial,
    make_due,
    make_group,
    make_home,
    make_rows,
    walk,
)
from tests.unit.work_view_builders import make_rejection, make_request, make_work_row


def test_a_denial_ref_round_trips() -> None:
    assert ids.denial_ref(1042, 3) == "1042:3"
    assert ids.parse_denial_ref("1042:3") == (1042, 3)


@pytest.mark.parametrize("value", ["", "1042", "1042:", ":3", "a:b", "1:2:3", "-1:2"])
def test_a_forged_ref_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="not a denial reference"):
        ids.parse_denial_ref(value)


def test_the_ref_comes_from_a_button_value_or_the_block_id() -> None:
    button = {"action_id": ids.LOG_APPEAL_BUTTON, "value": "7:2", "block_id": "x"}
    select = {"action_id": ids.ROOT_CAUSE_SELECT, "block_id": "denial.actions|7:2"}
    assert ids.ref_from_action(button) == ids.ref_from_action(select) == (7, 2)
    with pytest.raises(ValueError, match="no denial reference"):
        ids.ref_from_action({"action_id": ids.ASSIGN_SELECT, "block_id": "abc"})


def mapping_question_message() -> Message:
    return columns_needed_message("a.csv", ["the payer"], question(), REF)


def test_every_action_id_a_builder_emits_is_listed_for_handlers() -> None:
    payloads: list[object] = [
        denial_card(make_denial(status=status), today=TODAY).blocks
        for status in ("new", "appealed", "resubmitted", "recovered", "written_off")
    ]
    payers_fix = make_denial(category=RootCause.CODING)  # its main button: the corrected claim
    payloads.append(denial_card(payers_fix, today=TODAY).blocks)
    no_appeal = make_denial(no_appeal_reason="patient responsibility")  # a shorter menu
    payloads.append(denial_card(no_appeal, today=TODAY).blocks)
    payloads += [
        group_card(make_group(), today=TODAY).blocks,
        due_list(make_due(make_rows(30), pager="14|")).blocks,  # with "Show more"
        home_view(make_home(my_rows=make_rows(30))),
        # the Log appeal form's "Draft appeal letter" button (its inputs go to the view handler)
        [
            block
            for block in appeal_modal("1042:3", "5101Z88001", today=TODAY)["blocks"]
            if block["type"] != "input"
        ],
        mapping_question_message().blocks,
        bad_rows_message("a.csv", "line 7: check date is not a date", 1, 11, REF).blocks,
        # documentation requests and rejections, in every state, and on the lists
        *(
            request_card(make_request(status=status), today=TODAY).blocks
            for status in RequestStatus
        ),
        *(
            rejection_card(make_rejection(status=status), today=TODAY).blocks
            for status in RejectionStatus
        ),
        due_list(
            make_due(work=(make_work_row(), make_work_row(WorkKind.REJECTION, item_id=3)))
        ).blocks,
        # early warnings and /denials patterns
        alert_message(make_alert()).blocks,
        patterns_message(make_patterns()).blocks,
        pattern_detail_message(make_detail()).blocks,
    ]
    emitted = set().union(*(action_ids(p) for p in payloads))
    assert emitted == ids.ALL_ACTION_IDS
    overflow_values = {
        o["value"]
        for p in payloads
        for d in walk(p)
        if d.get("type") == "overflow"
        for o in d["options"]
    }
    assert overflow_values == ids.OVERFLOW_VALUES | ids.WORK_OVERFLOW_VALUES


def test_modal_inputs_use_only_the_shared_ids() -> None:
    shared = {v for k, v in vars(ids).items() if k.endswith(("_BLOCK", "_INPUT"))}
    views = [
        appeal_modal("1:1", "C", today=TODAY),
        write_off_modal("1:1", "C", amount=Decimal(1)),
        mark_paid_modal("1:1", "C", denied=Decimal(1)),
        record_fix_modal("1:1", pattern="p"),
        request_modal(claim="C"),
        sent_modal("1:1", "C", today=TODAY),
        due_modal("1:1", "C", due=TODAY),
        corrected_modal("1:1", "C", today=TODAY),
    ]
    for view in views:
        for block in view["blocks"]:
            if block["type"] == "input":
                assert block["block_id"] in shared
                assert block["element"]["action_id"] in shared
