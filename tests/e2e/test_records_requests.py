"""Documentation requests and rejections end to end: real HTTP, signed requests, the Slack
stand-in, the deadline job's exactly-once ledger (issue 15's "Done when")."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from bot.blocks import ids
from bot.jobs.context import build_jobs
from storage.models import ClaimRejection, DocumentationRequest, SendClaim
from tests.e2e.bot_harness import CHANNEL, MANAGER, TODAY, BotUnderTest
from tests.support.x277 import ACK, ClaimSpec, make_277
from tests.support.x835 import ClaimSpec as Claim835
from tests.support.x835 import Line, make_835

MARIA, JAMES = "UMARIA", "UJAMES"
RECEIVED = TODAY - timedelta(days=5)  # Nov 25
DUE = TODAY + timedelta(days=20)  # Dec 20


def d8(day: date) -> str:
    return day.strftime("%Y%m%d")


def rfai(*claims: str) -> bytes:
    """A 277RFAI from Aetna asking for an operative note for each claim, due Dec 20."""
    return make_277(
        [
            ClaimSpec(
                number=claim,
                payer_claim=f"ICN-{claim}",
                stc=[f"R4:11504-8::LOI*{d8(RECEIVED)}"],
                due=d8(DUE),
            )
            for claim in claims
        ],
        payer="AETNA",
        payer_id="60054",
        created=d8(RECEIVED),
    )


def text_of(message: Any) -> str:
    return message.text + " " + str(message.blocks)


def card_for(bot: BotUnderTest, claim: str) -> Any:
    return next(card for card in bot.cards() if claim in text_of(card))


def thread_texts(bot: BotUnderTest, card: Any) -> list[str]:
    return [m.text for m in bot.slack.thread(CHANNEL, card.ts)]


def mark_sent(bot: BotUnderTest, card: Any, user: str, sent_on: date) -> None:
    bot.driver.block_action(
        ids.REQUEST_SENT_BUTTON, user=user, channel=CHANNEL, message_ts=card.ts, value=None
    )
    modal = bot.driver.wait_for(lambda: bot.slack.views(user), what="records sent form")[-1]
    assert modal.callback_id == ids.REQUEST_SENT_MODAL
    values = {
        ids.SENT_METHOD_BLOCK: {
            ids.SENT_METHOD_INPUT: {"type": "static_select", "selected_option": {"value": "fax"}}
        },
        ids.SENT_ON_BLOCK: {
            ids.SENT_ON_INPUT: {"type": "datepicker", "selected_date": sent_on.isoformat()}
        },
        ids.SENT_REFERENCE_BLOCK: {ids.SENT_REFERENCE_INPUT: "FAX-0042"},
    }
    answer = bot.driver.view_submission(ids.REQUEST_SENT_MODAL, values, user=user)
    assert answer.status == 200
    assert not answer.text or "errors" not in answer.body


def test_a_277rfai_request_is_posted_reminded_7_3_1_days_once_and_a_later_denial_links(
    bot: BotUnderTest,
) -> None:
    outcome = bot.import_bytes(rfai("PCN-R1", "PCN-R2"), "rfai.277")
    assert outcome.summary_line() == (
        "rfai.277: imported 2 claim statuses, 2 documentation requests, 0 rejections."
    )
    bot.post_cards()
    first, second = card_for(bot, "PCN-R1"), card_for(bot, "PCN-R2")
    assert len(bot.cards()) == 2
    assert "Records requested · Aetna · PCN-R1" in text_of(first)
    assert "Operative (surgical operation) note (LOINC 11504-8)" in text_of(first)
    assert "Dec 20, 2026 · 20 days left" in text_of(first)

    warnings = build_jobs(bot.deps).warnings

    def remind(day: date) -> None:
        warnings.run(day)

    remind(DUE - timedelta(days=8))  # too early: nothing
    assert thread_texts(bot, first) == []
    assert bot.slack.dms(MANAGER) == []

    remind(DUE - timedelta(days=7))
    remind(DUE - timedelta(days=7))  # the same tick again: never twice
    remind(DUE - timedelta(days=6))  # still the 7-day level: already sent
    seven = f"<@{MANAGER}> the records request for PCN-R1 (Aetna) is due in 7 days."
    assert thread_texts(bot, first) == [seven]
    # the manager is @-mentioned in one thread a day (issue 14)
    quiet = "The records request for PCN-R2 (Aetna) is due in 7 days."
    assert thread_texts(bot, second) == [quiet + " Nobody owns it yet: assign it from the card."]

    # Maria sends PCN-R2's records: its reminders stop
    mark_sent(bot, second, MARIA, TODAY)
    updated = bot.driver.wait_for(
        lambda: (m := bot.slack.message(CHANNEL, second.ts)) and m.edits and m, what="card update"
    )
    assert "Records sent · Aetna · PCN-R2" in text_of(updated)
    assert "by fax · ref FAX-0042" in text_of(updated)
    bot.driver.wait_for(lambda: len(thread_texts(bot, second)) == 2, what="sent note")
    assert "<@UMARIA> marked the records sent by fax · ref FAX-0042" in thread_texts(bot, second)[1]

    remind(DUE - timedelta(days=3))
    three = f"<@{MANAGER}> the records request for PCN-R1 (Aetna) is due in 3 days."
    assert thread_texts(bot, first) == [seven, three]
    remind(DUE - timedelta(days=1))
    remind(DUE - timedelta(days=1))
    (dm,) = bot.slack.dms(MANAGER)
    assert dm.text == "Due tomorrow or overdue: 1 records request"
    assert "PCN-R1 · Aetna · Unassigned · records request due tomorrow" in str(dm.blocks)
    assert "records request due tomorrow" in str(dm.blocks)
    assert len(thread_texts(bot, second)) == 2  # no reminder after it was sent
    with bot.deps.sessions() as session:
        keys = sorted(session.scalars(select(SendClaim.key).where(SendClaim.kind == "warning")))
    assert keys == [
        f"request:1:1:{DUE.isoformat()}",
        f"request:1:3:{DUE.isoformat()}",
        f"request:1:7:{DUE.isoformat()}",
        f"request:2:7:{DUE.isoformat()}",
    ]

    # the payer denies PCN-R1 for missing records (CO-252): its card says the request went
    # unanswered, and the request's card says it turned into a denial
    remit = make_835(
        [
            Claim835(
                number="PCN-R1",
                payer_claim="ICN-PCN-R1",
                billed="640",
                lines=[Line(billed="640", paid="0", cas=[("CO", "252", "640")])],
            )
        ],
        production_date=d8(DUE + timedelta(days=5)),
        payment_date=d8(DUE + timedelta(days=6)),
    )
    assert bot.import_bytes(remit, "remit.835").denials == 1
    bot.post_cards()
    denial_card = next(card for card in bot.cards() if "Denied · Aetna" in card.text)
    assert "Records were requested on Nov 25 (due Dec 20) and not sent" in text_of(denial_card)
    refreshed = bot.slack.message(CHANNEL, first.ts)
    assert refreshed is not None
    assert "Denied for missing records" in text_of(refreshed)
    assert any("denied for missing records (CO-252)" in t for t in thread_texts(bot, first))


def test_a_request_logged_from_slack_gets_its_card_and_the_letter_attached(
    bot: BotUnderTest,
) -> None:
    answer = bot.driver.slash(
        text="request PCN-PAPER due 12/28 op note and H&amp;P for 10/01",
        user=JAMES,
        channel=CHANNEL,
    )
    assert answer.status == 200
    card = bot.driver.wait_for(lambda: bot.cards() and bot.cards()[0], what="request card")
    assert "Records requested · Unknown payer · PCN-PAPER" in text_of(card)
    assert "op note and H&amp;P for 10/01" in text_of(card)
    assert "Dec 28, 2026" in text_of(card)
    reply = bot.driver.wait_for(lambda: bot.slack.ephemerals(JAMES), what="confirmation")[-1]
    assert "Logged: records for claim PCN-PAPER" in reply.text

    # the same request again is refused, nothing added
    bot.driver.slash(text="request PCN-PAPER due 12/28", user=JAMES, channel=CHANNEL)
    refusal = bot.driver.wait_for(
        lambda: [e for e in bot.slack.ephemerals(JAMES) if "already on file" in e.text],
        what="refusal",
    )
    assert "R-1" in refusal[0].text
    assert len(bot.cards()) == 1

    # the payer's PDF letter, shared as a reply in the card's thread, is attached to it
    letter = bot.slack.add_file("adr-letter.pdf", b"%PDF-1.4 letter", user=MARIA, channel=CHANNEL)
    bot.slack.share_file(letter, CHANNEL, "1800000000.000100", thread_ts=card.ts)
    bot.driver.file_shared(letter, user=MARIA, channel=CHANNEL)
    note = bot.driver.wait_for(
        lambda: [t for t in thread_texts(bot, card) if "attached" in t], what="attached note"
    )
    assert note == ["<@UMARIA> attached adr-letter.pdf"]
    bot.driver.file_shared(letter, user=MARIA, channel=CHANNEL)  # Slack sends it again
    with bot.deps.sessions() as session:
        request = session.scalars(select(DocumentationRequest)).one()
        assert [a["name"] for a in request.attachments] == ["adr-letter.pdf"]
        assert request.origin == "slack"


def test_a_rejection_is_corrected_from_its_card_and_closed_by_the_payers_acceptance(
    bot: BotUnderTest,
) -> None:
    ack = make_277(
        [ClaimSpec(number="CLM-J1", payer_claim=None, stc=["A7:562:85*20261127*U*210"])],
        guide=ACK,
        payer="UNITEDHEALTHCARE",
        payer_id="87726",
        created="20261127",
    )
    assert bot.import_bytes(ack, "ack.277").rejections == 1
    bot.post_cards()
    (card,) = bot.cards()
    assert "Rejected before adjudication · UnitedHealthcare · $210.00" in text_of(card)
    assert "billing provider's National Provider Identifier (NPI)" in text_of(card)

    bot.driver.block_action(
        ids.REJECTION_CORRECTED_BUTTON, user=JAMES, channel=CHANNEL, message_ts=card.ts, value=None
    )
    bot.driver.wait_for(lambda: bot.slack.views(JAMES), what="corrected form")
    values = {
        ids.CORRECTED_ON_BLOCK: {
            ids.CORRECTED_ON_INPUT: {"type": "datepicker", "selected_date": TODAY.isoformat()}
        },
        ids.CORRECTED_NOTE_BLOCK: {ids.CORRECTED_NOTE_INPUT: "billing NPI fixed"},
    }
    assert (
        bot.driver.view_submission(ids.REJECTION_CORRECTED_MODAL, values, user=JAMES).status == 200
    )
    bot.driver.wait_for(
        lambda: "Corrected and resubmitted" in text_of(bot.slack.message(CHANNEL, card.ts)),
        what="corrected card",
    )

    accepted = make_277(
        [ClaimSpec(number="CLM-J1", payer_claim="UHC1", stc=["A2:20:PR*20261201*WQ*210"])],
        guide=ACK,
        payer="UNITEDHEALTHCARE",
        payer_id="87726",
        created="20261201",
    )
    assert bot.import_bytes(accepted, "ack2.277").accepted == 1
    bot.post_cards()  # the posting job rebuilds changed cards
    closed = bot.slack.message(CHANNEL, card.ts)
    assert closed is not None
    assert "Rejection closed · UnitedHealthcare" in text_of(closed)
    assert any("accepted by the payer on Dec 1" in t for t in thread_texts(bot, card))
    with bot.deps.sessions() as session:
        assert session.scalars(select(ClaimRejection.status)).one() == "closed"


def test_due_and_app_home_list_requests_and_rejections_by_urgency(bot: BotUnderTest) -> None:
    bot.import_bytes(rfai("PCN-D1"), "rfai.277")
    bot.import_bytes(
        make_277(
            [ClaimSpec(number="CLM-D2", payer_claim=None, stc=["A6:153:IL*20261127*U*95"])],
            guide=ACK,
        ),
        "ack.277",
    )
    with bot.deps.sessions() as session, session.begin():
        session.scalars(select(ClaimRejection)).one().assignee = MARIA
    bot.driver.slash(text="due 30", user=MARIA, channel=CHANNEL)
    answer = bot.driver.wait_for(lambda: bot.slack.ephemerals(MARIA), what="due list")[-1]
    assert "1 records request" in answer.text
    shown = str(answer.blocks)
    assert "PCN-D1 · Aetna · Records: Operative" in shown
    assert ids.OPEN_REQUEST_BUTTON in shown

    bot.driver.app_home_opened(MARIA)
    home = bot.driver.wait_for(lambda: bot.slack.home(MARIA), what="app home")
    assert "CLM-D2" in str(home.blocks)
    assert "Rejected claims to correct" in str(home.blocks)


def test_a_records_request_logged_from_a_denial_cards_menu(bot: BotUnderTest) -> None:
    bot.import_bytes(
        make_835([Claim835(number="PCN-M1", lines=[Line(cas=[("CO", "50", "100")])])]), "r.835"
    )
    bot.post_cards()
    (card,) = bot.cards()
    bot.driver.block_action(
        ids.CARD_OVERFLOW,
        selected_option=ids.OVERFLOW_LOG_REQUEST,
        user=MARIA,
        channel=CHANNEL,
        message_ts=card.ts,
    )
    form = bot.driver.wait_for(lambda: bot.slack.views(MARIA), what="request form")[-1]
    assert form.callback_id == ids.REQUEST_MODAL
    inputs = {b["block_id"]: b["element"] for b in form.blocks if b["type"] == "input"}
    assert inputs[ids.REQUEST_CLAIM_BLOCK]["initial_value"] == "PCN-M1"
    assert inputs[ids.REQUEST_PAYER_BLOCK]["initial_value"] == "Aetna"
    values = {
        ids.REQUEST_CLAIM_BLOCK: {ids.REQUEST_CLAIM_INPUT: "PCN-M1"},
        ids.REQUEST_PAYER_BLOCK: {ids.REQUEST_PAYER_INPUT: "AETNA"},
        ids.REQUEST_DUE_BLOCK: {
            ids.REQUEST_DUE_INPUT: {"type": "datepicker", "selected_date": "2026-12-21"}
        },
        ids.REQUEST_WHAT_BLOCK: {ids.REQUEST_WHAT_INPUT: "progress notes for the appeal"},
    }
    assert bot.driver.view_submission(ids.REQUEST_MODAL, values, user=MARIA).status == 200
    request_card = bot.driver.wait_for(
        lambda: len(bot.cards()) == 2 and bot.cards()[-1], what="request card"
    )
    assert "Records requested · Aetna · PCN-M1" in text_of(request_card)
    assert "Dec 21, 2026" in text_of(request_card)
    assert "progress notes for the appeal" in text_of(request_card)


def test_a_277rfai_shared_in_the_channel_is_imported_and_its_card_posted_once(
    bot: BotUnderTest,
) -> None:
    file_id = bot.slack.upload_to_channel(
        "rfai-1125.277", rfai("PCN-S1"), user=MARIA, channel=CHANNEL
    )
    share_ts = [m.ts for m in bot.slack.messages(CHANNEL) if m.files][-1]
    first = bot.driver.file_shared(file_id, user=MARIA, channel=CHANNEL)
    assert first.status == 200
    summary = bot.driver.wait_for(lambda: bot.slack.thread(CHANNEL, share_ts), what="summary")[0]
    assert summary.text == (
        "rfai-1125.277: imported 1 claim status, 1 documentation request, 0 rejections."
    )
    card = bot.driver.wait_for(
        lambda: [c for c in bot.cards() if "Records requested" in c.text], what="request card"
    )[0]
    shown = text_of(card)
    assert "Records requested · Aetna · PCN-S1" in shown
    assert "Operative (surgical operation) note (LOINC 11504-8)" in shown
    assert "Dec 20, 2026 · 20 days left" in shown
    assert ids.REQUEST_SENT_BUTTON in shown  # the primary action: Mark sent

    # Slack delivers the event again after a lost acknowledgement: nothing twice
    assert bot.driver.redeliver(first, retry_attempt=1, retry_reason="timeout").status == 200
    bot.deps.after_ack.close()
    bot.post_cards()
    assert [c.ts for c in bot.cards() if "Records requested" in c.text] == [card.ts]
    assert len(bot.slack.thread(CHANNEL, share_ts)) == 1
    with bot.deps.sessions() as session:
        assert len(session.scalars(select(DocumentationRequest)).all()) == 1
