"""Section 2 of denial-facts.md: the CARC/RARC crosswalk and its precedence."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from bot.domain.denial_rules import CONTRACTUAL_CARCS, COST_SHARE_CARCS, INFORMATIONAL_CARCS
from bot.domain.findings import RootCause
from bot.domain.root_causes import (
    CodeFlag,
    CodeKind,
    NonDenialCategory,
    RootCauseTable,
    categorize,
    default_table,
)
from bot.errors import InputError

# Every code named in section 2 (the CARC table and the "RARC overrides and flags" list).
SECTION_2_CARCS = [
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
    "10",
    "11",
    "13",
    "15",
    "16",
    "18",
    "19",
    "20",
    "21",
    "22",
    "23",
    "24",
    "26",
    "27",
    "29",
    "31",
    "32",
    "35",
    "39",
    "42",
    "45",
    "49",
    "50",
    "55",
    "56",
    "58",
    "59",
    "94",
    "96",
    "97",
    "107",
    "109",
    "110",
    "119",
    "125",
    "129",
    "131",
    "133",
    "140",
    "144",
    "146",
    "150",
    "151",
    "167",
    "170",
    "171",
    "177",
    "181",
    "182",
    "183",
    "185",
    "197",
    "198",
    "200",
    "204",
    "208",
    "226",
    "227",
    "234",
    "236",
    "242",
    "243",
    "250",
    "251",
    "252",
    "253",
    "272",
    "286",
    "288",
    "A1",
    "A2",
    "B5",
    "B7",
    "B9",
    "B11",
    "B12",
    "B13",
    "B15",
    "B16",
    "B20",
]
SECTION_2_RARCS = [
    "M127",
    "N206",
    "N221",
    "M76",
    "M51",
    "N56",
    "N519",
    "N290",
    "N382",
    "M15",
    "M80",
    "N20",
    "M75",
    "N479",
    "MA04",
    "N4",
    "N36",
    "N30",
    "N54",
    "M62",
    "N115",
    "N386",
    "M25",
    "M26",
    "N362",
    "N640",
    "N130",
    "N425",
    "N522",
    "M86",
    "N570",
    "N418",
    "N381",
    "N14",
    "MA130",
    "N211",
    "N1",
    "MA01",
    "N220",
    "N517",
    "N142",
    "N264",
    "N265",
    "N657",
    "N95",
]


@pytest.fixture(scope="module")
def table() -> RootCauseTable:
    return default_table()


def test_table_is_read_from_package_data() -> None:
    data = resources.files("bot.domain.data").joinpath("root_causes.csv")
    assert data.is_file()
    assert RootCauseTable.load().carc("197") is not None


@pytest.mark.parametrize("code", SECTION_2_CARCS)
def test_every_carc_of_section_2_has_a_readable_row(table: RootCauseTable, code: str) -> None:
    row = table.carc(code)
    assert row is not None
    assert row.title
    assert row.explanation
    assert row.basis


@pytest.mark.parametrize("code", SECTION_2_RARCS)
def test_every_rarc_of_section_2_has_a_readable_row(table: RootCauseTable, code: str) -> None:
    row = table.rarc(code)
    assert row is not None
    assert row.title
    assert row.explanation


def test_non_denial_categories_agree_with_the_adjustment_rules(table: RootCauseTable) -> None:
    carcs = [row for row in table.rows if row.kind is CodeKind.CARC]
    by_category = {
        category: {row.code for row in carcs if row.category is category}
        for category in NonDenialCategory
    }
    assert by_category[NonDenialCategory.PATIENT_RESPONSIBILITY] == COST_SHARE_CARCS
    assert by_category[NonDenialCategory.CONTRACTUAL] == CONTRACTUAL_CARCS
    assert by_category[NonDenialCategory.INFORMATIONAL] == INFORMATIONAL_CARCS


def test_carc_row_decides_when_there_is_no_rarc(table: RootCauseTable) -> None:
    assert table.categorize("CO", "197", [])[0] is RootCause.AUTHORIZATION
    assert table.categorize("CO", "18", [])[0] is RootCause.DUPLICATE
    assert table.categorize("CO", "B7", [])[0] is RootCause.PROVIDER_ENROLLMENT


@pytest.mark.parametrize(
    ("rarc", "expected"),
    [
        ("M127", RootCause.DOCUMENTATION),
        ("N206", RootCause.DOCUMENTATION),
        ("N290", RootCause.CLAIM_DATA),
        ("M76", RootCause.CLAIM_DATA),
        ("N142", RootCause.CLAIM_DATA),
        ("MA130", RootCause.CLAIM_DATA),
        ("N519", RootCause.CODING),
        ("N479", RootCause.COORDINATION_OF_BENEFITS),
        ("MA04", RootCause.COORDINATION_OF_BENEFITS),
        ("N570", RootCause.PROVIDER_ENROLLMENT),
    ],
)
def test_generic_carc_16_is_decided_by_rarc(
    table: RootCauseTable, rarc: str, expected: RootCause
) -> None:
    assert table.categorize("CO", "16", [rarc])[0] is expected


def test_generic_carc_16_without_a_rarc_is_claim_data(table: RootCauseTable) -> None:
    category, explanation = table.categorize("CO", "16", [])
    assert category is RootCause.CLAIM_DATA
    assert explanation.startswith("Claim lacks information (CO-16):")


@pytest.mark.parametrize(
    ("rarc", "expected"),
    [
        ("N425", RootCause.NON_COVERED),
        ("N130", RootCause.NON_COVERED),
        ("N115", RootCause.MEDICAL_NECESSITY),
        ("N386", RootCause.MEDICAL_NECESSITY),
        ("N30", RootCause.ELIGIBILITY),
        ("N20", RootCause.CODING),
        ("M80", RootCause.CODING),
    ],
)
def test_generic_carc_96_is_decided_by_rarc(
    table: RootCauseTable, rarc: str, expected: RootCause
) -> None:
    assert table.categorize("CO", "96", [rarc])[0] is expected


@pytest.mark.parametrize("carc", ["125", "252", "272", "A1", "B5"])
def test_other_generic_carcs_are_decided_by_rarc(table: RootCauseTable, carc: str) -> None:
    assert table.categorize("CO", carc, ["N115"])[0] is RootCause.MEDICAL_NECESSITY


def test_a1_without_a_deciding_rarc_is_other(table: RootCauseTable) -> None:
    assert table.categorize("CO", "A1", ["N1"])[0] is RootCause.OTHER


@pytest.mark.parametrize(
    ("carc", "rarc", "expected"),
    [
        ("11", "N115", RootCause.MEDICAL_NECESSITY),
        ("167", "N386", RootCause.MEDICAL_NECESSITY),
        ("183", "N264", RootCause.CLAIM_DATA),
        ("8", "N570", RootCause.PROVIDER_ENROLLMENT),
        ("227", "N479", RootCause.COORDINATION_OF_BENEFITS),
        ("109", "N418", RootCause.ELIGIBILITY),
    ],
)
def test_listed_carc_rarc_pair_overrides_the_carc(
    table: RootCauseTable, carc: str, rarc: str, expected: RootCause
) -> None:
    assert table.categorize("CO", carc, [rarc])[0] is expected


def test_rarc_does_not_override_a_specific_carc_without_a_listed_pair(
    table: RootCauseTable,
) -> None:
    assert table.categorize("CO", "197", ["M127"])[0] is RootCause.AUTHORIZATION
    assert table.categorize("CO", "11", ["M127"])[0] is RootCause.CODING


def test_first_deciding_rarc_wins_and_informational_ones_are_skipped(
    table: RootCauseTable,
) -> None:
    assert table.categorize("CO", "16", ["N1", "M127", "N290"])[0] is RootCause.DOCUMENTATION
    # N14 (paid per contract) is not a root cause: CO-16 keeps its default.
    assert table.categorize("CO", "16", ["N14"])[0] is RootCause.CLAIM_DATA


def test_non_denial_carc_sent_as_a_denial_defers_to_the_rarc(table: RootCauseTable) -> None:
    # tigershark 5010 example 1: a zero-paid dental line with PR-42 and LQ*HE*N30.
    assert table.categorize("PR", "42", ["N30"])[0] is RootCause.ELIGIBILITY
    category, explanation = table.categorize("CO", "1", [])
    assert category is RootCause.OTHER
    assert "(CO-1)" in explanation


def test_unknown_codes_are_other_with_an_explanation(table: RootCauseTable) -> None:
    assert table.categorize("CO", "ZZ9", ["N54"]) == (
        RootCause.OTHER,
        "Unrecognised reason code CO-ZZ9: check the payer's remittance advice",
    )
    assert table.categorize("", "", [])[0] is RootCause.OTHER


def test_explanation_names_carc_and_deciding_rarc(table: RootCauseTable) -> None:
    _, explanation = table.categorize("CO", "16", ["M127"])
    assert explanation == (
        "Claim lacks information (CO-16, M127): the patient's medical record for this service "
        "was missing; send it"
    )


def test_codes_are_read_case_and_space_insensitively(table: RootCauseTable) -> None:
    assert table.categorize("co", " 16 ", [" m127 "])[0] is RootCause.DOCUMENTATION
    assert table.categorize("CO", "b7", [])[0] is RootCause.PROVIDER_ENROLLMENT


def test_module_categorize_uses_the_built_in_table() -> None:
    assert categorize("CO", "197", ["N54"])[0] is RootCause.AUTHORIZATION


def test_rarc_flags(table: RootCauseTable) -> None:
    assert table.rarc_flag("MA130") is CodeFlag.NO_APPEAL
    assert table.rarc_flag("N211") is CodeFlag.NO_APPEAL
    assert table.rarc_flag("N517") is CodeFlag.RESUBMIT
    assert table.rarc_flag("N54") is None
    assert table.rarc_flag("ZZZ") is None


def test_describe_rarc(table: RootCauseTable) -> None:
    assert table.describe_rarc("N54") == (
        "The claim does not match the services that were authorized"
    )
    assert table.describe_rarc("N999") == "remark N999: see the payer's remittance advice"


# --- override files -----------------------------------------------------------------------------


def test_override_file_replaces_and_adds_rows(tmp_path: Path) -> None:
    override = tmp_path / "codes.csv"
    override.write_text(
        "kind,code,category,title,explanation\n"
        "carc,197,documentation,Auth letter missing,our payer wants the letter attached\n"
        "rarc,N999,duplicate,Local duplicate,a made-up remark\n"
        "pair,50+N999,eligibility,,\n",
        encoding="utf-8",
    )
    table = RootCauseTable.load(override)
    assert table.categorize("CO", "197", []) == (
        RootCause.DOCUMENTATION,
        "Auth letter missing (CO-197): our payer wants the letter attached",
    )
    assert table.categorize("CO", "16", ["N999"])[0] is RootCause.DUPLICATE
    assert table.categorize("CO", "50", ["N999"])[0] is RootCause.ELIGIBILITY
    assert table.categorize("CO", "18", [])[0] is RootCause.DUPLICATE  # untouched rows stay


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kind,code\ncarc,1\n", "missing column(s) category"),
        ("kind,code,category,colour\ncarc,1,coding,red\n", "unknown column(s) colour"),
        ("kind,code,category\ncarc,197,authorisation\n", "line 2: field 'category'"),
        ("kind,code,category\nrule,197,coding\n", "line 2: field 'kind'"),
        ("kind,code,category\ncarc,,coding\n", "line 2: field 'code' is empty"),
        ("kind,code,category\n\npair,16,coding\n", "line 3: field 'code' of a pair"),
        ("kind,code,category,flag\nrarc,N1,coding,urgent\n", "line 2: field 'flag'"),
    ],
)
def test_bad_override_names_file_line_and_field(tmp_path: Path, content: str, message: str) -> None:
    override = tmp_path / "bad.csv"
    override.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv") as error:
        RootCauseTable.load(override)
    assert message in str(error.value)


def test_missing_override_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file"):
        RootCauseTable.load(tmp_path / "nope.csv")


def test_override_may_have_comment_rows_and_a_bom(tmp_path: Path) -> None:
    override = tmp_path / "codes.csv"
    override.write_text(
        "\ufeffkind,code,category\n# our changes,,\ncarc,204,coding\n", encoding="utf-8"
    )
    assert RootCauseTable.load(override).categorize("PI", "204", [])[0] is RootCause.CODING
