"""What identifies a request across Slack's deliveries of it (bot/slack/once.py)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack.once import request_key

TRIGGER = "13345224609.738474920.8088930838d88f008e0"


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (
            {"type": "event_callback", "team_id": "T1", "event_id": "Ev1", "event": {}},
            "event:T1:Ev1",
        ),
        ({"command": "/denials", "team_id": "T1", "trigger_id": TRIGGER}, f"command:T1:{TRIGGER}"),
        (
            {"type": "block_actions", "team": {"id": "T1"}, "trigger_id": TRIGGER},
            f"block_actions:T1:{TRIGGER}",
        ),
        (
            {"type": "view_submission", "team": {"id": "T2"}, "trigger_id": TRIGGER},
            f"view_submission:T2:{TRIGGER}",
        ),
        ({"type": "url_verification", "challenge": "c"}, None),  # harmless twice
        ({"type": "block_suggestion", "team": {"id": "T1"}, "value": "ae"}, None),
        ({"type": "view_closed", "team": {"id": "T1"}}, None),
    ],
)
def test_a_request_is_known_by_what_slack_keeps_across_its_retries(
    body: dict[str, Any], key: str | None
) -> None:
    assert request_key(body) == key


def test_the_same_event_in_two_workspaces_is_two_requests() -> None:
    first = {"type": "event_callback", "team_id": "T1", "event_id": "Ev1"}
    assert request_key(first) != request_key({**first, "team_id": "T2"})
