"""The prevention loop's arithmetic on small exact examples."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from bot.domain.pattern_rates import (
    Counts,
    Trigger,
    Verdict,
    data_words,
    early_warning,
    fix_effect,
    measure_windows,
    poisson_tail,
    quiet_since,
)
from bot.domain.pattern_scope import Scope, cpt_of, refine
from bot.domain.pattern_watch import DenialFact, PayerHistory, warnings


def test_rate_is_per_100_claims_and_exact() -> None:
    assert Counts(3, 200).rate == Fraction(3, 2)
    assert Counts(0, 0).rate is None


@pytest.mark.parametrize(
    ("before", "after", "days", "words"),
    [
        (Counts(10, 100), Counts(0, 100), 28, "stopped"),
        (Counts(10, 100), Counts(3, 100), 28, "fell by 70%"),
        (Counts(10, 100), Counts(2, 50), 28, "fell by 60%"),  # 4 per 100 after 10 per 100
        (Counts(10, 100), Counts(6, 100), 28, "still recurring"),  # fell by 40%: under half
        (Counts(10, 100), Counts(12, 100), 28, "still recurring"),
        (Counts(2, 100), Counts(2, 100), 28, "no change yet: 4 weeks of data"),
        (Counts(10, 100), Counts(0, 25), 7, "no change yet: 1 week of data"),  # too soon to say
        (Counts(10, 100), Counts(1, 100), 13, "no change yet: 1 week of data"),
        (Counts(3, 90), Counts(1, 90), 20, "fell by 67%"),  # 2/3 rounded
        (Counts(0, 90), Counts(3, 90), 20, "still recurring"),  # none before, three since
    ],
)
def test_fix_verdicts(before: Counts, after: Counts, days: int, words: str) -> None:
    assert fix_effect(before, after, days).words == words


def test_stopped_needs_claims_after_the_fix() -> None:
    """No claims from the payer since the fix is no evidence that it stopped."""
    effect = fix_effect(Counts(10, 100), Counts(0, 0), 30)
    assert effect.verdict is Verdict.NO_CHANGE_YET


def test_measure_windows_are_equal_and_capped() -> None:
    assert measure_windows(date(2026, 11, 2), date(2026, 11, 29)) == (
        date(2026, 10, 5),
        date(2026, 11, 2),
        28,
    )
    # an old fix: its latest 12 weeks against the 12 weeks before it took effect
    assert measure_windows(date(2026, 1, 1), date(2026, 12, 31)) == (
        date(2025, 10, 9),
        date(2026, 10, 9),
        84,
    )
    assert measure_windows(date(2026, 11, 2), date(2026, 10, 1))[2] == 0


def test_data_words() -> None:
    assert data_words(0) == "no claims since"
    assert data_words(3) == "under a week of data"
    assert data_words(7) == "1 week of data"
    assert data_words(30) == "4 weeks of data"


def test_poisson_tail_small_values() -> None:
    assert poisson_tail(0, 2.0) == 1.0
    assert poisson_tail(3, 0.0) == 0.0
    # P(X >= 1 | 1) = 1 - e^-1
    assert poisson_tail(1, 1.0) == pytest.approx(0.6321205588)
    # P(X >= 3 | 0.5) = 1 - e^-0.5 (1 + 0.5 + 0.125)
    assert poisson_tail(3, 0.5) == pytest.approx(0.01438768)


def test_new_code_for_the_payer_alerts_at_three() -> None:
    window, baseline = Counts(2, 200), Counts(0, 1300)
    assert early_warning(window, baseline, code_seen=False, history_claims=650) is None
    window = Counts(3, 200)
    assert early_warning(window, baseline, code_seen=False, history_claims=650) is Trigger.NEW


def test_a_first_import_does_not_call_everything_new() -> None:
    assert early_warning(Counts(5, 50), Counts(0, 0), code_seen=False, history_claims=0) is None


def test_steady_background_rate_does_not_alert() -> None:
    """4 per 100 claims for half a year, then a window at 4, 5 or 6 per 100: no alert."""
    baseline = Counts(52, 1300)
    for denials in (8, 10, 12):
        assert (
            early_warning(Counts(denials, 200), baseline, code_seen=True, history_claims=650)
            is None
        )


def test_rate_well_above_baseline_alerts() -> None:
    """0.5 per 100 for half a year (expected 1 in 200 claims), then 8 in 200 claims."""
    baseline = Counts(6, 1200)
    assert early_warning(Counts(4, 200), baseline, code_seen=True, history_claims=600) is None
    window = Counts(8, 200)
    assert early_warning(window, baseline, code_seen=True, history_claims=600) is Trigger.RATE


def test_twice_the_rate_by_chance_is_not_enough() -> None:
    """Double the baseline, but a count a steady rate reaches now and then: no alert."""
    baseline = Counts(26, 1300)  # 2 per 100: expected 4 in 200 claims
    assert early_warning(Counts(8, 200), baseline, code_seen=True, history_claims=650) is None


def test_quiet_period() -> None:
    assert quiet_since(None, date(2026, 6, 1))
    assert quiet_since(date(2026, 3, 1), date(2026, 6, 1))
    assert not quiet_since(date(2026, 5, 1), date(2026, 6, 1))


def test_scope_keys_round_trip_and_read_grouped_card_keys() -> None:
    scope = Scope.parse("p3|authorization|197|1497758544|97110")
    assert scope.key == "p3|authorization|197|1497758544|97110"
    assert scope.base == "p3|authorization|197"
    assert scope.payer_id == 3
    assert Scope.parse("p3|authorization|197|1497758544").cpt == "*"
    for bad in ("", "x3|a|b|c|d", "p3|a|b", "p3||197|-|*", "p3|a|b|c|d|e"):
        with pytest.raises(ValueError, match="not a pattern key"):
            Scope.parse(bad)


def test_scope_covers() -> None:
    scope = Scope.parse("p3|authorization|197|1497758544|*")
    assert scope.covers("p3|authorization|197|1497758544", "97110")
    assert not scope.covers("p3|authorization|197|1111111111", "97110")
    assert not scope.covers("p4|authorization|197|1497758544", "97110")
    assert Scope.parse("p3|authorization|197|*|99213").covers("p3|authorization|197|-", "99213")


def test_refine_names_provider_and_cpt_where_denials_concentrate() -> None:
    base = Scope("p3", "authorization", "197")
    lee = [("1497758544", "97110")] * 4 + [("1111111111", "99213")]
    assert refine(base, lee).key == "p3|authorization|197|1497758544|97110"
    spread = [("a", "1"), ("b", "1"), ("c", "1")]
    assert refine(base, spread) == base
    two_cpts = [("a", "1"), ("a", "2"), ("a", "3")]
    assert refine(base, two_cpts).key == "p3|authorization|197|a|*"
    assert refine(base, [("-", "1")] * 3) == base


def test_cpt_of() -> None:
    assert cpt_of(["97110-GP", "99213"]) == "97110"
    assert cpt_of([]) == "-"


def test_counts_carry_dollars() -> None:
    assert Counts(1, 10, Decimal("120.00")).dollars == Decimal("120.00")


def test_payer_history_counts_a_scope_against_its_provider_claims() -> None:

    lee = "p1|authorization|CO-197|LEE"
    days = [date(2026, 9, 1), date(2026, 9, 8), date(2026, 9, 14), date(2026, 9, 14)]
    facts = tuple(
        DenialFact(day, lee, "99213", Decimal(420), import_id=n + 1, claim=f"C{n}")
        for n, day in enumerate(days)
    )
    claims = {(date(2026, 9, 1), "LEE"): 10, (date(2026, 9, 1), "OTHER"): 30}
    claims |= {(date(2026, 6, 1), "OTHER"): 40}
    history = PayerHistory(facts, claims)
    scope = Scope.parse(f"{lee}|*")
    assert history.counts(scope, date(2026, 9, 1), date(2026, 9, 14)) == Counts(
        4, 10, Decimal(1680)
    )
    assert history.code_seen("CO-197", date(2026, 9, 1), date(2026, 9, 1))
    assert not history.code_seen("CO-197", date(2026, 6, 1), date(2026, 8, 31))
    (found,) = warnings(history, [Scope("p1", "authorization", "CO-197")], date(2026, 9, 14))
    assert (found.trigger, found.scope.key, found.imports) == (
        Trigger.NEW,
        "p1|authorization|CO-197|LEE|99213",
        4,
    )
    assert found.quiet_before
