"""The "Map the columns" reply, form and question (blocks/column_mapping, csv_question)."""

from __future__ import annotations

import pytest

from bot.blocks import ids
from bot.blocks.column_mapping import (
    FileRef,
    block_id,
    column_mapping_modal,
    columns_mapped_message,
    columns_needed_message,
    field_of_block,
    loading_modal,
    notice_modal,
)
from bot.importers.csv_columns import Field
from bot.importers.csv_detect import detect
from bot.importers.csv_question import (
    ColumnQuestion,
    answer_mapping,
    answer_problems,
    column_question,
)
from tests.unit.view_builders import action_ids, all_text, assert_valid_view

REF = FileRef("F1", "C1", "1700000000.000100")


def question(records: list[list[str]] | None = None) -> ColumnQuestion:
    found = detect(
        records
        or [
            ["Clm Ref", "Sponsor", "Chg", "Col F", "Patient Name"],
            ["R-1", "Aetna", "150.00", "CO-197", "TESTPATIENT ALPHA"],
            ["R-2", "Aetna", "90.00", "CO-45", "TESTPATIENT BRAVO"],
            ["R-3", "Cigna", "60.00", "OA-18", "TESTPATIENT CHARLIE"],
        ]
    )
    assert found is not None
    return column_question(found)


def test_the_question_asks_for_what_is_missing_and_what_was_a_guess() -> None:
    asked = question()
    assert [(a.field, a.need, a.current) for a in asked.asks] == [
        (Field.PAYER, "payer", None),
        (Field.CARC, "", "Col F"),  # found by its values only: confirm it
    ]
    assert (Field.CLAIM, "Clm Ref") in asked.understood
    samples = {c.header: c.sample for c in asked.choices}
    assert samples["Sponsor"] == "Aetna"
    assert samples["Patient Name"] == ""  # patient data is never shown


def test_answers_must_meet_every_missing_need() -> None:
    asks = [(Field.PAYER, "payer"), (Field.BILLED, "amount"), (Field.PAID, "amount")]
    problems = answer_problems(asks, {Field.PAYER: None, Field.BILLED: None, Field.PAID: None})
    assert set(problems) == {Field.PAYER, Field.BILLED}
    assert answer_problems(asks, {Field.PAYER: "Sponsor", Field.PAID: "Pd"}) == {}
    mapping = answer_mapping({Field.PAYER: "Sponsor", Field.PAID: None})
    assert mapping is not None
    assert dict(mapping.headers) == {Field.PAYER: "Sponsor"}
    assert answer_mapping({Field.PAYER: None}) is None


def test_the_reply_has_the_button_with_the_file_reference() -> None:
    message = columns_needed_message(
        "worklist <oct>.csv", ["the payer (e.g. Payer Name)"], question(), REF
    )
    assert "worklist &lt;oct&gt;.csv was not imported" in message.text
    assert action_ids(message.blocks) == {ids.MAP_COLUMNS_BUTTON}
    button = message.blocks[-1]["elements"][0]
    assert FileRef.decode(button["value"]) == REF
    assert "Understood so far: claim = Clm Ref" in all_text(message.blocks)


def test_the_form_has_one_select_per_question_with_headers_and_samples() -> None:
    view = column_mapping_modal("worklist.csv", question(), REF)
    assert_valid_view(view)
    assert view["callback_id"] == ids.MAP_COLUMNS_MODAL
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert set(inputs) == {block_id(Field.PAYER), block_id(Field.CARC)}
    payer = inputs[block_id(Field.PAYER)]
    assert payer.get("optional", False) is False
    labels = [o["text"]["text"] for o in payer["element"]["options"]]
    assert labels == [
        "Clm Ref — R-1",
        "Sponsor — Aetna",
        "Chg — 150.00",
        "Col F — CO-197",
        "Patient Name",
    ]
    assert inputs[block_id(Field.CARC)]["element"]["initial_option"]["value"] == "Col F"
    ref = FileRef.decode(view["private_metadata"])
    assert ref.asks == (("payer", "payer"), ("carc", ""))
    assert field_of_block(block_id(Field.CARC)) is Field.CARC
    assert field_of_block("appeal.level") is None


def test_a_hundred_and_more_headers_fit_a_select() -> None:
    header = ["Claim ID", "Billed", "CARC"] + [f"Extra {n}" for n in range(150)]
    row = ["C1", "1.00", "CO-4"] + ["x"] * 150
    view = column_mapping_modal("wide.csv", question([header, row]), REF)
    assert_valid_view(view)
    (payer,) = [b for b in view["blocks"] if b["type"] == "input"]
    assert len(payer["element"]["options"]) == 100


@pytest.mark.parametrize(
    "text", ["", "{}", "[]", '{"f": ""}', '{"f": "F1"}', "not json", '{"f": 1, "c": "C"}']
)
def test_a_forged_file_reference_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a file reference"):
        FileRef.decode(text)


def test_the_other_views_are_valid() -> None:
    for view in (loading_modal(), notice_modal("x" * 5000)):
        assert_valid_view(view)
    done = columns_mapped_message("a.csv", "UMARIA")
    assert "✅ <@UMARIA> mapped the columns of a.csv;" in done.text
    assert action_ids(done.blocks) == set()
