"""A grouped card's "Root cause for all" and "Assign all": every open denial changed in its own
transaction, partial success kept and said, and the reads behind the cards' buttons."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.domain.actor import Actor
from bot.domain.findings import RootCause
from bot.domain.rulebook import Rulebook
from bot.errors import ConflictError
from bot.services.audited import TriageResult
from bot.services.card_reads import CardReads
from bot.services.group_triage import ALL_CLOSED, GroupTriage
from bot.services.importing import ImportContext, import_file
from bot.services.triage import Triage
from storage.models import Denial, SlackPost
from tests.support.x835 import denied, make_835

MARIA = Actor("T1", "UMARIA")
MANAGER = Actor("T1", "UMANAGER", is_manager=True)
TODAY = date(2026, 11, 30)
Sessions = sessionmaker[Session]


@pytest.fixture
def group(sessions: Sessions, rulebook: Rulebook, clock: Clock) -> int:
    """A grouped card of three denials with one pattern; its post id."""
    context = ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=TODAY
    )
    claims = [denied(f"G{i}", amount="100") for i in range(3)]
    assert import_file(make_835(claims), context).status == "imported"
    with sessions() as session:
        return session.scalars(select(SlackPost.id).where(SlackPost.kind == "group")).one()


def denials(sessions: Sessions) -> list[Denial]:
    with sessions() as session:
        return list(session.scalars(select(Denial).order_by(Denial.id)))


def test_root_cause_for_all_changes_each_open_denial_and_writes_one_note(
    sessions: Sessions, group: int, clock: Clock
) -> None:
    groups = GroupTriage(sessions, Triage(sessions, ("UMANAGER",)))

    result = groups.set_category(group, RootCause.CODING, MARIA, clock.now())

    assert (result.post_id, result.total, result.changed, result.problem) == (group, 3, 3, None)
    assert result.note == "<@UMARIA> set root cause for all 3: Coding"
    assert {(d.category, d.category_source) for d in denials(sessions)} == {("coding", "staff")}


def test_a_closed_denial_is_left_out_of_the_group_change(
    sessions: Sessions, group: int, clock: Clock
) -> None:
    triage = Triage(sessions, ("UMANAGER",))
    first = denials(sessions)[0]
    triage.write_off(first.id, None, "too small to appeal", MANAGER, clock.now())

    result = GroupTriage(sessions, triage).assign(group, "UJAMES", MARIA, clock.now())

    assert (result.total, result.changed, result.refusals) == (2, 2, ())
    assert [d.assignee for d in denials(sessions)] == [None, "UJAMES", "UJAMES"]


def test_a_card_whose_denials_are_all_closed_is_refused(
    sessions: Sessions, group: int, clock: Clock
) -> None:
    triage = Triage(sessions, ("UMANAGER",))
    for denial in denials(sessions):
        triage.write_off(denial.id, None, "duplicate", MANAGER, clock.now())

    with pytest.raises(ConflictError, match=ALL_CLOSED):
        GroupTriage(sessions, triage).assign(group, "UJAMES", MARIA, clock.now())


class RefusesOne(Triage):
    """Someone else is changing one of the denials right now."""

    def __init__(self, sessions: Sessions, busy: int) -> None:
        super().__init__(sessions, ())
        self.busy = busy

    def assign(
        self,
        denial_id: int,
        version: int | None,
        assignee: str | None,
        actor: Actor,
        now: datetime,
    ) -> TriageResult:
        if denial_id == self.busy:
            raise ConflictError("Someone else is changing this denial right now.")
        return super().assign(denial_id, version, assignee, actor, now)


def test_partial_success_is_kept_and_the_refusal_told(
    sessions: Sessions, group: int, clock: Clock
) -> None:
    busy = denials(sessions)[1].id

    result = GroupTriage(sessions, RefusesOne(sessions, busy)).assign(
        group, "UJAMES", MARIA, clock.now()
    )

    assert (result.total, result.changed) == (3, 2)
    assert result.problem == (
        "1 of 3 were not changed: Someone else is changing this denial right now."
    )
    assert result.note == "<@UMARIA> assigned all 2 to <@UJAMES>"
    assert [d.assignee for d in denials(sessions)] == ["UJAMES", None, "UJAMES"]


def test_card_reads_give_typed_values_and_none_when_gone(
    sessions: Sessions, group: int, rulebook: Rulebook, clock: Clock
) -> None:
    cards = CardReads(sessions, rulebook.root_causes, clock.zone)
    first = denials(sessions)[0]

    summary = cards.summary(first.id)
    assert summary is not None
    assert (summary.claim_number, summary.post_id) == ("G0", first.post_id)
    view = cards.group_view(group)
    assert view is not None
    assert [d.claim_number for d in view.denials] == ["G0", "G1", "G2"]
    assert [row.claim_number for row in cards.group_due(group, TODAY).rows] == ["G0", "G1", "G2"]

    assert cards.summary(first.id + 1000) is None
    assert cards.denial_view(first.id + 1000) is None
    assert cards.group_view(group + 1000) is None
    assert cards.group_due(group + 1000, TODAY).rows == ()
