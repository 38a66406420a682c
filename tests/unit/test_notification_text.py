"""What a phone notification shows of a message: its `text`, without mrkdwn marks or emoji
codes (issue 14: raw `:warning:` and `*1 repeat pattern*` in notifications)."""

from __future__ import annotations

from bot.blocks.message import section, to_message
from bot.blocks.plain_text import notification_text


def test_marks_and_emoji_codes_are_taken_out_of_the_notification() -> None:
    text = ":warning: *1 repeat pattern* this month: `/denials patterns` · _Aetna_ :sparkles:"
    assert notification_text(text) == "⚠️ 1 repeat pattern this month: /denials patterns · Aetna"


def test_mentions_links_and_escapes_are_kept() -> None:
    text = "<@U1> see <https://x.slack.com/archives/C1/p1|5101Z88001> &amp; co"
    assert notification_text(text) == text


def test_every_message_built_with_blocks_has_a_plain_notification() -> None:
    message = to_message(":rotating_light: *2 overdue*", [section(":rotating_light: *2 overdue*")])
    assert message.text == "🚨 2 overdue"
    assert message.blocks[0]["text"]["text"] == ":rotating_light: *2 overdue*"
