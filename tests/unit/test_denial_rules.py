"""Section 1 of denial-facts.md: which adjustments and claims are denials."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.denial_rules import (
    DENIED_BY_STATUS_EXPLANATION,
    AdjustmentClass,
    classify_adjustment,
    classify_claim,
)
from bot.domain.findings import RootCause
from bot.domain.records import Adjustment, ClaimKind, ServiceLine
from tests.unit.builders import make_adjustment, make_claim, make_line

# --- classify_adjustment: rules 1-5 ------------------------------------------------------------


@pytest.mark.parametrize("carc", ["1", "2", "3", "66", "142", "187", "241"])
def test_pr_cost_share_is_patient_responsibility(carc: str) -> None:
    assert (
        classify_adjustment(make_adjustment("PR", carc)) is AdjustmentClass.PATIENT_RESPONSIBILITY
    )


def test_pr45_out_of_network_balance_is_patient_responsibility() -> None:
    assert (
        classify_adjustment(make_adjustment("PR", "45")) is AdjustmentClass.PATIENT_RESPONSIBILITY
    )


@pytest.mark.parametrize("group", ["CO", "OA", "PI"])
@pytest.mark.parametrize("carc", ["45", "253", "59", "24", "94", "131", "144", "42", "A2"])
def test_co45_is_contractual_not_a_denial(group: str, carc: str) -> None:
    assert classify_adjustment(make_adjustment(group, carc)) is AdjustmentClass.CONTRACTUAL


@pytest.mark.parametrize("group", ["CO", "OA", "PI", "PR"])
def test_carc_23_prior_payer_impact_is_informational_in_any_group(group: str) -> None:
    assert classify_adjustment(make_adjustment(group, "23")) is AdjustmentClass.INFORMATIONAL


@pytest.mark.parametrize("carc", ["133", "B11"])
def test_pended_and_forwarded_claims_are_informational(carc: str) -> None:
    assert classify_adjustment(make_adjustment("CO", carc)) is AdjustmentClass.INFORMATIONAL


@pytest.mark.parametrize("carc", ["45", "31", "1"])
def test_group_cr_is_a_reversal(carc: str) -> None:
    assert classify_adjustment(make_adjustment("CR", carc)) is AdjustmentClass.REVERSAL


@pytest.mark.parametrize("carc", ["29", "31", "32", "96", "204", "42"])
def test_pr_non_cost_share_is_a_patient_liable_denial(carc: str) -> None:
    assert classify_adjustment(make_adjustment("PR", carc)) is AdjustmentClass.DENIAL
    finding = classify_claim(make_claim([make_line(cas=[("PR", carc, "100")])]))
    assert finding is not None
    assert finding.patient_liable


def test_cost_share_carc_outside_pr_is_a_denial() -> None:
    assert classify_adjustment(make_adjustment("CO", "1")) is AdjustmentClass.DENIAL


@pytest.mark.parametrize(
    ("carc", "expected"),
    [("45", AdjustmentClass.CONTRACTUAL), ("197", AdjustmentClass.DENIAL)],
)
def test_bare_carc_from_a_csv_export_is_read_as_co(carc: str, expected: AdjustmentClass) -> None:
    assert classify_adjustment(make_adjustment("", carc)) is expected


def test_unknown_group_and_carc_is_a_denial() -> None:
    assert classify_adjustment(make_adjustment("XX", "ZZ9")) is AdjustmentClass.DENIAL


def test_codes_are_read_case_and_space_insensitively() -> None:
    assert (
        classify_adjustment(make_adjustment(" pr ", " 2 "))
        is AdjustmentClass.PATIENT_RESPONSIBILITY
    )
    assert classify_adjustment(make_adjustment("co", "a2")) is AdjustmentClass.CONTRACTUAL


@given(group=st.text(max_size=4), carc=st.text(max_size=5), amount=st.decimals(allow_nan=False))
def test_classify_adjustment_is_total(group: str, carc: str, amount: Decimal) -> None:
    assert classify_adjustment(Adjustment(group, carc, amount)) in set(AdjustmentClass)


# --- classify_claim: claims and lines ----------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        ClaimKind.REVERSAL,
        ClaimKind.PREDETERMINATION,
        ClaimKind.FORWARDED,
        ClaimKind.REJECTION,
        ClaimKind.PENDING,
    ],
)
def test_only_adjudicated_claims_are_judged(kind: ClaimKind) -> None:
    claim = make_claim([make_line(cas=[("CO", "197", "100")])], kind=kind, status="4")
    assert classify_claim(claim) is None


def test_paid_claim_with_contractual_and_cost_share_is_not_a_denial() -> None:
    line = make_line(billed="150", cas=[("CO", "45", "58"), ("PR", "3", "20")])
    assert classify_claim(make_claim([line])) is None


def test_zero_paid_claim_with_status_1_is_denied_by_its_cas() -> None:
    claim = make_claim([make_line(cas=[("CO", "197", "100")], rarcs=["N54"])], status="1")
    finding = classify_claim(claim)
    assert finding is not None
    assert finding.denied_amount == Decimal("100")
    assert finding.category is RootCause.AUTHORIZATION
    assert not finding.partial
    assert not finding.whole_claim


def test_line_is_denied_when_unpaid_with_a_denial_adjustment() -> None:
    paid = make_line("99213", billed="100", cas=[("CO", "45", "28")])
    denied = make_line("97110", billed="60", cas=[("CO", "50", "60")], rarcs=["N115"])
    finding = classify_claim(make_claim([paid, denied]))
    assert finding is not None
    assert finding.cpts == ("97110",)
    assert finding.denied_amount == Decimal("60")
    assert finding.partial  # something was paid on the claim
    assert finding.category is RootCause.MEDICAL_NECESSITY


def test_line_is_partially_denied_when_paid_with_a_denial_adjustment() -> None:
    line = make_line("97110", billed="200", cas=[("CO", "45", "40"), ("CO", "151", "60")])
    finding = classify_claim(make_claim([line]))
    assert finding is not None
    assert line.paid == Decimal("100")
    assert finding.denied_amount == Decimal("60")
    assert finding.partial
    assert finding.cpts == ("97110",)


def test_clp02_4_is_a_whole_claim_denial() -> None:
    lines = [
        make_line("99213", cas=[("PR", "31", "100")]),
        make_line("36415", billed="20", cas=[("PR", "31", "20")]),
    ]
    finding = classify_claim(make_claim(lines, status="4"))
    assert finding is not None
    assert finding.whole_claim
    assert finding.denied_amount == Decimal("120")
    assert finding.category is RootCause.ELIGIBILITY
    assert finding.cpts == ("99213", "36415")


def test_clp02_4_without_denial_adjustments_is_billed_minus_paid_eligibility() -> None:
    claim = make_claim(status="4", billed="250", paid="0")
    finding = classify_claim(claim)
    assert finding is not None
    assert finding.denied_amount == Decimal("250")
    assert finding.category is RootCause.ELIGIBILITY
    assert finding.reasons == ()
    assert "status 4" in finding.explanation


def test_claim_without_lines_is_judged_on_claim_level_cas() -> None:
    claim = make_claim(cas=[("CO", "45", "300"), ("CO", "29", "700")], billed="1000", paid="0")
    finding = classify_claim(claim)
    assert finding is not None
    assert finding.denied_amount == Decimal("700")
    assert finding.category is RootCause.TIMELY_FILING
    assert finding.whole_claim
    assert finding.reasons[0].procedure is None


def test_claim_level_denial_also_counts_on_a_claim_with_lines() -> None:
    lines = [make_line("99213", cas=[("CO", "45", "20")]), make_line("97110")]
    claim = make_claim(lines, cas=[("OA", "18", "80")])
    finding = classify_claim(claim)
    assert finding is not None
    assert finding.denied_amount == Decimal("80")
    assert finding.whole_claim
    assert finding.category is RootCause.DUPLICATE
    assert finding.cpts == ("99213", "97110")


def test_denied_by_status_claim_is_billed_minus_paid_with_category_other() -> None:
    claim = make_claim(billed="150", paid="0", denied_by_status=True)
    finding = classify_claim(claim)
    assert finding is not None
    assert finding.denied_amount == Decimal("150")
    assert finding.category is RootCause.OTHER
    assert finding.explanation == DENIED_BY_STATUS_EXPLANATION


def test_denied_amount_is_the_sum_of_denial_adjustments_only() -> None:
    line = make_line(billed="300", cas=[("CO", "45", "50"), ("PR", "1", "30"), ("CO", "97", "220")])
    finding = classify_claim(make_claim([line]))
    assert finding is not None
    assert finding.denied_amount == Decimal("220")
    assert [r.code for r in finding.reasons] == ["CO-97"]


def test_negative_adjustments_are_never_netted_into_denials() -> None:
    # lfh_cob-contractural-adjustment.835: OA-23 516.00 and OA-94 -9.00 on a secondary claim.
    cob = make_line("55669", billed="541", paid="34", cas=[("OA", "23", "516"), ("OA", "94", "-9")])
    assert classify_claim(make_claim([cob], status="2")) is None
    line = make_line(billed="100", paid="0", cas=[("CO", "197", "150"), ("CO", "16", "-50")])
    finding = classify_claim(make_claim([line]))
    assert finding is not None
    assert finding.denied_amount == Decimal("150")


def test_category_is_that_of_the_largest_denied_reason() -> None:
    small = make_line("99213", cas=[("CO", "197", "40")], billed="40")
    large = make_line("97110", cas=[("CO", "50", "90")], billed="90")
    finding = classify_claim(make_claim([small, large]))
    assert finding is not None
    assert finding.category is RootCause.MEDICAL_NECESSITY
    assert "CO-50" in finding.explanation


def test_category_ties_go_to_the_first_reason() -> None:
    line = make_line(billed="100", cas=[("CO", "197", "50"), ("CO", "50", "50")])
    finding = classify_claim(make_claim([line]))
    assert finding is not None
    assert finding.category is RootCause.AUTHORIZATION


def test_line_cas_takes_line_remarks_and_claim_cas_takes_claim_remarks() -> None:
    line = make_line(cas=[("CO", "16", "100")], rarcs=["M127"])
    claim = make_claim([line], cas=[("CO", "16", "50")], remarks=["N290"], billed="150")
    finding = classify_claim(claim)
    assert finding is not None
    line_reason, claim_reason = finding.reasons
    assert (line_reason.rarcs, line_reason.category) == (("M127",), RootCause.DOCUMENTATION)
    assert (claim_reason.rarcs, claim_reason.category) == (("N290",), RootCause.CLAIM_DATA)


def test_line_without_remarks_inherits_the_claim_remarks() -> None:
    claim = make_claim([make_line(cas=[("CO", "16", "100")])], remarks=["M127"])
    finding = classify_claim(claim)
    assert finding is not None
    assert finding.reasons[0].rarcs == ("M127",)
    assert finding.category is RootCause.DOCUMENTATION


def test_codes_are_listed_once_in_order_of_appearance() -> None:
    lines = [
        make_line("99213", modifiers=["25"], cas=[("CO", "197", "100")], rarcs=["N54", "N1"]),
        make_line("99213", modifiers=["25"], cas=[("CO", "197", "100")], rarcs=["N54"]),
        make_line("97110", modifiers=["GP", "59"], cas=[("CO", "4", "100")], rarcs=["N519"]),
    ]
    finding = classify_claim(make_claim(lines))
    assert finding is not None
    assert finding.cpts == ("99213-25", "97110-GP-59")
    assert finding.carcs == ("CO-197", "CO-4")
    assert finding.rarcs == ("N54", "N1", "N519")


def test_explanation_is_one_readable_line_with_the_code() -> None:
    finding = classify_claim(make_claim([make_line(cas=[("CO", "197", "100")])]))
    assert finding is not None
    assert finding.explanation == (
        "Authorization absent (CO-197): precertification or authorization was not on file "
        "for this service"
    )


def test_bare_carc_keeps_the_code_as_written() -> None:
    finding = classify_claim(make_claim([make_line(cas=[("", "197", "100")])]))
    assert finding is not None
    assert finding.carcs == ("197",)
    assert finding.category is RootCause.AUTHORIZATION


def test_unknown_codes_become_other_not_errors() -> None:
    finding = classify_claim(make_claim([make_line(cas=[("XX", "ZZ9", "100")])]))
    assert finding is not None
    assert finding.category is RootCause.OTHER
    assert finding.explanation.startswith("Unrecognised reason code XX-ZZ9")


# --- no-appeal flags ----------------------------------------------------------------------------


def test_ma130_flags_no_appeal() -> None:
    claim = make_claim([make_line(cas=[("CO", "16", "100")])], remarks=["MA130"])
    finding = classify_claim(claim, medicare=True)
    assert finding is not None
    assert finding.no_appeal
    assert finding.no_appeal_reason == "MA130"
    assert finding.category is RootCause.CLAIM_DATA


def test_n211_flags_no_appeal() -> None:
    finding = classify_claim(make_claim([make_line(cas=[("CO", "50", "100")], rarcs=["N211"])]))
    assert finding is not None
    assert (finding.no_appeal, finding.no_appeal_reason) == (True, "N211")
    assert finding.category is RootCause.MEDICAL_NECESSITY  # N211 says nothing about the cause


def test_medicare_co29_flags_no_appeal() -> None:
    finding = classify_claim(make_claim([make_line(cas=[("CO", "29", "100")])]), medicare=True)
    assert finding is not None
    assert (finding.no_appeal, finding.no_appeal_reason) == (True, "CO-29")


def test_co29_keeps_appeal_rights_outside_medicare() -> None:
    finding = classify_claim(make_claim([make_line(cas=[("CO", "29", "100")])]), medicare=False)
    assert finding is not None
    assert not finding.no_appeal
    assert finding.category is RootCause.TIMELY_FILING


def test_mixed_no_appeal_and_appealable_lines_keep_the_appeal_clock() -> None:
    lines = [
        make_line("99213", cas=[("CO", "29", "100")]),
        make_line("97110", cas=[("CO", "50", "100")], rarcs=["N115"]),
    ]
    finding = classify_claim(make_claim(lines), medicare=True)
    assert finding is not None
    assert not finding.no_appeal


# --- property -----------------------------------------------------------------------------------

_CARCS = st.sampled_from(["1", "2", "3", "16", "18", "23", "29", "45", "50", "97", "197", "ZZ9"])
_GROUPS = st.sampled_from(["CO", "OA", "PI", "PR", ""])
_CENTS = st.integers(min_value=0, max_value=100_000).map(lambda c: Decimal(c) / 100)


@st.composite
def balanced_lines(draw: st.DrawFn) -> ServiceLine:
    cas = draw(st.lists(st.tuples(_GROUPS, _CARCS, _CENTS), max_size=4))
    paid = draw(_CENTS)
    billed = paid + sum((amount for _, _, amount in cas), Decimal(0))
    return make_line(billed=billed, paid=paid, cas=cas)


@given(
    lines=st.lists(balanced_lines(), max_size=5),
    status=st.sampled_from(["1", "2", "4", "19"]),
)
def test_denied_amount_never_exceeds_billed_on_balanced_claims(
    lines: list[ServiceLine], status: str
) -> None:
    claim = make_claim(lines, status=status)
    finding = classify_claim(claim)
    if finding is not None:
        assert Decimal(0) <= finding.denied_amount <= claim.billed
