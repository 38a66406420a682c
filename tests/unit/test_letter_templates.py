"""Golden letters: each template rendered for one fixed claim, compared as the text people read.

After an intended change to a template,
`UPDATE_GOLDENS=1 pytest tests/unit/test_letter_templates.py` rewrites the files under
tests/data/letters; read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.domain.findings import RootCause
from bot.errors import InputError
from bot.letters.compose import LetterTemplates
from bot.letters.facts import Level
from tests.unit.letter_facts import LOST_LEVEL_1, PATIENT, make_facts

GOLDEN = Path(__file__).parents[1] / "data" / "letters"
TEMPLATES = LetterTemplates()

# Every root cause at the first level (a commercial payer), and every frame once.
CASES = {
    **{f"{cause.value}.level1": make_facts(cause=cause) for cause in RootCause},
    "medical_necessity.level2": make_facts(
        cause=RootCause.MEDICAL_NECESSITY,
        level=Level(2, medicare=False),
        prior_appeals=(LOST_LEVEL_1,),
    ),
    "medicare_redetermination": make_facts(
        cause=RootCause.MEDICAL_NECESSITY,
        level=Level(1, medicare=True),
        payer_name="Medicare Part B",
    ),
    "medicare_reconsideration": make_facts(
        cause=RootCause.CODING,
        level=Level(2, medicare=True),
        payer_name="Medicare Part B",
        prior_appeals=(LOST_LEVEL_1,),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_template_renders_the_fixed_claim_as_its_golden_text(case: str) -> None:
    text = TEMPLATES.compose(CASES[case]).text
    golden = GOLDEN / f"{case}.txt"
    if os.environ.get("UPDATE_GOLDENS"):
        golden.write_text(text)
    assert text == golden.read_text()


def test_every_root_cause_has_a_template_of_its_own_or_the_general_one() -> None:
    for cause in RootCause:
        composed = TEMPLATES.compose(make_facts(cause=cause))
        expected = "general.txt" if cause is RootCause.OTHER else f"{cause.value}.txt"
        assert composed.template == expected
        assert composed.source == "built-in"


def test_the_letter_carries_the_claims_facts_and_leaves_the_unknown_as_marked_blanks() -> None:
    text = TEMPLATES.compose(make_facts()).text

    for fact in ("5101Z88001", "26014000000002", "Oct 1, 2026", "99213-25", "$560.00", "$420.00"):
        assert fact in text
    assert "CO-197: Precertification/authorization/notification absent" in text
    assert "N54: Claim information is inconsistent with the authorization" in text
    assert "LEE, DANA, NPI 1497758544" in text
    assert "EXAMPLE CLINIC, NPI 1999999992" in text
    assert "Apr 14, 2027" in text  # the deadline
    assert "97110 (billed as 97112)" in text  # the payer changed the code
    assert "[[date of birth]]" in text  # an 835 never carries it: left for staff
    assert "[[authorization number]]" in text
    assert "[[payer's appeals mailing address]]" in text  # not in the payer rules
    assert "Payer portal | Availity" in text


def test_without_phi_the_patient_is_a_marked_blank() -> None:
    text = TEMPLATES.compose(make_facts().without_phi()).text

    assert PATIENT.name not in text
    assert PATIENT.member_id not in text
    assert "| Patient | [[patient name]] |" in text
    assert "| Member ID | [[member ID]] |" in text


def test_a_medicare_redetermination_carries_what_42_cfr_405_944_requires() -> None:
    text = CASES["medicare_redetermination"]
    composed = TEMPLATES.compose(text).text

    assert "Request for Medicare redetermination" in composed
    assert "Required information (42 CFR 405.944(b))" in composed
    for row in (
        "| Beneficiary name | TESTPATIENT, ALPHA |",
        "| Medicare number | ZZT0001 |",
        "| Items or services | 99213-25, 97110 |",
        "| Dates of service | Oct 1, 2026 |",
        "| Requested by | EXAMPLE CLINIC, the provider, NPI 1999999992 |",
        "| Signature | [[signature of the person requesting, and date]] |",
    ):
        assert row in composed


def test_a_medicare_reconsideration_says_it_is_the_second_level_before_the_qic() -> None:
    composed = TEMPLATES.compose(CASES["medicare_reconsideration"]).text

    assert "This is a second-level Medicare appeal" in composed
    assert "Qualified Independent Contractor" in composed
    assert "(42 CFR 405.964(b))" in composed
    assert (
        "| Redetermination | Medicare Part B, notice dated Nov 20, 2026, reference 88-2231 |"
        in composed
    )
    assert "Copy of the redetermination notice" in composed


def test_medicare_levels_past_the_qic_are_not_letters() -> None:
    with pytest.raises(InputError, match="OMHA"):
        TEMPLATES.compose(make_facts(level=Level(3, medicare=True)))


def test_a_second_level_names_the_decision_it_answers() -> None:
    composed = TEMPLATES.compose(CASES["medical_necessity.level2"]).text

    assert "This is a second-level appeal" in composed
    assert "(reference 88-2231) was decided against us on Nov 20, 2026" in composed
    assert "Appeal level 1 sent Nov 2, 2026 by portal, reference 88-2231: denial upheld" in composed
    assert "Copy of the decision letter on the last appeal" in composed


def test_timely_filing_cites_the_acceptance_date_when_one_is_on_file() -> None:
    from datetime import date

    facts = make_facts(cause=RootCause.TIMELY_FILING, accepted_on=date(2026, 10, 3))
    text = TEMPLATES.compose(facts).text

    assert "accepted on Oct 3, 2026" in text
    assert "[[clearinghouse acceptance date" not in text


def test_database_text_cannot_mark_up_the_letter() -> None:
    facts = make_facts(payer_name="ACME **BOLD** | HEALTH", claim_number="A|B*1")
    composed = TEMPLATES.compose(facts)

    assert "ACME **BOLD** | HEALTH" in composed.text
    heading_runs = [b for b in composed.document.blocks if hasattr(b, "runs")]
    assert not any(run.bold for block in heading_runs for run in block.runs)  # type: ignore[attr-defined]
    claim_rows = next(b for b in composed.document.blocks if hasattr(b, "rows"))
    assert all(len(row) == 2 for row in claim_rows.rows)  # type: ignore[attr-defined]


def test_a_practice_template_replaces_the_built_in_one(tmp_path: Path) -> None:
    (tmp_path / "authorization.txt").write_text(
        "{% extends frame %}{% block argument %}Our own words for {{ claim.claim_number }}. "
        '{{ blank("our blank") }}{% endblock %}\n'
    )
    composed = LetterTemplates(tmp_path).compose(make_facts())

    assert composed.source == "DENIALS_TEMPLATES"
    assert "Our own words for 5101Z88001. [[our blank]]" in composed.text
    assert "Request for reconsideration" in composed.text  # the frame is still the built-in one


def test_a_practice_level_template_is_used_for_that_level_only(tmp_path: Path) -> None:
    (tmp_path / "coding.level2.txt").write_text(
        "{% extends frame %}{% block argument %}Second try.{% endblock %}\n"
    )
    templates = LetterTemplates(tmp_path)

    second = make_facts(cause=RootCause.CODING, level=Level(2, medicare=False))
    assert "Second try." in templates.compose(second).text
    assert "Second try." not in templates.compose(make_facts(cause=RootCause.CODING)).text


def test_a_broken_practice_template_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "coding.txt").write_text("{% extends frame %}\n{% block argument %}\n{{ oops \n")

    with pytest.raises(InputError, match=r"coding.txt \(DENIALS_TEMPLATES\).* line 3"):
        LetterTemplates(tmp_path).compose(make_facts(cause=RootCause.CODING))


def test_a_misspelt_name_is_refused_rather_than_printed_empty(tmp_path: Path) -> None:
    (tmp_path / "coding.txt").write_text(
        "{% extends frame %}\n{% block argument %}\n{{ claim.claim_numbr }}\n{% endblock %}\n"
    )

    with pytest.raises(InputError, match=r"coding.txt .*line 3.*claim_numbr"):
        LetterTemplates(tmp_path).compose(make_facts(cause=RootCause.CODING))


def test_a_practice_enclosures_file_replaces_the_lists_it_names(tmp_path: Path) -> None:
    (tmp_path / "enclosures.yaml").write_text("authorization:\n  - Our auth printout\n")
    composed = LetterTemplates(tmp_path).compose(make_facts())

    assert "Our auth printout" in composed.enclosures
    assert "Copy of the claim as submitted (CMS-1500 or UB-04)" in composed.enclosures  # kept


def test_a_bad_enclosures_file_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "enclosures.yaml").write_text("authorisation:\n  - x\n")

    with pytest.raises(ValueError, match="key 'authorisation' is not known"):
        LetterTemplates(tmp_path).compose(make_facts())
