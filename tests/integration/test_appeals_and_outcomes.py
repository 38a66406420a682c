"""`/denials appeal`, `outcome`, `find`, `assign`, `categorize` against the database, as a
chat: what a person types, what the bot answers, what changed (and what did not)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.blocks.plain_text import render_text
from bot.clock import Clock
from bot.commands.replies import CommandContext, Reply
from bot.commands.table import answer
from bot.domain.actor import Actor
from bot.domain.rulebook import Rulebook
from bot.errors import DenialsError
from bot.services.appeals import Appeals
from bot.services.importing import ImportContext, import_file
from bot.services.triage import AppealForm
from storage.models import AuditEvent, Denial
from tests.support.x835 import denied, make_835

MARIA, JAMES, DANA = "UMARIA", "UJAMES", "UDANA"
TODAY = date(2026, 11, 30)


@dataclass
class Directory:
    """People the workspace knows, and who is in the denials channel."""

    people: set[str] = field(default_factory=lambda: {MARIA, JAMES, DANA})
    members: set[str] = field(default_factory=lambda: {MARIA, JAMES, DANA})

    def is_person(self, user_id: str) -> bool:
        return user_id in self.people

    def may_triage(self, user_id: str) -> bool:
        return user_id in self.members


Say = Callable[..., Reply]
Remit = Callable[..., None]
Sessions = sessionmaker[Session]


@pytest.fixture
def say(sessions: sessionmaker[Session], rulebook: Rulebook, clock: Clock) -> Say:
    appeals = Appeals(sessions, (DANA,), rulebook.payer_rules)
    directory = Directory()

    def typed(text: str, user: str = MARIA, on: date = TODAY) -> Reply:
        context = CommandContext(
            sessions=sessions,
            rulebook=rulebook,
            clock=clock.on(on),
            appeals=appeals,
            actor=Actor("T1", user, is_manager=user == DANA),
            people=directory,
        )
        return answer(text, context)

    return typed


@pytest.fixture
def remit(sessions: Sessions, rulebook: Rulebook, clock: Clock) -> Remit:
    def load(
        *claims: object, payer: str = "AETNA", payer_id: str = "60054", name: str = ""
    ) -> None:
        context = ImportContext(
            sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=TODAY
        )
        data = make_835(list(claims), payer=payer, payer_id=payer_id)  # type: ignore[arg-type]
        outcome = import_file(data, context, file_name=name or f"{payer}.835")
        assert outcome.status == "imported", outcome.summary_line()

    return load


def text(reply: Reply) -> str:
    assert reply.message is not None
    return render_text(reply.message.blocks)


def the_denial(sessions: sessionmaker[Session], claim: str = "5101Z88001") -> Denial:
    with sessions() as session:
        denial = session.scalars(select(Denial).where(Denial.claim_number == claim)).one()
        denial.appeals  # noqa: B018 - load them while the session is open
        return denial


def actions(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# -- appeal ----------------------------------------------------------------------------------


def test_logging_an_appeal_moves_the_denial_to_appealed(
    remit: Remit, say: Say, sessions: Sessions
) -> None:
    remit(denied("5101Z88001", amount="420"))

    reply = say("appeal 5101Z88001 1 portal 88-2231 sent with the op note")

    assert text(reply) == (
        "Claim 5101Z88001: @UMARIA logged appeal level 1 · portal · ref 88-2231 · sent Nov 30. "
        "The card is updated.\n"
    )
    assert reply.ok
    assert not reply.share
    denial = the_denial(sessions)
    assert denial.status == "appealed"
    (appeal,) = denial.appeals
    assert (appeal.kind, appeal.level, appeal.method, appeal.reference) == (
        "appeal",
        "1",
        "portal",
        "88-2231",
    )
    assert (appeal.sent_on, appeal.note) == (TODAY, "sent with the op note")
    assert appeal.created_by == "slack:T1:UMARIA"
    assert actions(sessions) == ["appeal"]


def test_an_appeal_without_a_method_reads_cleanly(remit: Remit, say: Say) -> None:
    remit(denied("5101Z88001"))
    reply = say("appeal D-1 2026-11-27")
    assert text(reply).startswith("Claim 5101Z88001: @UMARIA logged appeal level 1 · sent Nov 27.")


def test_only_the_claim_opens_the_appeal_form_for_that_denial(
    remit: Remit, say: Say, sessions: Sessions
) -> None:
    remit(denied("5101Z88001"))
    denial = the_denial(sessions)

    reply = say("appeal 5101Z88001")

    assert reply.message is None
    assert reply.modal is not None
    assert reply.modal["callback_id"] == "modal.appeal"
    assert reply.modal["private_metadata"] == f"{denial.id}:{denial.version}"
    assert the_denial(sessions).status == "new"


def test_a_corrected_claim_is_recorded_as_resubmitted(
    remit: Remit, say: Say, sessions: Sessions
) -> None:
    remit(denied("5101Z88001"))
    reply = say("appeal 5101Z88001 corrected electronic")
    assert "sent a corrected claim · status Resubmitted" in text(reply)
    denial = the_denial(sessions)
    assert denial.status == "resubmitted"
    assert denial.appeals[0].kind == "corrected"
    assert actions(sessions) == ["corrected"]


def test_a_second_appeal_waits_for_the_first_ones_outcome(
    remit: Remit, say: Say, sessions: Sessions
) -> None:
    remit(denied("5101Z88001"))
    say("appeal 5101Z88001 1 portal", on=TODAY - timedelta(days=3))

    reply = say("appeal 5101Z88001 2 fax")

    assert text(reply) == (
        "Claim 5101Z88001 already has an appeal waiting for a decision (level 1, sent Nov 27, "
        "2026). Record how it ended first: /denials outcome 5101Z88001 won|lost|partial.\n"
    )
    assert not reply.ok
    assert len(the_denial(sessions).appeals) == 1


def test_two_appeals_stored_at_the_same_moment_keep_one(
    remit: Remit, sessions: Sessions, rulebook: Rulebook, clock: Clock
) -> None:
    """The rule holds in the transaction that stores the appeal, whatever path calls it: two
    at once (a form and a command, two people) give one appeal and one refusal."""
    remit(denied("5101Z88001"))
    denial_id = the_denial(sessions).id
    appeals = Appeals(sessions, (DANA,), rulebook.payer_rules)
    barrier = threading.Barrier(4)
    results: list[str] = []

    def send(user: str, level: str) -> None:
        form = AppealForm(level=level, method="portal", sent_on=TODAY)
        barrier.wait()
        try:
            appeals.log_appeal(denial_id, None, form, Actor("T1", user), clock.now())
            results.append("stored")
        except DenialsError as refusal:
            results.append(str(refusal))

    threads = [
        threading.Thread(target=send, args=(user, level))
        for user, level in ((MARIA, "1"), (JAMES, "1"), (DANA, "2"), (MARIA, "corrected"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results.count("stored") == 1
    assert all("already has an appeal waiting" in r for r in results if r != "stored")
    assert len(the_denial(sessions).appeals) == 1


# -- outcome ---------------------------------------------------------------------------------


def test_a_won_appeal_recovers_the_full_denied_amount(
    remit: Remit, say: Say, sessions: Sessions
) -> None:
    remit(denied("5101Z88001", amount="420"))
    say("appeal 5101Z88001 1 portal")

    reply = say("outcome 5101Z88001 won")

    assert text(reply) == (
        "Claim 5101Z88001 (Aetna): appeal won, $420.00 recovered. Closed as Recovered.\n"
    )
    denial = the_denial(sessions)
    assert (denial.status, denial.closed, denial.recovered_amount) == (
        "recovered",
        True,
        Decimal("420.00"),
    )
    (appeal,) = denial.appeals
    assert (appeal.outcome, appeal.outcome_amount, appeal.decided_on) == (
        "won",
        Decimal("420.00"),
        TODAY,
    )
    assert actions(sessions) == ["appeal", "outcome"]
    assert reply.change is not None
    assert "recorded the appeal outcome: won · $420.00 recovered" in reply.change.note


def test_a_partial_win_recovers_what_the_payer_paid(
    remit: Remit, say: Say, sessions: Sessions
) -> None:
    remit(denied("5101Z88001", amount="420"))
    say("appeal 5101Z88001 1 portal")

    assert "partial" in text(say("outcome 5101Z88001 partial 210"))

    denial = the_denial(sessions)
    assert (denial.status, denial.recovered_amount) == ("recovered", Decimal("210.00"))
    assert denial.appeals[0].outcome == "partial"


def test_a_partial_win_of_the_whole_amount_is_a_win(
    remit: Remit, say: Say, sessions: Sessions
) -> None:
    remit(denied("5101Z88001", amount="420"))
    say("appeal 5101Z88001 1 portal")
    reply = say("outcome 5101Z88001 partial 420")
    assert text(reply).startswith("A partial win recovers less than the $420.00 denied.")
    assert the_denial(sessions).status == "appealed"
    assert actions(sessions) == ["appeal"]


def test_a_lost_appeal_reopens_with_the_next_levels_deadline(
    remit: Remit, say: Say, sessions: Sessions
) -> None:
    remit(denied("5101Z88001", amount="420"))  # Aetna: the next level within 60 days
    say("appeal 5101Z88001 1 portal", on=date(2026, 11, 2))

    reply = say("outcome 5101Z88001 lost 11/25")

    next_deadline = date(2026, 11, 25) + timedelta(days=60)
    assert text(reply) == (
        "Claim 5101Z88001 (Aetna): appeal lost. Back to In progress; the level 2 appeal is due "
        "by Jan 24, 2027 (55 days left).\n"
    )
    denial = the_denial(sessions)
    assert (denial.status, denial.closed, denial.deadline) == ("in_progress", False, next_deadline)
    assert denial.appeals[0].next_deadline == next_deadline
    assert denial.appeals[0].decided_on == date(2026, 11, 25)
    assert reply.change is not None
    assert reply.change.note.endswith("lost · next level by Jan 24, 2027")


def test_a_lost_last_level_says_no_further_level_exists(
    remit: Remit, say: Say, sessions: Sessions
) -> None:
    remit(denied("5101Z88001"))
    say("appeal 5101Z88001 1 portal", on=date(2026, 10, 20))
    say("outcome 5101Z88001 lost", on=date(2026, 11, 1))
    deadline = the_denial(sessions).deadline
    say("appeal 5101Z88001 fax", on=date(2026, 11, 10))  # level 2 by default, after a loss

    reply = say("outcome 5101Z88001 lost")

    assert "no further appeal level is on file" in text(reply)
    assert "a manager can write it off" in text(reply)
    denial = the_denial(sessions)
    assert [a.level for a in denial.appeals] == ["1", "2"]
    assert (denial.status, denial.deadline) == ("in_progress", deadline)
    assert denial.appeals[1].next_deadline is None


def test_medicare_counts_reconsideration_as_the_second_level(
    remit: Remit, say: Say, sessions: Sessions
) -> None:
    remit(denied("5101Z88001"), payer="MEDICARE PART B", payer_id="12345")
    say("appeal 5101Z88001 reconsideration mail", on=date(2026, 11, 2))

    say("outcome 5101Z88001 lost")

    assert the_denial(sessions).deadline == TODAY + timedelta(days=60)  # ALJ: 60 days


def test_an_outcome_needs_an_appeal_first(remit: Remit, say: Say, sessions: Sessions) -> None:
    remit(denied("5101Z88001"))
    reply = say("outcome 5101Z88001 won")
    assert text(reply) == (
        "No appeal is waiting for a decision on claim 5101Z88001. Log the appeal first: "
        "/denials appeal 5101Z88001.\n"
    )
    assert the_denial(sessions).status == "new"
    assert actions(sessions) == []


def test_a_decision_cannot_come_before_the_appeal(
    remit: Remit, say: Say, sessions: Sessions
) -> None:
    remit(denied("5101Z88001"))
    say("appeal 5101Z88001 1 portal")
    reply = say("outcome 5101Z88001 lost 2026-11-02")
    assert text(reply).startswith("The decision date (Nov 2, 2026) is before the appeal was sent")
    assert the_denial(sessions).appeals[0].outcome is None


def test_a_closed_denial_takes_no_new_appeal(remit: Remit, say: Say, sessions: Sessions) -> None:
    remit(denied("5101Z88001"))
    say("appeal 5101Z88001 1 portal")
    say("outcome 5101Z88001 won")
    reply = say("appeal 5101Z88001")
    assert text(reply).startswith("This denial is closed (recovered).")
    assert reply.modal is None


# -- finding the claim -----------------------------------------------------------------------


def test_the_same_claim_number_from_two_payers_lists_both(
    remit: Remit, say: Say, sessions: Sessions
) -> None:
    remit(denied("5101Z88001", amount="420"))
    remit(denied("5101Z88001", amount="180"), payer="CIGNA", payer_id="62308")

    reply = say("outcome 5101Z88001 won")

    shown = text(reply)
    assert shown.startswith("2 denials match 5101Z88001. Say which one with its id, like")
    assert "D-1 · 5101Z88001 · Aetna · $420.00 · New" in shown
    assert "D-2 · 5101Z88001 · Cigna · $180.00 · New" in shown
    assert "[ Open ]" in shown
    assert actions(sessions) == []


def test_an_unknown_claim_suggests_the_closest(remit: Remit, say: Say) -> None:
    remit(denied("5101Z88001"), denied("5101Z88007"), denied("7777"))

    reply = say("find 5101Z8800X")

    shown = text(reply)
    assert shown.startswith("I couldn't find claim 5101Z8800X. Try /denials find 5101Z8800\n")
    assert "5101Z88001" in shown
    assert "5101Z88007" in shown
    assert "7777" not in shown
    assert not reply.ok


def test_a_typo_near_the_front_still_suggests_the_claim(remit: Remit, say: Say) -> None:
    """Issue 14: an unknown claim suggested nothing when it shared no start with any."""
    remit(denied("5101Z88001"), denied("7777"))
    shown = text(say("find 5011Z88001"))
    assert shown.startswith("I couldn't find claim 5011Z88001.\nClosest matches:")
    assert "5101Z88001" in shown
    assert "7777" not in shown


def test_a_claim_nothing_resembles_is_simply_not_found(remit: Remit, say: Say) -> None:
    remit(denied("5101Z88001"))
    assert text(say("find ZZZ-404")) == "I couldn't find claim ZZZ-404.\n"
    assert text(say("find D-999")) == "I couldn't find claim D-999.\n"


def test_the_start_of_a_claim_number_lists_what_starts_so(remit: Remit, say: Say) -> None:
    remit(denied("5101Z88001"), denied("5101Z88007"))
    shown = text(say("find 5101Z88"))
    assert shown.startswith("No claim is exactly 5101Z88; these start the same way.")
    assert shown.count("[ Open ]") == 2


def test_find_shows_the_card_by_claim_or_by_id(remit: Remit, say: Say) -> None:
    remit(denied("5101Z88001", amount="420"))
    for typed in ("find 5101Z88001", "find 5101z88001", "find D-1", "find 1"):
        shown = text(say(typed))
        assert "Denied · Aetna · $420.00" in shown, typed
        assert "Claim 5101Z88001" in shown
        assert "TESTPATIENT" not in shown  # no PHI by default


# -- assign, categorize ----------------------------------------------------------------------


def test_assign_to_a_person_me_or_nobody(remit: Remit, say: Say, sessions: Sessions) -> None:
    remit(denied("5101Z88001"))
    assert text(say("assign 5101Z88001 <@UJAMES|james>")) == (
        "Claim 5101Z88001: @UMARIA assigned to @UJAMES. The card is updated.\n"
    )
    assert the_denial(sessions).assignee == JAMES
    assert text(say("assign 5101Z88001 me")).startswith("Claim 5101Z88001: @UMARIA took it.")
    assert text(say("assign 5101Z88001 nobody")).startswith("Claim 5101Z88001: @UMARIA unassigned")
    assert the_denial(sessions).assignee is None
    assert the_denial(sessions).status == "in_progress"


def test_assigning_to_someone_who_is_not_a_person_changes_nothing(
    remit: Remit, say: Say, sessions: Sessions
) -> None:
    remit(denied("5101Z88001"))
    reply = say("assign 5101Z88001 <@UBOT|robot>")
    assert text(reply).startswith("@UBOT is not a person in this workspace")
    assert "Usage: /denials assign CLAIM @user" in text(reply)
    assert the_denial(sessions).assignee is None
    assert actions(sessions) == []


def test_categorize_sets_the_root_cause_as_staff(
    remit: Remit, say: Say, sessions: Sessions
) -> None:
    remit(denied("5101Z88001", carc="197"))
    reply = say("categorize 5101Z88001 coding")
    assert text(reply) == (
        "Claim 5101Z88001: @UMARIA set root cause: Coding (was: suggested Authorization). "
        "The card is updated.\n"
    )
    denial = the_denial(sessions)
    assert (denial.category, denial.category_source, denial.category_set_by) == (
        "coding",
        "staff",
        MARIA,
    )


def test_due_lists_mine_and_checks_a_mentioned_person(remit: Remit, say: Say) -> None:
    remit(denied("5101Z88001"), denied("5101Z88002"), payer="ACME HEALTH", payer_id="99")
    say("assign 5101Z88001 me")

    mine = text(say("due 30 mine"))
    assert "5101Z88001" in mine
    assert "5101Z88002" not in mine
    assert "5101Z88002" in text(say("due 30 unassigned"))
    assert "is not a person" in text(say("due <@UNOBODY>"))


def test_wildcards_in_what_was_typed_match_only_themselves(remit: Remit, say: Say) -> None:
    remit(denied("5101Z88001"), denied("ABCDE"))
    assert text(say("find %")) == "I couldn't find claim %.\n"
    assert text(say("find 5101Z_8001")).startswith(
        "I couldn't find claim 5101Z_8001. Try /denials find 5101Z\n"
    )
