"""A report with a row that cannot be read, shared in the channel: refused whole, naming the
line, with "Import the other N rows"; the click imports the rest on purpose and lists what was
left out. Real HTTP, signed requests, the Slack stand-in."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.blocks import ids
from storage.models import Claim
from tests.e2e.bot_harness import CHANNEL, BotUnderTest
from tests.e2e.test_column_mapping_e2e import replies, share

MARIA = "UMARIA"
REPORT = (
    b"Claim ID,Payer Name,DOS,CPT,Billed Amount,Paid Amount,CARC,Check Date\n"
    b"C1,Aetna,10/01/2026,99213,150.00,0.00,CO-197,10/20/2026\n"
    b"C2,Aetna,10/02/2026,99214,200.00,0.00,CO-16,13/45/2026\n"
    b"C3,Cigna,10/03/2026,99213,90.00,0.00,CO-50,10/21/2026\n"
    b"C4,Cigna,10/04/2026,99213,90.00,90.00,CO-45,10/21/2026\n"
)


def stored_claims(bot: BotUnderTest) -> int:
    with bot.deps.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Claim)) or 0)


def test_a_bad_row_refuses_the_report_and_the_button_imports_the_others(
    bot: BotUnderTest,
) -> None:
    _, share_ts = share(bot, "denials_oct.csv", REPORT)

    (refusal,) = replies(bot, share_ts, 1)
    assert refusal.text == (
        "⛔ denials_oct.csv was not imported: line 3: check/notice date is not a date "
        "(expected MM/DD/YYYY). A report is imported whole: no row was stored. Fix that row in "
        "the export and share it again, or import the other 3 rows without it."
    )
    assert stored_claims(bot) == 0
    button = refusal.blocks[-1]["elements"][0]
    assert (button["action_id"], button["text"]["text"]) == (
        ids.IMPORT_OTHER_ROWS_BUTTON,
        "Import the other 3 rows",
    )

    clicked = bot.driver.block_action(
        ids.IMPORT_OTHER_ROWS_BUTTON,
        value=button["value"],
        user=MARIA,
        channel=CHANNEL,
        message_ts=refusal.ts,
    )

    assert clicked.status == 200
    summary = replies(bot, share_ts, 2)[-1]
    assert summary.text.startswith(
        "denials_oct.csv: imported 3 claims, 2 denials ($240.00), 1 row left out on purpose"
    )
    assert "left out: line 3: check/notice date is not a date" in summary.text
    assert stored_claims(bot) == 3
    updated = bot.driver.wait_for(
        lambda: (m := bot.slack.message(CHANNEL, refusal.ts)) and m.edits and m,
        what="the refusal replaced",
    )
    assert updated.text.startswith("✅ <@UMARIA> imported the other 3 rows of denials_oct.csv")
    assert "actions" not in [b["type"] for b in updated.blocks]  # the button is gone
