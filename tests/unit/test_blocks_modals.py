"""The modals: titles, inputs and their ids, defaults, and the denial ref they carry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bot.blocks import ids
from bot.blocks.column_mapping import column_mapping_modal
from bot.blocks.modals import (
    appeal_modal,
    mark_paid_modal,
    outcome_modal,
    record_fix_modal,
    write_off_modal,
)
from bot.blocks.work_modals import corrected_modal, due_modal, request_modal, sent_modal
from tests.unit.test_blocks_column_mapping import REF, question
from tests.unit.view_builders import TODAY, all_text, assert_valid_view


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


def test_the_appeal_modal_asks_level_method_date_reference_and_note() -> None:
    view = appeal_modal("1042:3", "5101Z88001", today=TODAY)
    assert_valid_view(view)
    assert (view["callback_id"], view["private_metadata"]) == (ids.APPEAL_MODAL, "1042:3")
    assert view["title"]["text"] == "Log appeal"
    fields = inputs(view)
    assert list(fields) == [
        ids.APPEAL_LEVEL_BLOCK,
        ids.APPEAL_METHOD_BLOCK,
        ids.APPEAL_SENT_ON_BLOCK,
        ids.APPEAL_REFERENCE_BLOCK,
        ids.APPEAL_NOTE_BLOCK,
    ]
    level = fields[ids.APPEAL_LEVEL_BLOCK]["element"]
    assert level["action_id"] == ids.APPEAL_LEVEL_INPUT
    assert [o["value"] for o in level["options"]] == [
        "1", "2", "3", "4", "5", "reconsideration", "redetermination"
    ]  # fmt: skip
    assert level["initial_option"]["value"] == "1"
    method = fields[ids.APPEAL_METHOD_BLOCK]["element"]
    assert [o["value"] for o in method["options"]] == [
        "portal", "fax", "mail", "electronic", "phone"
    ]  # fmt: skip
    sent_on = fields[ids.APPEAL_SENT_ON_BLOCK]["element"]
    assert (sent_on["action_id"], sent_on["initial_date"]) == (
        ids.APPEAL_SENT_ON_INPUT,
        "2026-11-28",
    )
    assert fields[ids.APPEAL_REFERENCE_BLOCK]["optional"] is True
    assert fields[ids.APPEAL_NOTE_BLOCK]["element"]["multiline"] is True
    assert "Appeal for claim *5101Z88001*" in all_text(view)


@pytest.mark.parametrize("level", [2, "redetermination"])
def test_the_appeal_level_default_can_be_the_next_level(level: int | str) -> None:
    view = appeal_modal("1:1", "C1", today=TODAY, level_default=level)
    element = inputs(view)[ids.APPEAL_LEVEL_BLOCK]["element"]
    assert element["initial_option"]["value"] == str(level)


def test_write_off_requires_a_reason() -> None:
    view = write_off_modal("1042:3", "5101Z88001", amount=Decimal("95"))
    assert_valid_view(view)
    assert view["callback_id"] == ids.WRITE_OFF_MODAL
    reason = inputs(view)[ids.WRITE_OFF_REASON_BLOCK]
    assert reason.get("optional", False) is False
    assert reason["element"]["action_id"] == ids.WRITE_OFF_REASON_INPUT
    assert "Write off *$95.00* on claim *5101Z88001*" in all_text(view)


def test_mark_paid_starts_from_the_denied_amount() -> None:
    view = mark_paid_modal("1042:3", "5101Z88001", denied=Decimal("420"))
    assert_valid_view(view)
    element = inputs(view)[ids.MARK_PAID_AMOUNT_BLOCK]["element"]
    assert element["type"] == "number_input"
    assert (element["initial_value"], element["is_decimal_allowed"]) == ("420.00", True)
    assert view["private_metadata"] == "1042:3"


def test_record_fix_asks_what_changed_for_the_pattern() -> None:
    view = record_fix_modal("17:1", pattern="Aetna · CO-197 authorization · Dr. <Lee>")
    assert_valid_view(view)
    assert (view["callback_id"], view["private_metadata"]) == (ids.RECORD_FIX_MODAL, "17:1")
    text = all_text(view)
    assert "What changed in the workflow" in text
    assert "Dr. &lt;Lee&gt;" in text


def test_titles_fit_and_every_callback_id_has_a_handler_slot() -> None:
    views = [
        appeal_modal("1:1", "C", today=TODAY),
        write_off_modal("1:1", "C", amount=Decimal(1)),
        mark_paid_modal("1:1", "C", denied=Decimal(0)),
        outcome_modal("1:1", "C", corrected=False, sent_on=TODAY, today=TODAY),
        record_fix_modal("1:1", pattern="p"),
        column_mapping_modal("a.csv", question(), REF),
        request_modal(claim="C"),
        sent_modal("1:1", "C", today=TODAY),
        due_modal("1:1", "C", due=TODAY),
        corrected_modal("1:1", "C", today=TODAY),
    ]
    assert {v["callback_id"] for v in views} == ids.ALL_VIEW_CALLBACK_IDS
    for view in views:
        assert len(view["title"]["text"]) <= 24
        assert len(view["submit"]["text"]) <= 24


def test_a_huge_claim_number_is_cut_not_refused() -> None:
    assert_valid_view(appeal_modal("1:1", "<&>" * 3000, today=TODAY))
