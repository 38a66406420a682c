"""Adjudications stored twice in an older database merged into one: `denials db dedupe` keeps
every staff action, appeal and card; `denials db upgrade` says when there are some."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.clock import Clock
from bot.domain.actor import Actor
from bot.domain.rulebook import Rulebook
from bot.domain.statuses import DenialStatus
from bot.presenters.card_renderer import CardRenderer
from bot.services.appeals import Appeals
from bot.services.importing import ImportContext, import_file
from bot.services.payers import merge
from bot.services.triage import AppealForm
from storage.bulk.import_writer import ImportWriter
from storage.models import Appeal, AuditEvent, Claim, Denial, SlackPost
from tests.support.x835 import denied, make_835, paid

Sessions = sessionmaker[Session]
TODAY = date(2026, 11, 30)


@pytest.fixture
def context(sessions: Sessions, rulebook: Rulebook, clock: Clock) -> ImportContext:
    return ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=clock.today()
    )


def remit(check: str = "EFT1", **kw: str) -> bytes:
    return make_835([denied("C1", amount="420"), paid("P1")], check=check, **kw)


def counts(sessions: Sessions) -> tuple[int, int]:
    with sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Claim)) or 0,
            session.scalar(select(func.count()).select_from(Denial)) or 0,
        )


def post_cards(sessions: Sessions) -> None:
    with sessions.begin() as session:
        for post in session.scalars(select(SlackPost)):
            post.status, post.channel, post.ts = "posted", "C0DENIALS", f"1700000000.{post.id:06d}"


@pytest.mark.usefixtures("terminal")
def test_dedupe_merges_a_remittance_imported_twice_keeping_the_staff_work(
    context: ImportContext,
    sessions: Sessions,
    rulebook: Rulebook,
    clock: Clock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with monkeypatch.context() as old:
        old.setattr(ImportWriter, "_new_only", lambda self, batch: batch)
        import_file(remit(), context, file_name="remit_a.835")
        import_file(remit().replace(b"~", b"~\r\n"), context, file_name="remit_a (1).835")
    assert counts(sessions) == (4, 2)  # what an older database holds
    post_cards(sessions)
    with sessions() as session:
        first, second = session.scalars(select(Denial.id).order_by(Denial.id)).all()
    appeals = Appeals(sessions, ("UMANAGER",), rulebook.payer_rules)
    staff = Actor("T1", "UMARIA")
    appeals.assign(second, None, "UJAMES", staff, clock.now())  # worked on the second card
    appeals.log_appeal(second, None, AppealForm("1", "portal", TODAY), staff, clock.now())

    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out == (
        "Database is up to date.\n"
        "2 claims are stored a second time (imported before re-sent files were recognised): "
        "`denials db dedupe` merges them, keeping every staff action, appeal and card.\n"
    )
    assert main(["db", "dedupe"]) == 0
    assert capsys.readouterr().out == (
        "Merged 2 claims into the first import of 2 adjudications: 1 denial merged (their "
        "appeals, history and staff work kept on the denial that stays), 1 card now pointing "
        "to the card that tracks it.\n"
    )

    assert counts(sessions) == (2, 1)
    with sessions() as session:
        denial = session.scalars(select(Denial)).one()
        assert denial.id == first
        assert (denial.status, denial.assignee) == (DenialStatus.APPEALED, "UJAMES")
        assert [a.reference for a in session.scalars(select(Appeal))] == [None]
        assert session.scalars(select(Appeal.denial_id)).all() == [first]
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.denial_id == first)
        ).all()
        assert actions == ["assign", "appeal", "merged_duplicate"]
        kept, replaced = session.scalars(select(SlackPost).order_by(SlackPost.id)).all()
        assert kept.pending_notes == [
            f"D-{second} was this denial imported again; its history is here now."
        ]
        assert (replaced.replaced_by_id, replaced.needs_update) == (kept.id, True)
        card = CardRenderer(rulebook.root_causes, clock.zone).render(session, replaced, today=TODAY)
    assert card.text == f"Imported twice: tracked on D-{first}"
    assert f"Its history is on the card of D-{first} now" in str(card.blocks)

    assert main(["db", "dedupe"]) == 0
    assert capsys.readouterr().out == "No adjudication is stored twice: nothing to merge.\n"
    # A third copy is recognised at import now.
    again = import_file(remit(), context, file_name="remit_a (2).835")
    assert again.status == "duplicate"


def test_merging_two_payers_that_each_had_the_file_stores_it_once(
    context: ImportContext, sessions: Sessions, clock: Clock
) -> None:
    import_file(remit(payer="UNITED HEALTHCARE", payer_id="87726"), context, file_name="a.835")
    import_file(remit(payer="UnitedHealthcare", payer_id="99004"), context, file_name="b.835")
    assert counts(sessions) == (4, 2)  # two payers then: nothing in common to tell

    merged = merge(sessions, "87726", "99004", now=clock.now())

    assert merged.duplicates == 2
    assert counts(sessions) == (2, 1)
