"""A report of a layout nobody has seen, shared in the channel: the bot asks once which column
holds what ("Map the columns"), imports it, and imports the next file of that layout without
asking. Real HTTP, signed requests, the Slack stand-in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.blocks import ids
from bot.blocks.column_mapping import block_id
from bot.importers.csv_columns import Field
from storage.models import Denial, SavedColumnMapping
from tests.e2e.bot_harness import CHANNEL, BotUnderTest

MARIA, JAMES = "UMARIA", "UJAMES"
# No header names the payer ("Sponsor" is nobody's word for it), and the reason codes sit in
# a column whose header says nothing: the bot must ask for the payer and should confirm them.
HEADER = "Clm Ref,Sponsor,Svc Dt,Chg,Pd,Col F,Chk Dt\n"
FIRST = (
    HEADER
    + "R-1001,Aetna,10/01/2026,150.00,0.00,CO-197,10/20/2026\n"
    + "R-1002,Aetna,10/02/2026,200.00,150.00,CO-45,10/20/2026\n"
    + "R-1003,Cigna,10/03/2026,90.00,0.00,CO-50,10/21/2026\n"
).encode()
SECOND = (
    HEADER
    + "R-2001,Humana,10/05/2026,300.00,0.00,CO-16,10/27/2026\n"
    + "R-2002,Humana,10/06/2026,120.00,0.00,OA-18,10/27/2026\n"
    + "R-2003,Humana,10/06/2026,80.00,60.00,CO-45,10/27/2026\n"
).encode()


def share(bot: BotUnderTest, name: str, content: bytes, user: str = MARIA) -> tuple[str, str]:
    """Upload `content` into the channel and deliver `file_shared`; (file id, share ts)."""
    file_id = bot.slack.upload_to_channel(name, content, user=user, channel=CHANNEL)
    share_ts = [m.ts for m in bot.slack.messages(CHANNEL) if m.files][-1]
    assert bot.driver.file_shared(file_id, user=user, channel=CHANNEL).status == 200
    return file_id, share_ts


def replies(bot: BotUnderTest, share_ts: str, count: int) -> list[Any]:
    return bot.driver.wait_for(
        lambda: (found := bot.slack.thread(CHANNEL, share_ts)) and len(found) >= count and found,
        what=f"{count} replies in the file's thread",
    )


def denial_count(bot: BotUnderTest) -> int:
    with bot.deps.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Denial)) or 0)


def test_an_unknown_layout_is_mapped_once_in_slack_and_remembered(bot: BotUnderTest) -> None:
    _, share_ts = share(bot, "worklist_oct.csv", FIRST)

    (question,) = replies(bot, share_ts, 1)
    assert "was not imported" in question.text
    assert "the payer" in question.text
    assert denial_count(bot) == 0  # nothing stored before the columns are known
    button = question.blocks[-1]["elements"][0]
    assert (button["action_id"], button["text"]["text"]) == (
        ids.MAP_COLUMNS_BUTTON,
        "Map the columns",
    )

    assert (
        bot.driver.block_action(
            ids.MAP_COLUMNS_BUTTON,
            value=button["value"],
            user=MARIA,
            channel=CHANNEL,
            message_ts=question.ts,
        ).status
        == 200
    )
    form = bot.driver.wait_for(
        lambda: next(
            (v for v in bot.slack.views(MARIA) if v.callback_id == ids.MAP_COLUMNS_MODAL), None
        ),
        what="the Map the columns form",
    )
    selects = {b["block_id"]: b for b in form.blocks if b["type"] == "input"}
    payer = selects[block_id(Field.PAYER)]
    labels = [o["text"]["text"] for o in payer["element"]["options"]]
    assert "Sponsor — Aetna" in labels  # each header with a sample value
    assert "initial_option" not in payer["element"]
    carc = selects[block_id(Field.CARC)]  # found by its values only: offered for confirmation
    assert carc["element"]["initial_option"]["value"] == "Col F"

    # Submitting without the payer keeps the form open with the reason.
    refused = bot.driver.view_submission(ids.MAP_COLUMNS_MODAL, {}, user=MARIA)
    assert refused.body["response_action"] == "errors"
    assert block_id(Field.PAYER) in refused.body["errors"]

    answer = bot.driver.view_submission(
        ids.MAP_COLUMNS_MODAL,
        {
            block_id(Field.PAYER): {ids.MAP_COLUMNS_INPUT: _picked("Sponsor")},
            block_id(Field.CARC): {ids.MAP_COLUMNS_INPUT: _picked("Col F")},
        },
        user=MARIA,
    )
    assert answer.status == 200

    thread = replies(bot, share_ts, 2)
    assert "worklist_oct.csv: imported 3 claims, 2 denials ($240.00)" in thread[-1].text
    assert "saved for the next file with these headers" in thread[-1].text
    mapped = bot.driver.wait_for(
        lambda: (m := bot.slack.message(CHANNEL, question.ts)) and m.edits and m,
        what="the question replaced",
    )
    assert "<@UMARIA> mapped the columns" in mapped.text
    assert not any(b["type"] == "actions" for b in mapped.blocks)  # no second click
    cards = bot.driver.wait_for(
        lambda: len(found := [m for m in bot.cards() if "Denied" in m.text]) == 2 and found,
        what="the two denial cards",
    )
    assert {"R-1001", "R-1003"} == {c.text.split("claim ")[1].split(" ")[0] for c in cards}
    with bot.deps.sessions() as session:
        saved = session.scalars(select(SavedColumnMapping)).one()
        assert saved.columns == {"payer": "Sponsor", "carc": "Col F"}
        assert saved.saved_by.endswith(f":{MARIA}")

    # The next file of that layout imports at once, without a question.
    _, second_ts = share(bot, "worklist_nov.csv", SECOND, user=JAMES)
    (summary,) = replies(bot, second_ts, 1)
    assert "worklist_nov.csv: imported 3 claims, 2 denials ($420.00)" in summary.text
    assert "Columns as saved from Slack by UMARIA" in summary.text
    assert not summary.blocks or not any(b["type"] == "actions" for b in summary.blocks)
    assert denial_count(bot) == 4


def test_a_file_that_is_no_report_gets_no_button(bot: BotUnderTest) -> None:
    _, share_ts = share(bot, "notes.csv", b"Meeting notes\nCall the payer back on Tuesday\n")
    (reply,) = replies(bot, share_ts, 1)
    assert "notes.csv was not imported" in reply.text
    assert "does not look like a denial report" in reply.text
    assert not any(b.get("type") == "actions" for b in reply.blocks or [])


def _picked(header: str) -> dict[str, Any]:
    return {
        "type": "static_select",
        "selected_option": {"text": {"type": "plain_text", "text": header}, "value": header},
    }
