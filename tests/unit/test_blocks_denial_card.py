"""The denial card: the words staff see, its controls, deadline wording, limits, PHI."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from bot.blocks import ids
from bot.blocks.denial_card import denial_card
from bot.blocks.views import ReasonView
from bot.domain.findings import DeadlineKind, RootCause
from tests.unit.view_builders import (
    TODAY,
    action_ids,
    all_text,
    assert_valid_blocks,
    make_denial,
    texts,
)


def card_text(**changes: object) -> str:
    return all_text(denial_card(make_denial(**changes), today=TODAY).blocks)


def test_a_new_card_reads_like_the_sketch() -> None:
    message = denial_card(make_denial(), today=TODAY)
    assert_valid_blocks(message.blocks)
    assert message.blocks[0]["type"] == "header"
    assert message.blocks[0]["text"]["text"] == ":red_circle: Denied · Aetna · $420.00"
    text = all_text(message.blocks)
    for words in (
        "*Claim 5101Z88001* · DOS Oct 1, 2026 · Dr. Lee (NPI 1497758544)",
        "CPT 99213-25, 97110 · Billed $560.00 · Paid $140.00",
        "`CO-197` Precertification/authorization absent",
        "`N54` Claim information is inconsistent with the authorization",
        "Authorization (suggested)",
        "New · Unassigned",
        "Appeal by Jan 14, 2027",
        "*Next step*  Find the authorization",
        "D-1042 · imported Oct 20 from remit_2026-10-20.835",
    ):
        assert words in text
    assert "47 days" not in text  # far deadlines show the date alone: no daily edit
    assert message.text == "Denied · Aetna · $420.00 · claim 5101Z88001 · Appeal by Jan 14, 2027"


def test_controls_are_root_cause_assign_log_appeal_and_overflow() -> None:
    blocks = denial_card(make_denial(), today=TODAY).blocks
    actions = next(b for b in blocks if b["type"] == "actions")
    assert actions["block_id"] == "denial.actions|1042:3"
    kinds = [e["type"] for e in actions["elements"]]
    assert kinds == ["static_select", "users_select", "button", "overflow"]
    select, users, button, overflow = actions["elements"]
    assert len(select["options"]) == len(RootCause) == 12
    assert select["initial_option"]["value"] == "authorization"
    assert "initial_user" not in users
    assert button["text"]["text"] == "Log appeal"
    assert button["value"] == "1042:3"
    assert [o["value"] for o in overflow["options"]] == [
        "corrected",
        "draft_letter",
        "paid",
        "write_off",
        "history",  # in the records request's place: `/denials request CLAIM` logs one too
    ]
    assert action_ids(blocks) <= ids.ALL_ACTION_IDS


def test_after_clicks_the_card_names_who_set_the_cause_and_who_owns_it() -> None:
    message = denial_card(
        make_denial(
            category=RootCause.CODING,
            category_source="staff",
            category_set_by="UMARIA",
            status="in_progress",
            assignee="UJAMES",
        ),
        today=TODAY,
    )
    text = all_text(message.blocks)
    assert "Coding · set by <@UMARIA>" in text
    assert "In progress · <@UJAMES>" in text
    actions = next(b for b in message.blocks if b["type"] == "actions")
    assert actions["elements"][0]["initial_option"]["value"] == "coding"
    assert actions["elements"][1]["initial_user"] == "UJAMES"


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (47, "Appeal by Jan 14, 2027\n"),
        (14, "Appeal by Dec 12, 2026 · 14 days left"),
        (8, "8 days left"),
        (7, ":warning: 7 days left"),
        (6, ":warning: 6 days left"),
        (1, ":warning: due tomorrow"),
        (0, ":warning: due today"),
        (-1, ":rotating_light: overdue by 1 day"),
        (-2, ":rotating_light: overdue by 2 days"),
    ],
)
def test_the_deadline_line_turns_urgent_inside_a_week_and_after_it(days: int, words: str) -> None:
    text = card_text(deadline=TODAY + timedelta(days=days))
    assert words in text
    if days > 7:
        assert ":warning:" not in text


def test_a_denial_without_appeal_rights_says_correct_and_resubmit() -> None:
    text = card_text(
        deadline_kind=DeadlineKind.RESUBMISSION,
        no_appeal_reason="MA130",
        deadline=TODAY + timedelta(days=95),
    )
    assert "No appeal rights (MA130): correct and resubmit by Mar 3, 2027" in text
    assert "Appeal by" not in text


def test_a_clock_started_on_import_is_said_on_the_card() -> None:
    text = card_text(clock_started_on_import=True)
    assert "clock started on the import date (Oct 20, 2026)" in text
    assert "clock started" not in card_text()


def test_a_missing_deadline_is_said_rather_than_hidden() -> None:
    assert "No deadline on file" in card_text(deadline=None)


def test_a_repeat_is_called_out_on_the_card() -> None:
    assert "4 denials like this" in card_text(repeat_count_90d=4)
    assert "like this" not in card_text(repeat_count_90d=1)


def test_no_patient_name_unless_the_view_carries_one() -> None:
    assert "Patient" not in card_text()
    assert "Patient Jane Roe" in card_text(patient_name="Jane Roe")


def test_what_payers_and_files_wrote_is_escaped_in_mrkdwn() -> None:
    message = denial_card(
        make_denial(
            payer_name="A&B <!channel>",
            claim_number="<@U1>",
            provider_name="Lee & Kim",
            reasons=(ReasonView("CO-16", "Missing <info> & more"),),
            file_name="<remit>.835",
        ),
        today=TODAY,
    )
    mrkdwn = "\n".join(texts(message.blocks, "mrkdwn"))
    assert "Lee &amp; Kim" in mrkdwn
    assert "Missing &lt;info&gt; &amp; more" in mrkdwn
    assert "&lt;remit&gt;.835" in mrkdwn
    assert "<@U1>" not in mrkdwn
    assert "<!channel>" not in message.text
    assert "A&amp;B &lt;!channel&gt;" in message.text


def test_huge_inputs_stay_within_slack_limits() -> None:
    long = "x" * 5000
    reasons = tuple(ReasonView(f"CO-{i}", long) for i in range(40))
    message = denial_card(
        make_denial(
            payer_name=long,
            provider_name=long,
            claim_number=long,
            cpts=tuple(f"9{i:04d}" for i in range(200)),
            reasons=reasons,
            rarcs=tuple(ReasonView(f"N{i}", "y" * 5000) for i in range(40)),
            file_name=long,
            patient_name=long,
        ),
        today=TODAY,
    )
    assert_valid_blocks(message.blocks)
    assert len(message.blocks[0]["text"]["text"]) <= 150
    assert "… and 72 more" in all_text(message.blocks)


@pytest.mark.parametrize("status", ["appealed", "resubmitted"])
def test_appealed_or_resubmitted_cards_can_be_reopened(status: str) -> None:
    blocks = denial_card(make_denial(status=status), today=TODAY).blocks
    overflow = next(b for b in blocks if b["type"] == "actions")["elements"][-1]
    assert overflow["options"][-2]["value"] == ids.OVERFLOW_REOPEN
    assert overflow["options"][-2]["text"]["text"] == "Reopen"
    assert overflow["options"][-1]["value"] == ids.OVERFLOW_HISTORY


def test_a_recovered_card_shrinks_to_one_line_of_history_and_reopen() -> None:
    message = denial_card(
        make_denial(status="recovered", recovered_amount=Decimal("400"), assignee="UJAMES"),
        today=TODAY,
    )
    assert_valid_blocks(message.blocks)
    assert [b["type"] for b in message.blocks] == ["header", "section", "context"]
    assert message.blocks[0]["text"]["text"] == ":white_check_mark: Recovered $400.00 · Aetna"
    history = message.blocks[1]
    assert "$400.00 recovered of $420.00 denied" in history["text"]["text"]
    assert history["block_id"] == "denial.actions|1042:3"
    assert history["accessory"]["type"] == "overflow"
    assert [o["value"] for o in history["accessory"]["options"]] == ["reopen", "history"]
    assert action_ids(message.blocks) == {ids.CARD_OVERFLOW}


def test_a_written_off_card_shrinks_too() -> None:
    message = denial_card(make_denial(status="written_off"), today=TODAY)
    assert message.blocks[0]["text"]["text"] == ":heavy_minus_sign: Written off $420.00 · Aetna"
    assert "$420.00 written off" in all_text(message.blocks)
    assert len(message.blocks) == 3


def test_a_replaced_denial_shows_closed_without_controls() -> None:
    """A denial a re-adjudication replaced is closed (it used to keep its buttons and clock)."""
    message = denial_card(make_denial(status="superseded"), today=TODAY)
    assert_valid_blocks(message.blocks)
    assert [b["type"] for b in message.blocks] == ["header", "section", "context"]
    assert (
        message.blocks[0]["text"]["text"]
        == ":arrows_counterclockwise: Re-adjudicated · Aetna · $420.00"
    )
    assert "replaced by a later adjudication of the claim" in all_text(message.blocks)
    assert "Appeal by" not in all_text(message.blocks)
    assert action_ids(message.blocks) == set()
    assert message.text.startswith("Replaced $420.00")


def test_a_write_off_after_a_partial_payment_names_only_the_rest() -> None:
    message = denial_card(
        make_denial(status="written_off", recovered_amount=Decimal("100")), today=TODAY
    )
    assert message.blocks[0]["text"]["text"] == ":heavy_minus_sign: Written off $320.00 · Aetna"


def test_a_status_only_denial_shows_the_reports_own_words() -> None:
    view = make_denial(
        reasons=(),
        rarcs=(),
        explanation="No reason code in the report; it says: “Patient <not> eligible on DOS”",
    )
    text = str(denial_card(view, today=TODAY).blocks)
    assert "*Reason*  No reason code in the report; it says: “Patient &lt;not&gt; eligible" in text
    assert "the payer sent no reason code" not in text
    bare = str(denial_card(make_denial(reasons=(), rarcs=()), today=TODAY).blocks)
    assert "the payer sent no reason code" in bare
