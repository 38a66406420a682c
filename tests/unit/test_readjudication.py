"""Re-adjudication: reversals, supersessions and recoveries capped at what was paid."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.readjudication import (
    Adjudication,
    ClaimHistory,
    Recover,
    Reverse,
    Services,
    Supersede,
)
from bot.domain.records import ClaimKind

DAY = date(2026, 10, 1)
OFFICE_VISIT = Services(frozenset({DAY}), frozenset({"99213"}))


def adjudication(
    claim_id: int,
    *,
    remittance: int,
    paid: str = "0",
    denied: str = "0",
    kind: ClaimKind = ClaimKind.ADJUDICATED,
    pcn: str | None = None,
    on: date = DAY,
    services: Services = OFFICE_VISIT,
) -> Adjudication:
    return Adjudication(
        claim_id=claim_id,
        remittance_id=remittance,
        kind=kind,
        paid=Decimal(paid),
        payer_claim_number=pcn,
        adjudicated_on=on,
        services=services,
        denial_id=claim_id if Decimal(denied) > 0 else None,
        denied=Decimal(denied),
    )


def test_a_later_payment_recovers_the_denial_with_what_it_paid() -> None:
    history = ClaimHistory([adjudication(1, remittance=1, denied="137.48")])
    assert history.add(adjudication(2, remittance=2, paid="100", on=DAY + timedelta(30))) == [
        Recover(1, Decimal("100"))
    ]


def test_denied_resubmitted_denied_as_duplicate_then_paid_is_credited_once() -> None:
    history = ClaimHistory()
    history.add(adjudication(1, remittance=1, denied="200"))  # CO-16
    history.add(adjudication(2, remittance=2, denied="200"))  # the resubmission: CO-18
    effects = history.add(adjudication(3, remittance=3, paid="200"))
    assert effects == [Recover(1, Decimal("200"))]  # was: both denials recovered, $400


def test_one_payment_spreads_over_the_denials_it_answers_oldest_first() -> None:
    """The issue's file shape: many claims share CLP01, each denied $137.48, then one paid."""
    history = ClaimHistory(
        adjudication(i, remittance=1, denied="137.48", pcn=f"ICN{i}") for i in range(1, 3617)
    )
    effects = history.add(adjudication(9999, remittance=2, paid="1481.99", pcn="ICN9999"))
    recovered = [e.amount for e in effects if isinstance(e, Recover)]
    assert sum(recovered) == Decimal("1481.99")  # was 3,616 x 137.48 = 497,127.68
    assert recovered == [Decimal("137.48")] * 10 + [Decimal("107.19")]


def test_a_payment_in_the_same_transaction_set_recovers_nothing() -> None:
    history = ClaimHistory([adjudication(1, remittance=1, denied="34")])
    assert history.add(adjudication(2, remittance=1, paid="34")) == []


def test_a_payment_dated_before_the_denial_recovers_nothing() -> None:
    history = ClaimHistory([adjudication(1, remittance=2, denied="34", on=DAY)])
    assert history.add(adjudication(2, remittance=3, paid="34", on=DAY - timedelta(9))) == []


def test_another_claim_on_the_same_account_number_is_not_the_same_claim() -> None:
    other = Services(frozenset({DAY + timedelta(5)}), frozenset({"73721"}))
    history = ClaimHistory([adjudication(1, remittance=1, denied="90")])
    assert history.add(adjudication(2, remittance=2, paid="90", services=other)) == []
    # the same payer claim number makes it the same claim whatever its lines say
    named = ClaimHistory([adjudication(1, remittance=1, denied="90", pcn="ICN7")])
    assert named.add(adjudication(2, remittance=2, paid="90", pcn="ICN7", services=other)) == [
        Recover(1, Decimal("90"))
    ]


def test_a_masked_payer_claim_number_names_no_claim() -> None:
    other = Services(frozenset({DAY + timedelta(5)}), frozenset({"73721"}))
    history = ClaimHistory([adjudication(1, remittance=1, denied="90", pcn="9999999999999")])
    assert (
        history.add(adjudication(2, remittance=2, paid="90", pcn="9999999999999", services=other))
        == []
    )


def test_a_correction_naming_the_original_in_ref_f8_is_the_same_claim() -> None:
    knee = Services(frozenset({DAY}), frozenset({"27447"}))
    history = ClaimHistory([adjudication(1, remittance=1, denied="900", pcn="ICN1", services=knee)])
    correction = replace(
        adjudication(2, remittance=2, paid="900", pcn="ICN2"), original_reference="ICN1"
    )
    assert history.add(correction) == [Recover(1, Decimal("900"))]


def test_a_claim_without_dates_or_codes_is_compared_on_what_both_carry() -> None:
    bare = Services()
    history = ClaimHistory([adjudication(1, remittance=1, denied="50", services=bare)])
    assert history.add(adjudication(2, remittance=2, paid="50")) == [Recover(1, Decimal("50"))]


def test_a_correction_after_a_reversal_recovers_what_it_adds() -> None:
    history = ClaimHistory([adjudication(1, remittance=1, paid="80", denied="20", pcn="A")])
    reversal = adjudication(2, remittance=2, paid="-80", kind=ClaimKind.REVERSAL, pcn="A")
    assert history.add(reversal) == [Reverse(1, 2)]
    assert history.add(adjudication(3, remittance=2, paid="85", pcn="A")) == [
        Recover(1, Decimal("5"))
    ]


def test_a_denial_after_a_reversal_supersedes_the_earlier_one() -> None:
    history = ClaimHistory([adjudication(1, remittance=1, denied="100", pcn="A")])
    history.add(adjudication(2, remittance=2, kind=ClaimKind.REVERSAL, pcn="A"))
    assert history.add(adjudication(3, remittance=2, denied="100", pcn="A")) == [Supersede(1, 3)]


# -- the property: recovered <= paid, per payment and in total -----------------------------------

Step = tuple[int, bool, int, int, int, int, int, int]


@st.composite
def histories(draw: st.DrawFn) -> list[Adjudication]:
    steps: list[Step] = draw(
        st.lists(
            st.tuples(
                st.integers(0, 2),  # remittances to move on before this one
                st.booleans(),  # a reversal
                st.integers(0, 50_000),  # paid, in cents
                st.integers(0, 50_000),  # denied, in cents
                st.integers(0, 3),  # payer claim number (0: none)
                st.integers(-3, 20),  # days after the previous one (files imported late)
                st.integers(0, 7),  # which services (bits: date a/b, code x)
                st.integers(0, 3),  # the payer claim number its REF*F8 names (0: none)
            ),
            max_size=25,
        )
    )
    found, remittance, day = [], 1, DAY
    for claim_id, (move, reversal, paid, denied, pcn, days, which, f8) in enumerate(steps, 1):
        remittance += move
        day += timedelta(days=days)
        services = Services(
            frozenset(d for bit, d in ((1, DAY), (2, DAY + timedelta(1))) if which & bit),
            frozenset({"99213"} if which & 4 else ()),
        )
        kind = ClaimKind.REVERSAL if reversal else ClaimKind.ADJUDICATED
        found.append(
            Adjudication(
                claim_id=claim_id,
                remittance_id=remittance,
                kind=kind,
                paid=Decimal(-paid if reversal else paid) / 100,
                payer_claim_number=f"ICN{pcn}" if pcn else None,
                original_reference=f"ICN{f8}" if f8 else None,
                adjudicated_on=day,
                services=services,
                denial_id=claim_id if denied and not reversal else None,
                denied=Decimal(denied) / 100 if not reversal else Decimal(0),
            )
        )
    return found


@settings(max_examples=400, deadline=None)
@given(histories())
def test_recovered_never_exceeds_paid_per_payment_and_in_total(
    adjudications: list[Adjudication],
) -> None:
    history = ClaimHistory()
    by_id = {a.claim_id: a for a in adjudications}
    recovered: dict[int, Decimal] = {}
    for new in adjudications:
        effects = history.add(new)
        got = [e for e in effects if isinstance(e, Recover)]
        assert sum((e.amount for e in got), Decimal(0)) <= max(new.paid, Decimal(0))
        for effect in got:
            denial = by_id[effect.denial_id]
            assert effect.denial_id not in recovered  # recovered once
            assert Decimal(0) < effect.amount <= denial.denied
            assert denial.remittance_id != new.remittance_id  # a later remittance only
            assert denial.adjudicated_on <= new.adjudicated_on
            recovered[effect.denial_id] = effect.amount
    paid = sum((a.paid for a in adjudications if a.kind is ClaimKind.ADJUDICATED), Decimal(0))
    assert sum(recovered.values(), Decimal(0)) <= paid
