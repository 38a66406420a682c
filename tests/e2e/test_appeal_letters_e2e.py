"""Staff draft an appeal letter from Slack: both files in the card's thread, no PHI in Slack."""

from __future__ import annotations

import io
import json
from typing import Any

import docx
from pypdf import PdfReader
from sqlalchemy import select

from bot.blocks import ids
from storage.models import AuditEvent
from tests.e2e.bot_harness import CHANNEL, BotUnderTest
from tests.support.x835 import denied, make_835

MARIA = "UMARIA"
PHI = ("TESTPATIENT", "ALPHA", "ZZT0001")  # the patient of tests.support.x835


def one_card(bot: BotUnderTest) -> Any:
    bot.import_bytes(make_835([denied("5101Z88001", carc="197", amount="420")]), "remit.835")
    bot.post_cards()
    (card,) = bot.cards()
    return card


def file_text(name: str, content: bytes) -> str:
    if name.endswith(".docx"):
        document = docx.Document(io.BytesIO(content))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if name.endswith(".pdf"):
        pages = PdfReader(io.BytesIO(content)).pages
        return " ".join(" ".join(page.extract_text() for page in pages).split())
    return content.decode("utf-8", "replace")


def everything_slack_saw(bot: BotUnderTest) -> str:
    """Every Web API call, every response_url post, and the text inside every uploaded file."""
    parts = [json.dumps(call.params, default=str) for call in bot.slack.calls()]
    parts += [json.dumps(post.payload, default=str) for post in bot.slack.responses()]
    parts += [file_text(f.name, f.content or b"") for f in bot.slack.files()]
    return "\n".join(parts)


def test_draft_appeal_posts_the_docx_and_the_pdf_in_the_cards_thread(bot: BotUnderTest) -> None:
    card = one_card(bot)

    answer = bot.driver.block_action(
        ids.CARD_OVERFLOW,
        selected_option=ids.OVERFLOW_DRAFT_LETTER,
        user=MARIA,
        channel=CHANNEL,
        message_ts=card.ts,
    )

    assert answer.status == 200
    (note,) = bot.driver.wait_for(lambda: bot.slack.thread(CHANNEL, card.ts), what="letter")
    assert [f["name"] for f in note.files] == [
        "appeal-5101Z88001-level1.docx",
        "appeal-5101Z88001-level1.pdf",
    ]
    assert "Appeal letter draft" in note.text
    assert "claim 5101Z88001" in note.text
    assert "Enclose:" in note.text
    assert "authorization approval" in note.text
    assert "blank in this copy" in note.text
    assert "denials letter 5101Z88001" in note.text
    assert not note.reply_broadcast
    stored = {f.name: f for f in bot.slack.files()}
    pdf = file_text("x.pdf", stored["appeal-5101Z88001-level1.pdf"].content or b"")
    docx_text = file_text("x.docx", stored["appeal-5101Z88001-level1.docx"].content or b"")
    for text in (pdf, docx_text):
        assert "5101Z88001" in text
        assert "$420.00" in text
        assert "CO-197" in text
        assert "patient name" in text
    saw = everything_slack_saw(bot)
    assert not [word for word in PHI if word in saw], "PHI reached Slack"
    with bot.deps.sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "letter")).one()
    assert event.actor == "slack:T1:UMARIA"
    assert event.detail["template"] == "authorization.txt"
    assert event.detail["phi"] == "without patient"


def test_denials_letter_posts_in_the_thread_and_answers_where_it_went(bot: BotUnderTest) -> None:
    card = one_card(bot)

    bot.driver.slash("/denials", "letter 5101Z88001", user=MARIA, channel=CHANNEL)

    (note,) = bot.driver.wait_for(lambda: bot.slack.thread(CHANNEL, card.ts), what="letter")
    assert len(note.files) == 2
    reply = bot.driver.wait_for(bot.slack.responses, what="reply")[-1]
    assert (
        reply.payload["text"]
        == "The appeal letter draft for claim 5101Z88001 is in the card's thread."
    )
    assert reply.response_type == "ephemeral"
    saw = everything_slack_saw(bot)
    assert not [word for word in PHI if word in saw], "PHI reached Slack"


def test_the_log_appeal_form_offers_the_draft_and_says_where_it_went(bot: BotUnderTest) -> None:
    card = one_card(bot)
    bot.driver.block_action(
        ids.LOG_APPEAL_BUTTON, user=MARIA, channel=CHANNEL, message_ts=card.ts, value=None
    )
    modal = bot.driver.wait_for(lambda: bot.slack.views(MARIA), what="appeal form")[-1]

    bot.driver.block_action(ids.DRAFT_LETTER_BUTTON, user=MARIA, view_id=modal.id)

    (note,) = bot.driver.wait_for(lambda: bot.slack.thread(CHANNEL, card.ts), what="letter")
    assert len(note.files) == 2
    updated = bot.driver.wait_for(
        lambda: (
            "Draft posted" in json.dumps(bot.slack.view(modal.id).payload)
            and bot.slack.view(modal.id)
        ),  # type: ignore[union-attr]
        what="form update",
    )
    assert updated.payload["callback_id"] == ids.APPEAL_MODAL  # still the form, ready to submit


def test_a_denial_without_appeal_rights_gets_a_refusal_not_a_letter(bot: BotUnderTest) -> None:
    bot.import_bytes(
        make_835([denied("U1", carc="16", remark="MA130")], payer="MEDICARE PART B"), "mc.835"
    )
    bot.post_cards()
    (card,) = bot.cards()

    bot.driver.block_action(
        ids.CARD_OVERFLOW,
        selected_option=ids.OVERFLOW_DRAFT_LETTER,
        user=MARIA,
        channel=CHANNEL,
        message_ts=card.ts,
    )

    refusal = bot.driver.wait_for(bot.slack.responses, what="refusal")[-1]
    assert "no appeal rights (MA130)" in refusal.payload["text"]
    assert refusal.response_type == "ephemeral"
    assert not bot.slack.thread(CHANNEL, card.ts)
