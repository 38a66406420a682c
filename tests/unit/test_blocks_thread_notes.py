"""History notes in a card's thread read like UX.md's sketch."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.blocks import thread_notes as notes
from bot.domain.findings import DeadlineKind, RootCause
from tests.unit.view_builders import TODAY


def test_root_cause_set_names_what_it_was() -> None:
    text = notes.root_cause_set(
        "UMARIA", RootCause.AUTHORIZATION, RootCause.AUTHORIZATION, was_suggested=True
    )
    assert text == "<@UMARIA> set root cause: Authorization (was: suggested Authorization)"
    assert notes.root_cause_set("U1", RootCause.CODING, RootCause.OTHER) == (
        "<@U1> set root cause: Coding (was: Other)"
    )
    assert notes.root_cause_set("U1", RootCause.CODING, None) == "<@U1> set root cause: Coding"


def test_assignment_notes() -> None:
    assert notes.assigned("UMARIA", "UJAMES") == "<@UMARIA> assigned to <@UJAMES>"
    assert notes.assigned("UJAMES", "UJAMES") == "<@UJAMES> took it"
    assert notes.assigned("UMARIA", None) == "<@UMARIA> unassigned it"


def test_appeal_logged_reads_like_the_sketch() -> None:
    text = notes.appeal_logged("UJAMES", "1", "portal", "88-2231", date(2026, 10, 22))
    assert text == "<@UJAMES> logged appeal level 1 · portal · ref 88-2231 · sent Oct 22"
    text = notes.appeal_logged("U1", "redetermination", "mail", None, date(2026, 10, 22))
    assert text == "<@U1> logged redetermination · mail · sent Oct 22"


def test_a_reference_someone_typed_is_escaped() -> None:
    text = notes.appeal_logged("U1", "2", "fax", "<!channel>", date(2026, 10, 22))
    assert "<!channel>" not in text
    assert "&lt;!channel&gt;" in text


def test_status_and_outcome_notes() -> None:
    assert notes.status_changed("U1", "resubmitted", "in_progress") == (
        "<@U1> moved it to Resubmitted (was: In progress)"
    )
    assert notes.corrected_sent("U1") == "<@U1> sent a corrected claim · status Resubmitted"
    assert notes.written_off("UDANA", "Below cost & late", Decimal(95)) == (
        "<@UDANA> wrote off $95.00: Below cost &amp; late"
    )
    assert notes.reopened("UDANA") == "<@UDANA> reopened it"
    assert notes.marked_paid("U1", Decimal("420")) == "<@U1> marked it paid: $420.00 recovered"
    assert notes.appeal_outcome("U1", "won", Decimal(420)) == (
        "<@U1> recorded the appeal outcome: won · $420.00 recovered"
    )
    assert notes.appeal_outcome("U1", "lost", None) == "<@U1> recorded the appeal outcome: lost"
    assert notes.paid_by_remittance(Decimal(420), "remit.835") == (
        ":moneybag: A later remittance paid $420.00 (remit.835): recovered"
    )


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (14, ":hourglass: 14 days to the appeal deadline (Dec 12)"),
        (1, ":hourglass: 1 day to the appeal deadline (Nov 29)"),
        (0, ":warning: The appeal deadline is today (Nov 28)"),
        (-2, ":rotating_light: The appeal deadline passed 2 days ago (Nov 26)"),
    ],
)
def test_deadline_reminders(days: int, text: str) -> None:
    due = TODAY + timedelta(days=days)
    assert notes.deadline_reminder(due, DeadlineKind.APPEAL, today=TODAY) == text


def test_escalations_mention_the_people_and_the_claim() -> None:
    text = notes.deadline_escalation(
        ["UJAMES"], "5101Z88003", "Cigna", Decimal(180), DeadlineKind.APPEAL, 7
    )
    assert text == "<@UJAMES> the appeal for 5101Z88003 (Cigna, $180.00) is due in 7 days."
    text = notes.deadline_escalation([], "C1", "Cigna", Decimal(1), DeadlineKind.RESUBMISSION, -1)
    assert text == "The corrected claim for C1 (Cigna, $1.00) is overdue by 1 day."


def test_group_notes() -> None:
    assert notes.bulk_root_cause("U1", RootCause.AUTHORIZATION, 12) == (
        "<@U1> set root cause for all 12: Authorization"
    )
    assert notes.bulk_assigned("U1", "U2", 12) == "<@U1> assigned all 12 to <@U2>"
    assert notes.fix_recorded("U1", "check auth <provider>") == (
        "<@U1> recorded a fix: check auth &lt;provider&gt;"
    )
