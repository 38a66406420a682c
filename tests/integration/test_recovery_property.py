"""Recovered dollars never exceed paid dollars through the whole import: generated histories of
remittances (claims sharing account numbers, payer claim numbers, dates and codes), each
imported as its own file, read back from the database."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.clock import Clock
from bot.domain.rulebook import Rulebook
from bot.services.importing import ImportContext, import_file
from storage.db import make_session_factory
from storage.models import Denial
from tests.conftest import empty_database
from tests.support.x835 import ClaimSpec, Line, make_835


@st.composite
def claims(draw: st.DrawFn) -> ClaimSpec:
    cents = draw(st.integers(1, 40_000))
    amount = f"{cents // 100}.{cents % 100:02d}"
    pays = draw(st.booleans())
    line = Line(
        code=draw(st.sampled_from(["99213", "97110"])),
        date=draw(st.sampled_from(["20261001", "20261002"])),
        billed=amount,
        paid=amount if pays else "0",
        cas=[] if pays else [("CO", "197", amount)],
    )
    return ClaimSpec(
        number=draw(st.sampled_from(["ACCT1", "ACCT2"])),  # account numbers shared by claims
        payer_claim=draw(st.sampled_from(["ICN1", "ICN2", "ICN3"])),
        billed=amount,
        paid=line.paid,
        lines=[line],
    )


histories = st.lists(st.lists(claims(), min_size=1, max_size=4), min_size=1, max_size=4)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(histories)
def test_recovered_never_exceeds_paid_per_file_and_in_total(
    migrated_engine: Engine, rulebook: Rulebook, clock: Clock, remittances: list[list[ClaimSpec]]
) -> None:
    empty_database(migrated_engine)
    sessions = make_session_factory(migrated_engine)
    context = ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=clock.today()
    )
    paid_after_first = Decimal(0)
    for number, specs in enumerate(remittances):
        day = f"202610{10 + number}"
        outcome = import_file(
            make_835(specs, check=f"EFT{number}", production_date=day, payment_date=day),
            context,
            file_name=f"remit_{number}.835",
        )
        paid = sum((Decimal(c.paid) for c in specs), Decimal(0))
        assert outcome.recovered_amount <= paid  # a file's payments recover at most what they paid
        if number:
            paid_after_first += paid
    with sessions() as session:
        total = session.scalar(select(func.sum(Denial.recovered_amount))) or Decimal(0)
        over = session.scalar(
            select(func.count()).where(Denial.recovered_amount > Denial.denied_amount)
        )
    assert total <= paid_after_first  # only a later remittance recovers
    assert over == 0
