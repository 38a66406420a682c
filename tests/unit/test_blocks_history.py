"""A denial's history as people read it: who, what, when, oldest first, in local time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.blocks.history import history_message, what, who
from bot.services.history import DenialHistory, Event
from tests.unit.view_builders import action_ids, all_text, assert_valid_blocks

ZONE = ZoneInfo("America/Chicago")
START = datetime(2026, 12, 1, 15, 14, tzinfo=UTC)  # 9:14 AM in Chicago


def history(*events: Event, earlier: int = 0) -> DenialHistory:
    return DenialHistory(
        denial_id=7,
        claim_number="5101Z88001",
        payer_name="Aetna",
        imported_at=START - timedelta(days=1),
        imported_by="cli:dana",
        file_name="aetna_1130.835",
        events=events,
        earlier=earlier,
    )


def event(action: str, minutes: int = 0, actor: str = "slack:T1:UMARIA", **detail: object) -> Event:
    return Event(START + timedelta(minutes=minutes), actor, action, dict(detail))


def test_the_history_reads_who_did_what_and_when_oldest_first() -> None:
    message = history_message(
        history(
            event("category", cause="authorization"),
            event("assign", 5, assignee="UJAMES"),
            event("appeal", 60, actor="slack:T1:UJAMES", level="1"),
            event("outcome", 60 * 24 * 20, result="partial", amount="210.00"),
        ),
        ZONE,
    )
    assert_valid_blocks(message.blocks)
    assert action_ids(message.blocks) == set()  # read-only: nothing to click
    assert all_text(message.blocks).splitlines() == [
        "History of claim 5101Z88001",
        "Nov 30, 2026 9:14 AM · came in with *aetna_1130.835* (dana at the terminal)",
        "Dec 1, 2026 9:14 AM · <@UMARIA> · set the root cause to Authorization",
        "Dec 1, 2026 9:19 AM · <@UMARIA> · assigned it to <@UJAMES>",
        "Dec 1, 2026 10:14 AM · <@UJAMES> · logged an appeal, level 1",
        "Dec 21, 2026 9:14 AM · <@UMARIA> · recorded the appeal partial, $210.00",
        "Read-only: the history is kept as it happened and cannot be edited.",
    ]


def test_a_long_history_shows_the_latest_and_says_how_many_are_not_shown() -> None:
    events = [event("assign", n, assignee="UJAMES") for n in range(40)]
    message = history_message(history(*events, earlier=12), ZONE)
    assert_valid_blocks(message.blocks)
    text = all_text(message.blocks)
    assert "12 earlier changes not shown. `denials audit 5101Z88001`" in text
    assert text.count("assigned it to") == 40


def test_what_the_bot_did_and_odd_details_read_plainly() -> None:
    assert who("inbox") == "the inbox"
    assert who("cli:alice") == "alice at the terminal"
    assert who("slack:T1:UMARIA") == "<@UMARIA>"
    assert what("recovered_by_remittance", {"amount": "420"}) == "a later remittance paid $420.00"
    assert what("paid", {"amount": "not money"}) == "marked it paid, an amount"
    assert what("category", {"cause": "nope"}) == "set the root cause to nope"
    assert what("assign", {}) == "unassigned it"
    assert what("write_off", {"reason": "<!channel> past the deadline"}) == (
        "wrote it off: &lt;!channel&gt; past the deadline"
    )
    assert what("something_new", {}) == "something new"
    assert history_message(history(), ZONE).text.endswith("1 entry")
