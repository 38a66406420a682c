"""Escalating deadline warnings: which level applies on a day, who hears it, the managers' DM."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from bot.blocks import ids
from bot.blocks.escalation_dm import EscalationRow, escalation_dm, row_text
from bot.domain.escalation import (
    OVERDUE,
    Audience,
    audience,
    horizon,
    level_for,
    parse_levels,
    people,
    warning_key,
)
from bot.domain.findings import DeadlineKind
from tests.unit.view_builders import action_ids, all_text, assert_valid_blocks

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("days_left", "level"),
    [
        (30, None),
        (15, None),
        (14, 14),
        (10, 14),  # the 14-day note was missed (or the denial came late): caught up once
        (7, 7),
        (5, 7),
        (3, 3),
        (2, 3),
        (1, 1),
        (0, 1),  # due today: still the 1-day level, not a second message
        (-1, OVERDUE),
        (-40, OVERDUE),
    ],
)
def test_the_most_urgent_level_whose_day_has_come_applies(days_left: int, level: Any) -> None:
    assert level_for(days_left) == level


def test_levels_are_configurable() -> None:
    assert level_for(25, (30, 10)) == 30
    assert level_for(9, (30, 10)) == 10
    assert level_for(0, (30, 10)) == 10
    assert horizon((30, 10)) == 30
    assert parse_levels([1, 14, 7, 7, 3]) == (14, 7, 3, 1)
    with pytest.raises(ValueError, match="DENIALS_WARNING_DAYS"):
        parse_levels([])


@pytest.mark.parametrize(
    ("level", "who"),
    [
        (30, Audience.THREAD_NOTE),
        (14, Audience.THREAD_NOTE),
        (7, Audience.ASSIGNEE),
        (5, Audience.ASSIGNEE),
        (3, Audience.ASSIGNEE_AND_MANAGERS),
        (1, Audience.MANAGER_DM),
        (0, Audience.MANAGER_DM),
        (OVERDUE, Audience.MANAGER_DM),
    ],
)
def test_who_hears_a_level_depends_on_how_close_it_is(level: Any, who: Audience) -> None:
    assert audience(level) is who
    assert who.in_thread is (who is not Audience.MANAGER_DM)


def test_the_assignee_is_mentioned_or_the_managers_when_nobody_is_assigned() -> None:
    managers = ("UDANA", "ULEE")
    assert people(Audience.ASSIGNEE, "UJAMES", managers) == ("UJAMES",)
    assert people(Audience.ASSIGNEE, None, managers) == managers
    assert people(Audience.ASSIGNEE_AND_MANAGERS, "UJAMES", managers) == ("UJAMES", *managers)
    assert people(Audience.ASSIGNEE_AND_MANAGERS, "UDANA", managers) == ("UDANA", "ULEE")
    assert people(Audience.ASSIGNEE_AND_MANAGERS, None, ()) == ()
    assert people(Audience.THREAD_NOTE, "UJAMES", managers) == ()


def test_a_new_deadline_gets_its_own_warnings() -> None:
    assert warning_key(42, 7, date(2027, 1, 14)) == "42:7:2027-01-14"
    assert warning_key(42, OVERDUE, date(2027, 1, 14)) == "42:overdue:2027-01-14"
    assert warning_key(42, 7, date(2027, 1, 14)) != warning_key(42, 7, date(2027, 3, 1))


def make_row(days_left: int = 1, **changes: Any) -> EscalationRow:
    values: dict[str, Any] = {
        "denial_id": 7,
        "claim_number": "5101Z88003",
        "payer_name": "Cigna",
        "amount": Decimal("180.00"),
        "assignee": "UJAMES",
        "deadline": TODAY + timedelta(days=days_left),
        "days_left": days_left,
        "kind": DeadlineKind.APPEAL,
    }
    values.update(changes)
    return EscalationRow(**values)


def test_the_managers_dm_lists_each_denial_most_urgent_first() -> None:
    rows = [
        make_row(1, denial_id=1, claim_number="TOMORROW1", amount=Decimal("600")),
        make_row(-2, denial_id=2, claim_number="LATE2", assignee=None, amount=Decimal("240")),
        make_row(0, denial_id=3, claim_number="TODAY3", kind=DeadlineKind.RESUBMISSION),
        make_row(-9, denial_id=4, claim_number="LATE9"),
    ]
    message = escalation_dm(rows)
    assert_valid_blocks(message.blocks)
    assert message.text == "4 denials are due tomorrow or overdue ($1,200.00)"
    lines = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
    assert lines == [
        "*4 denials are due tomorrow or overdue ($1,200.00)*",
        ":warning: *Due today or tomorrow* (2)",
        "TODAY3 · Cigna · $180.00 · <@UJAMES> · corrected claim due today",
        "TOMORROW1 · Cigna · $600.00 · <@UJAMES> · appeal due tomorrow",
        ":rotating_light: *Overdue, still appealable* (2)",
        "LATE2 · Cigna · $240.00 · Unassigned · appeal overdue by 2 days",
        "LATE9 · Cigna · $180.00 · <@UJAMES> · appeal overdue by 9 days",
    ]
    assert action_ids(message.blocks) == {ids.OPEN_CARD_BUTTON}
    values = [b["accessory"]["value"] for b in message.blocks if "accessory" in b]
    assert values == ["3", "1", "2", "4"]


def test_one_denial_reads_in_the_singular() -> None:
    assert escalation_dm([make_row()]).text == "1 denial is due tomorrow or overdue ($180.00)"


def test_a_long_list_is_one_screen_and_says_how_many_more() -> None:
    rows = [make_row(-(i % 30), denial_id=i, claim_number=f"CLM{i:05d}") for i in range(500)]
    message = escalation_dm(rows)
    assert_valid_blocks(message.blocks)
    assert sum("accessory" in b for b in message.blocks) == 10
    assert "and 490 more: `/denials due 1` lists them all" in all_text(message.blocks)


def test_a_grouped_card_is_one_line_linked_to_its_card() -> None:
    link = "https://standin.slack.com/archives/C1/p1700000000000100"
    rows = [
        make_row(-1, denial_id=i, claim_number=f"G{i}", post_id=9, grouped=True, link=link)
        for i in range(24)
    ]
    rows.append(make_row(1, denial_id=99, claim_number="SOLO", amount=Decimal("410")))
    message = escalation_dm(rows)
    lines = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
    assert lines[2] == "SOLO · Cigna · $410.00 · <@UJAMES> · appeal due tomorrow"
    assert lines[3] == ":rotating_light: *Overdue, still appealable* (24)"
    assert lines[4] == (
        f"<{link}|:repeat: 24 denials like G0> · Cigna · $4,320.00 · <@UJAMES>"
        " · appeal overdue by 1 day"
    )
    assert "accessory" not in message.blocks[4]  # the link replaces the Open button


def test_denials_past_every_window_are_one_line() -> None:
    rows = [make_row(-6147, denial_id=i, claim_number=f"OLD{i}") for i in range(212)]
    rows.append(make_row(1, denial_id=999, claim_number="SOON1", amount=Decimal("410")))
    message = escalation_dm(rows)
    text = all_text(message.blocks)
    assert message.text == "1 denial is due tomorrow or overdue ($410.00)"
    assert "OLD1" not in text
    assert "Also 212 lapsed, $38,160.00: more than 30 days past the deadline." in text


def test_what_a_payer_wrote_cannot_ping_the_channel() -> None:
    text = row_text(make_row(payer_name="<!channel> & Co"))
    assert "<!channel>" not in text
    assert "&lt;!channel&gt; &amp; Co" in text
