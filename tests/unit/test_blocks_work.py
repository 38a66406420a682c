"""Cards, rows and count lines of documentation requests and rejections."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from bot.blocks import ids
from bot.blocks.digest import digest_message
from bot.blocks.due_list import due_list
from bot.blocks.home import home_view
from bot.blocks.rejection_card import rejection_card
from bot.blocks.request_card import request_card
from bot.blocks.work_rows import digest_lines, trends_lines, work_row_text
from bot.blocks.work_views import NoteView, WorkKind
from bot.domain.digest import Week, summarize
from bot.domain.statuses import RejectionStatus, RequestStatus
from bot.domain.work_summary import WorkSummary
from tests.unit.view_builders import (
    TEAM_NOW,
    TODAY,
    action_ids,
    make_due,
    make_home,
    make_row,
    walk,
)
from tests.unit.work_view_builders import DENIED, make_rejection, make_request, make_work_row


def texts(blocks: list[dict[str, object]]) -> str:
    return "\n".join(str(d["text"]) for d in walk(blocks) if isinstance(d.get("text"), str))


# -- the request card ------------------------------------------------------------------------


def test_a_request_to_send_says_what_by_when_and_the_next_step() -> None:
    message = request_card(make_request(), today=TODAY)
    text = texts(message.blocks)
    assert "Records requested · Medicare Part B · ADR1001" in text
    assert "• Operative (surgical operation) note (LOINC 11504-8)" in text
    assert "• 97110: Diagnostic imaging study (LOINC 18748-4)" in text
    assert ":warning: 6 days left" in text
    assert "_Medicare fee-for-service (Parts A/B): 45 days_" in text
    assert "Requested · Unassigned" in text
    assert "then *Mark sent*" in text
    assert message.text.startswith("Records requested · Medicare Part B · claim ADR1001")
    actions = next(b for b in message.blocks if b["type"] == "actions")
    assert actions["block_id"] == "request.actions|12:2"
    assert action_ids(message.blocks) == {
        ids.REQUEST_ASSIGN_SELECT,
        ids.REQUEST_SENT_BUTTON,
        ids.REQUEST_OVERFLOW,
    }


def test_a_sent_request_waits_for_the_payer_without_a_countdown() -> None:
    view = make_request(
        status=RequestStatus.SENT,
        sent_on=TODAY - timedelta(days=1),
        sent_method="fax",
        sent_reference="F-77",
        assignee="UMARIA",
    )
    text = texts(request_card(view, today=TODAY).blocks)
    assert "Records sent" in text
    assert "Sent · <@UMARIA>" in text
    assert "by fax · ref F-77" in text
    assert "days left" not in text
    assert "Nothing until the payer decides" in text


def test_a_denial_for_missing_records_shows_on_the_request() -> None:
    view = make_request(denials=(DENIED,), due_date=TODAY - timedelta(days=3))
    text = texts(request_card(view, today=TODAY).blocks)
    assert "Denied for missing records" in text
    assert f"requested on {view.received_on:%b} {view.received_on.day} and not sent" in text
    late = make_request(
        denials=(DENIED,),
        status=RequestStatus.SENT,
        sent_on=TODAY - timedelta(days=1),
        due_date=TODAY - timedelta(days=3),
    )
    assert "after the due date" in texts(request_card(late, today=TODAY).blocks)


def test_closed_requests_shrink_to_two_lines_with_reopen() -> None:
    for status in (RequestStatus.ACCEPTED, RequestStatus.WITHDRAWN):
        message = request_card(make_request(status=status, closed_note="by phone"), today=TODAY)
        assert [b["type"] for b in message.blocks] == ["header", "section", "context"]
        overflow = message.blocks[1]["accessory"]
        assert [o["value"] for o in overflow["options"]] == [ids.WORK_REOPEN, ids.WORK_HISTORY]


def test_what_others_wrote_is_escaped_and_cut() -> None:
    view = make_request(
        claim_number="<!channel>",
        payer_name="A&B <Health>",
        asks=(NoteView("x" * 5000),),
        what="<@U1> op note & labs",
    )
    blocks = request_card(view, today=TODAY).blocks
    mrkdwn = [str(d["text"]) for d in walk(blocks) if d.get("type") == "mrkdwn"]
    assert not any("<!channel>" in text for text in mrkdwn)  # headers are plain text
    assert any("&lt;!channel&gt;" in text for text in mrkdwn)
    assert any("op note &amp; labs" in text for text in mrkdwn)
    assert max(len(text) for text in mrkdwn) <= 3000


# -- the rejection card ----------------------------------------------------------------------


def test_a_rejected_claim_says_what_is_wrong_and_the_filing_limit() -> None:
    message = rejection_card(make_rejection(), today=TODAY)
    text = texts(message.blocks)
    assert "Rejected before adjudication · UnitedHealthcare · $210.00" in text
    assert "• Invalid: billing provider's National Provider Identifier (NPI)" in text
    assert "Correct and resubmit by" in text
    assert "(filing limit)" in text
    assert "To correct · <@UJAMES>" in text
    assert action_ids(message.blocks) == {
        ids.REJECTION_ASSIGN_SELECT,
        ids.REJECTION_CORRECTED_BUTTON,
        ids.REJECTION_OVERFLOW,
    }


def test_batch_and_provider_rejections_say_how_many_claims() -> None:
    batch = make_rejection(
        level="batch", claim_number=None, trace="2002013105", claims_count=3, billed=Decimal(800)
    )
    assert "Whole batch rejected" in texts(rejection_card(batch, today=TODAY).blocks)
    assert "*Batch 2002013105*: 3 claims" in texts(rejection_card(batch, today=TODAY).blocks)
    provider = make_rejection(
        level="provider", claim_number=None, provider_name="REED, I B", claims_count=3
    )
    assert "3 claims rejected · REED, I B" in texts(rejection_card(provider, today=TODAY).blocks)


def test_a_corrected_rejection_waits_and_a_closed_one_shrinks() -> None:
    corrected = make_rejection(
        status=RejectionStatus.CORRECTED, corrected_on=TODAY, correction_note="fixed NPI"
    )
    text = texts(rejection_card(corrected, today=TODAY).blocks)
    assert "Corrected and resubmitted" in text
    assert "an acceptance closes this card by itself" in text
    closed = rejection_card(
        make_rejection(
            status=RejectionStatus.CLOSED, closed_note="accepted by the payer on Oct 10"
        ),
        today=TODAY,
    )
    assert "Closed: accepted by the payer on Oct 10" in texts(closed.blocks)


# -- on the lists ----------------------------------------------------------------------------


def test_requests_and_rejections_sit_among_denials_by_urgency() -> None:
    view = make_due(
        (make_row(days_left=10), make_row(days_left=-2, denial_id=7, claim_number="C7")),
        work=(
            make_work_row(days_left=2),
            make_work_row(WorkKind.REJECTION, days_left=-1, item_id=3, claim_number="CLM3001"),
        ),
    )
    message = due_list(view)
    lines = [str(b["text"]["text"]) for b in message.blocks if b["type"] == "section"]
    assert "2 records requests" not in lines[0]
    assert "1 records request · 1 rejected claim" in lines[0]
    headings = ("*", ":rotating_light: *", ":warning: *")
    order = [line.split(" · ")[0] for line in lines[1:] if not line.startswith(headings)]
    # overdue: the most recently missed first (1 day over, then 2)
    assert order[:2] == [":no_entry: CLM3001", "C7"]
    assert ":page_facing_up: ADR1001" in "\n".join(lines)
    buttons = [b["accessory"] for b in message.blocks if b.get("accessory")]
    assert {(b["action_id"], b["value"]) for b in buttons} >= {
        (ids.OPEN_REQUEST_BUTTON, "12"),
        (ids.OPEN_REJECTION_BUTTON, "3"),
    }


def test_only_requests_due_is_not_nothing_due() -> None:
    message = due_list(make_due((), work=(make_work_row(),)))
    assert "Nothing" not in message.text


def test_app_home_lists_my_requests_and_the_team_counts() -> None:
    home = home_view(make_home(my_work=(make_work_row(days_left=-1),)))
    text = texts(home["blocks"])
    assert ":page_facing_up: ADR1001" in text
    team = replace(make_home().team, records_to_send=2, claims_to_correct=1)
    assert "*Records to send*\n2" in texts(home_view(make_home(team=team))["blocks"])


def test_row_text_of_a_rejection_has_the_amount() -> None:
    row = make_work_row(WorkKind.REJECTION, days_left=3, what="Invalid NPI", assignee="U1")
    assert work_row_text(row) == (
        ":no_entry: ADR1001 · Medicare Part B · $145.00 · Rejected: Invalid NPI · <@U1> · "
        "3 days left"
    )


# -- digest and trends -----------------------------------------------------------------------


def summary(**changes: object) -> WorkSummary:
    base = dict(
        requests_received=4,
        answered_on_time=2,
        answered_late=1,
        unanswered=1,
        turned_into_denials=1,
        denied_amount=Decimal("145.00"),
        requests_open=3,
        requests_due_this_week=1,
        requests_overdue=1,
        rejections_received=5,
        rejections_open=2,
        rejections_due_this_week=0,
        rejections_overdue=0,
        reasons=(("Invalid NPI", 3), ("Missing member id", 2)),
    )
    base.update(changes)
    return WorkSummary(**base)  # type: ignore[arg-type]


def test_the_digest_has_open_due_and_overdue_requests_and_rejections() -> None:
    lines = digest_lines(summary())
    assert "*Records requests:* 3 to send · due this week 1 · overdue 1" in lines
    assert "*Rejected claims:* 2 to correct" in lines
    plain = summarize([], [], [], Week(TODAY, TODAY, TODAY), TEAM_NOW)
    message = digest_message(replace(plain, work=summary()))
    assert "Records requests" in texts(message.blocks)
    assert "Records requests" not in texts(digest_message(plain).blocks)


def test_trends_count_answered_on_time_late_and_turned_into_denials() -> None:
    lines = trends_lines(summary())
    assert "4 received · 2 answered on time · 1 late · 1 not answered" in lines
    assert "1 turned into denials ($145.00)" in lines
    assert "*Front-end rejections:* 5: Invalid NPI 3 · Missing member id 2" in lines
    long = 'Missing: the claim\'s payer message ("please send the corrected claim & its note")'
    clipped = trends_lines(summary(reasons=((long, 4),)))
    assert "Missing: the claim's payer message (\"please send the corrected… 4" in clipped
    assert trends_lines(summary(requests_received=0, rejections_received=0)) == ""


def test_every_request_and_rejection_menu_ends_with_history_within_slacks_five() -> None:
    cards = [
        request_card(make_request(), today=TODAY),
        request_card(make_request(status=RequestStatus.SENT, sent_on=TODAY), today=TODAY),
        rejection_card(make_rejection(), today=TODAY),
    ]
    for message in cards:
        menus = [
            element
            for block in message.blocks
            for element in [*block.get("elements", []), block.get("accessory") or {}]
            if element.get("type") == "overflow"
        ]
        (menu,) = menus
        values = [option["value"] for option in menu["options"]]
        assert values[-1] == ids.WORK_HISTORY
        assert len(values) <= 5
