"""A payment recovers at most what it paid: spread over the denials of the same claim it
answers, oldest first, only from a later remittance (bot/domain/readjudication.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.domain.rulebook import Rulebook
from bot.domain.statuses import DenialStatus
from bot.services.importing import ImportContext, import_file
from storage.models import Claim, Denial
from tests.conftest import DATA
from tests.support.x835 import ClaimSpec, Line, make_835, paid

Sessions = sessionmaker[Session]
X12 = DATA / "x12"
SHARED = "PATIENT ACCOUNT NUMBER"  # what many PM systems put in CLP01, for every claim


@pytest.fixture
def context(sessions: Sessions, rulebook: Rulebook, clock: Clock) -> ImportContext:
    return ImportContext(
        sessions=sessions, rulebook=rulebook, actor="cli:test", now=clock.now(), today=clock.today()
    )


def recovered(sessions: Sessions) -> tuple[int, Decimal]:
    with sessions() as session:
        count, cents = session.execute(
            select(func.count(), func.sum(Denial.recovered_amount)).where(
                Denial.status == DenialStatus.RECOVERED.value
            )
        ).one()
    return int(count), cents if cents is not None else Decimal("0.00")


def shared_account_denials(count: int) -> list[ClaimSpec]:
    """`count` different claims (their own CLP07) on one account number, each denied CO-39."""
    return [
        ClaimSpec(
            number=SHARED,
            billed="137.48",
            paid="0",
            payer_claim=f"ICN{i:05d}",
            lines=[Line(billed="137.48", paid="0", cas=[("CO", "39", "137.48")])],
        )
        for i in range(count)
    ]


PAYMENT = ClaimSpec(
    number=SHARED,
    billed="1481.99",
    paid="1481.99",
    payer_claim="ICN99999",
    lines=[Line(billed="1481.99", paid="1481.99")],
)


def test_one_payment_recovers_at_most_what_it_paid_over_many_denials(
    context: ImportContext, sessions: Sessions
) -> None:
    """The issue's public file shape: 3,616 claims share CLP01, each denied CO-39 for $137.48,
    then one claim paid $1,481.99. All 3,616 became recovered, $497,127.68 in total."""
    import_file(make_835(shared_account_denials(3616), check="EFT1"), context, file_name="a.835")
    later = make_835([PAYMENT], check="EFT2", production_date="20261101", payment_date="20261102")

    outcome = import_file(later, context, file_name="b.835")

    assert outcome.summary_line() == (
        "b.835: imported 1 claim, 0 denials ($0.00), 11 earlier denials paid ($1,481.99 recovered)."
    )
    assert recovered(sessions) == (11, Decimal("1481.99"))  # 10 x 137.48 + 107.19, oldest first
    with sessions() as session:
        oldest = session.scalars(select(Denial).order_by(Denial.id).limit(11)).all()
    assert [d.recovered_amount for d in oldest] == [Decimal("137.48")] * 10 + [Decimal("107.19")]


def test_a_paid_claim_in_the_same_transaction_set_recovers_nothing(
    context: ImportContext, sessions: Sessions
) -> None:
    """A denial and a payment reported together are two statements of one remittance (another
    claim on the account, a split claim), not a later payment of the denial."""
    outcome = import_file(
        make_835([*shared_account_denials(40), PAYMENT], check="EFT1"), context, file_name="a.835"
    )
    assert (outcome.claims, outcome.denials, outcome.recovered) == (41, 40, 0)
    assert recovered(sessions) == (0, Decimal("0.00"))


def test_denied_resubmitted_denied_as_duplicate_then_paid_is_credited_once(
    context: ImportContext, sessions: Sessions
) -> None:
    first = ClaimSpec(
        number="5101Z88001",
        payer_claim="ICN1",
        lines=[Line(billed="200", paid="0", cas=[("CO", "16", "200")])],
        billed="200",
    )
    resubmitted = ClaimSpec(
        number="5101Z88001",
        payer_claim="ICN2",
        lines=[Line(billed="200", paid="0", cas=[("OA", "18", "200")])],
        billed="200",
    )
    import_file(make_835([first], check="E1", production_date="20261001"), context)
    import_file(make_835([resubmitted], check="E2", production_date="20261015"), context)
    outcome = import_file(
        make_835(
            [paid("5101Z88001", amount="200", payer_claim="ICN3")],
            check="E3",
            production_date="20261101",
        ),
        context,
    )
    assert outcome.recovered == 1  # was 2: the one payment credited to both denials, $400
    with sessions() as session:
        denials = session.scalars(select(Denial).order_by(Denial.id)).all()
        paid_total = session.scalar(select(func.sum(Claim.paid)))
    assert [(d.status, d.recovered_amount) for d in denials] == [
        ("recovered", Decimal("200.00")),
        ("new", None),  # the duplicate-claim denial: for staff to close
    ]
    assert recovered(sessions)[1] <= paid_total


def test_another_claim_on_the_same_account_number_is_left_alone(
    context: ImportContext, sessions: Sessions
) -> None:
    """Different dates and procedures: not the same claim, whatever CLP01 says."""
    knee = ClaimSpec(
        number=SHARED,
        payer_claim="ICN1",
        billed="900",
        lines=[
            Line(code="73721", billed="900", paid="0", date="20260901", cas=[("CO", "197", "900")])
        ],
    )
    import_file(make_835([knee], check="E1"), context)
    visit = ClaimSpec(
        number=SHARED,
        payer_claim="ICN2",
        billed="120",
        paid="120",
        lines=[Line(code="99213", billed="120", paid="120", date="20261002")],
    )
    outcome = import_file(make_835([visit], check="E2", production_date="20261101"), context)
    assert outcome.recovered == 0
    assert recovered(sessions) == (0, Decimal("0.00"))


def test_masked_payer_claim_numbers_name_no_claim(context: ImportContext) -> None:
    """The de-identified OopFactory files give every claim CLP07 `9999999999999`: that made
    every paid claim "the same claim" as every earlier denial (1 and 21 denials recovered,
    $99.99 and $9,999.99). Masked, the number is left out and the services decide."""
    outcomes = [
        import_file(X12 / name, context)
        for name in (
            "oopfactory_835_WithMultipleInterchanges.txt",
            "oopfactory_835_DeIdent_01.dat",
            "oopfactory_835_DeIdent_02.dat",
        )
    ]
    assert [(o.recovered, o.recovered_amount) for o in outcomes] == [
        (0, Decimal("0")),
        (0, Decimal("0")),
        (12, Decimal("690.00")),  # same masked claim number, date and masked code 99999
    ]
