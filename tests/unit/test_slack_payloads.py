"""Slack's payloads read once at the edge: what each listener gets, and nothing that raises."""

from __future__ import annotations

from typing import Any

import pytest

from bot.blocks import ids
from bot.blocks.ids import Ref
from bot.domain.actor import Actor
from bot.domain.findings import RootCause
from bot.slack.payloads import (
    Click,
    HomeOpened,
    SharedFile,
    SlackUser,
    SlashCommand,
    Submission,
)

INTERACTION = {
    "type": "block_actions",
    "team": {"id": "T1", "domain": "practice"},
    "user": {"id": "UMARIA", "team_id": "T1"},
    "trigger_id": "trig-1",
}


def test_the_sender_is_the_team_and_the_user_whatever_the_payload_kind() -> None:
    assert SlackUser.of(INTERACTION) == SlackUser("T1", "UMARIA")
    assert SlackUser.of({"user": {"id": "U2", "team_id": "T2"}}) == SlackUser("T2", "U2")
    assert SlackUser.of({"team_id": "T3", "user_id": "U3"}) == SlackUser("T3", "U3")
    assert SlackUser.of({"team": "not a mapping", "user": None}) == SlackUser("", "")


def test_a_select_on_a_card_reads_its_card_from_the_block_id() -> None:
    block = ids.card_block_id(ids.CARD_ACTIONS_BLOCK, ids.denial_ref(1042, 3))
    action = {"block_id": block, "selected_option": {"value": "coding"}}

    click = Click.parse(INTERACTION, action)

    assert click == Click(SlackUser("T1", "UMARIA"), Ref(1042, 3), "coding", "trig-1")
    assert click.cause is RootCause.CODING


def test_a_button_carries_its_card_in_its_value_and_a_person_pick_is_the_choice() -> None:
    button = Click.parse(INTERACTION, {"value": "17:2", "block_id": "x"})
    assert (button.ref, button.choice) == (Ref(17, 2), "17:2")
    pick = Click.parse(INTERACTION, {"block_id": "denial.actions|5:1", "selected_user": "UJAMES"})
    assert (pick.ref, pick.choice) == (Ref(5, 1), "UJAMES")


def test_an_open_button_carries_a_bare_denial_id() -> None:
    click = Click.parse(INTERACTION, {"value": "1042", "block_id": "due.rows"})
    assert (click.ref, click.number) == (None, 1042)


@pytest.mark.parametrize(
    "action",
    [
        {},
        {"block_id": "denial.actions|one:two", "selected_option": {"value": "no-such-cause"}},
        {"value": 42, "selected_option": "not a mapping"},
        {"value": "-3"},
    ],
)
def test_a_forged_or_truncated_click_gives_nothing_to_act_on(action: dict[str, Any]) -> None:
    click = Click.parse({"trigger_id": 7}, action)
    assert click.ref is None
    assert click.cause is None
    assert click.number is None
    assert click.trigger_id is None


def test_a_submitted_form_gives_its_card_answers_and_first_input() -> None:
    view = {
        "private_metadata": "1042:3",
        "blocks": [
            {"type": "section", "block_id": "intro"},
            {"type": "input", "block_id": "appeal.level"},
            {"type": "input", "block_id": "appeal.note"},
        ],
        "state": {
            "values": {
                "appeal.level": {"appeal.level.input": {"selected_option": {"value": "2"}}},
                "appeal.sent_on": {"appeal.sent_on.input": {"selected_date": "2026-11-30"}},
                "appeal.note": {"appeal.note.input": {"value": "  sent with the op note "}},
                "appeal.reference": {"appeal.reference.input": {"value": ""}},
            }
        },
    }

    form = Submission.parse(INTERACTION, view)

    assert (form.user, form.ref, form.first_block) == (
        SlackUser("T1", "UMARIA"),
        Ref(1042, 3),
        "appeal.level",
    )
    assert form.answer("appeal.level", "appeal.level.input") == "2"
    assert form.answer("appeal.sent_on", "appeal.sent_on.input") == "2026-11-30"
    assert form.text("appeal.note", "appeal.note.input") == "sent with the op note"
    assert form.answer("appeal.reference", "appeal.reference.input") is None
    assert form.text("appeal.method", "appeal.method.input") == ""


def test_a_form_without_its_card_or_state_says_so() -> None:
    form = Submission.parse({}, {"private_metadata": "", "state": None, "blocks": None})
    assert (form.ref, form.first_block, dict(form.answers)) == (None, "", {})


def test_a_slash_command_and_the_events() -> None:
    command = {
        "team_id": "T1",
        "user_id": "UMARIA",
        "channel_id": "C1",
        "text": "due 7 mine",
        "trigger_id": "trig",
    }
    assert SlashCommand.parse(command) == SlashCommand(
        SlackUser("T1", "UMARIA"), "due 7 mine", "C1", "trig"
    )
    # file_shared names the team in the envelope only
    event = {"type": "file_shared", "file_id": "F1", "user_id": "UMARIA", "channel_id": "C1"}
    assert SharedFile.parse({"team_id": "T1", "event": event}, event) == SharedFile(
        SlackUser("T1", "UMARIA"), "C1", "F1"
    )
    assert HomeOpened.parse({"user": "U1"}) == HomeOpened("U1", on_home_tab=True)
    assert HomeOpened.parse({"user": "U1", "tab": "messages"}).on_home_tab is False


def test_a_person_is_stored_by_one_key_and_read_back_from_it() -> None:
    maria = Actor("T1", "UMARIA", is_manager=True)
    assert maria.key == "slack:T1:UMARIA"
    assert Actor.from_key(maria.key) == Actor("T1", "UMARIA")
    assert Actor.from_key("slack::U2") == Actor("", "U2")
    assert Actor.from_key("cli:alice") is None
    assert Actor.from_key("inbox") is None
    assert Actor.from_key("slack:T1:") is None
