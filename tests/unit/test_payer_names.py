"""Payer names as people read and match them (bot/domain/payers.py)."""

from __future__ import annotations

import pytest

from bot.domain.payers import UNKNOWN_PAYER, display_name, id_key, name_key


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("UNITEDHEALTHCARE", "UnitedHealthcare"),
        ("BCBS OF TEXAS", "BCBS of Texas"),
        ("MEDICARE PART B", "Medicare Part B"),
        ("MEDICARE PART B MAC", "Medicare Part B MAC"),
        (
            "BLUE CROSS AND BLUE SHIELD OF NORTH CAROLINA",
            "Blue Cross and Blue Shield of North Carolina",
        ),
        ("STATE MEDICAID", "State Medicaid"),
        ("AETNA", "Aetna"),
        ("CIGNA", "Cigna"),
        ("MEDI-CAL", "Medi-Cal"),
        ("AETNA BETTER HEALTH OF PA", "Aetna Better Health of PA"),
        ("NYSDOH", "NYSDOH"),
        ("WSFG - BENEFITS", "WSFG - Benefits"),
        ("TRICARE EAST", "TRICARE East"),
        ("bcbs of tx", "BCBS of TX"),
        ("  AETNA ,  INC. ", "Aetna , Inc."),
        # written in readable case already: kept as written
        ("UnitedHealthcare Community Plan", "UnitedHealthcare Community Plan"),
        ("Blue Cross Blue Shield", "Blue Cross Blue Shield"),
        ("", UNKNOWN_PAYER),
    ],
)
def test_display_names_are_readable_with_acronyms_kept(written: str, shown: str) -> None:
    assert display_name(written) == shown


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("AETNA", "Aetna"),
        ("CIGNA", "Cigna"),
        ("BLUE CROSS BLUE SHIELD", "Blue Cross Blue Shield"),
        ("STATE MEDICAID", "State  Medicaid"),
        ("AETNA, INC.", "Aetna Inc"),
        ("Blue Cross & Blue Shield", "BLUE CROSS / BLUE SHIELD"),
    ],
)
def test_names_match_case_and_punctuation_blind(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


def test_different_payers_keep_different_keys() -> None:
    assert name_key("Blue Cross and Blue Shield") != name_key("Blue Cross Blue Shield")
    assert name_key("Aetna") != name_key("Aetna Better Health")


def test_ids_match_without_spaces_and_case() -> None:
    assert id_key(" sx 107 ") == id_key("SX107") == "SX107"
