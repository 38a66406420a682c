"""The grouped card for a burst of denials with one pattern."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

import pytest

from bot.blocks import ids
from bot.blocks.group_card import group_card, pattern_label
from bot.blocks.views import GroupView
from bot.domain.findings import RootCause
from tests.unit.view_builders import (
    TODAY,
    action_ids,
    all_text,
    assert_valid_blocks,
    make_group,
    texts,
)


def test_the_grouped_card_reads_like_the_sketch() -> None:
    message = group_card(make_group(), today=TODAY)
    assert_valid_blocks(message.blocks)
    header = message.blocks[0]["text"]["text"]
    assert header == ":repeat: 12 denials · Aetna · CO-197 authorization · Dr. Lee  $5,040.00"
    text = all_text(message.blocks)
    assert "Repeat pattern: 12 this import, 31 in the last 90 days." in text
    assert "*Likely cause:* the authorization names a different rendering provider" in text
    assert "5101Z88000, 5101Z88001, 5101Z88002 … and 9 more" in text
    assert "Appeal by Jan 14, 2027 (earliest)" in text
    assert "*Owner* nobody yet\n*Root cause* Authorization (suggested)" in text
    assert "*Progress* 0 of 12 worked" in text
    assert "repeat pattern: 31 in the last 90 days" in message.text


def test_the_repeat_pattern_is_visibly_called_out_in_bold() -> None:
    blocks = group_card(make_group(), today=TODAY).blocks
    assert blocks[1]["text"]["text"].startswith("*Repeat pattern:")


def test_bulk_actions_carry_the_group_ref() -> None:
    blocks = group_card(make_group(), today=TODAY).blocks
    actions = next(b for b in blocks if b["type"] == "actions")
    assert actions["block_id"] == "group.actions|17:1"
    select, users, show, fix = actions["elements"]
    assert select["placeholder"]["text"] == "Root cause for all"
    assert select["initial_option"]["value"] == "authorization"
    assert users["placeholder"]["text"] == "Assign all"
    assert (show["text"]["text"], show["value"]) == ("Show each claim", "17:1")
    assert (fix["text"]["text"], fix["value"]) == ("Record a fix", "17:1")
    assert action_ids(blocks) == {
        ids.GROUP_ROOT_CAUSE_SELECT,
        ids.GROUP_ASSIGN_SELECT,
        ids.GROUP_SHOW_EACH,
        ids.GROUP_RECORD_FIX,
    }


@pytest.mark.parametrize("size", [2, 3, 4, 300])
def test_any_size_fits_in_one_message(size: int) -> None:
    message = group_card(make_group(size), today=TODAY)
    assert_valid_blocks(message.blocks)
    assert len(message.blocks) <= 50
    more = f"and {size - 3} more" in all_text(message.blocks)
    assert more == (size > 3)


def test_a_group_without_a_provider_or_deadline_still_reads() -> None:
    group = make_group(provider_name=None, earliest_deadline=None)
    group = replace(group, denials=tuple(replace(d, deadline=None) for d in group.denials))
    assert pattern_label(group) == "Aetna · CO-197 authorization"
    assert "No deadline on file" in all_text(group_card(group, today=TODAY).blocks)


def test_payer_text_is_escaped_and_long_text_is_cut() -> None:
    group = make_group(payer_name="A&B" * 100, likely_cause="<!here> " * 1000)
    message = group_card(group, today=TODAY)
    assert_valid_blocks(message.blocks)
    mrkdwn = "\n".join(texts(message.blocks, "mrkdwn"))
    assert "<!here>" not in mrkdwn
    assert "&lt;!here&gt;" in mrkdwn
    assert "A&amp;B" in message.text


def worked_group() -> GroupView:
    """24 denials of one pattern, some worked: 3 appealed, 2 resubmitted, 1 recovered for
    $240, 1 written off, root cause set by Maria for all, James owning the open ones."""
    group = make_group(24)
    statuses = ["appealed"] * 3 + ["resubmitted"] * 2 + ["recovered", "written_off"]
    statuses += ["in_progress"] * (24 - len(statuses))
    denials = tuple(
        replace(
            d,
            status=status,
            assignee="UJAMES",
            category_source="staff",
            category_set_by="UMARIA",
            recovered_amount=Decimal("240") if status == "recovered" else None,
            deadline=d.deadline if status == "in_progress" else None,
        )
        for d, status in zip(group.denials, statuses, strict=True)
    )
    return replace(group, denials=denials)


def test_a_worked_group_shows_its_owner_cause_and_progress() -> None:
    message = group_card(worked_group(), today=TODAY)
    text = all_text(message.blocks)
    assert "*Owner* <@UJAMES>\n*Root cause* Authorization (set by <@UMARIA>)" in text
    assert (
        "*Progress* 7 of 24 worked · 3 appealed · 2 resubmitted · 1 recovered ($240.00)"
        " · 1 written off"
    ) in text
    assert "7 of 24 worked · 3 appealed" in message.text
    assert "*" not in message.text
    assert not re.search(r":[a-z_]+:|<@", message.text)


def test_a_group_with_two_owners_and_a_changed_cause_says_both() -> None:
    group = make_group(4)
    denials = (
        replace(group.denials[0], assignee="UJAMES"),
        replace(group.denials[1], assignee="UMARIA"),
        replace(group.denials[2], category=RootCause.CODING, category_source="staff"),
        group.denials[3],
    )
    text = all_text(group_card(replace(group, denials=denials), today=TODAY).blocks)
    assert "*Owners* <@UJAMES>, <@UMARIA>, 2 unassigned" in text
    assert "Authorization (suggested) and 1 Coding" in text


def test_the_earliest_deadline_is_of_the_denials_still_to_send() -> None:
    group = worked_group()
    first_open = next(d for d in group.denials if d.status == "in_progress")
    text = all_text(group_card(group, today=TODAY).blocks)
    assert f"Appeal by {first_open.deadline:%b} {first_open.deadline.day}, 2027 (earliest)" in text
    done = replace(group, denials=tuple(replace(d, status="appealed") for d in group.denials))
    assert "Nothing left to send" in all_text(group_card(done, today=TODAY).blocks)
    assert "24 of 24 worked" in group_card(done, today=TODAY).text
