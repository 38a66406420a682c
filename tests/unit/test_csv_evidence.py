"""Each value detector of csv_evidence, and column profiles."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.importers.csv_codes import Code
from bot.importers.csv_evidence import (
    DETECTORS,
    Kind,
    codes_in_text,
    is_bare_carc,
    is_carc_cell,
    is_date,
    is_group_code,
    is_modifier_cell,
    is_money,
    is_name,
    is_npi,
    is_procedure_cell,
    is_rarc_cell,
    is_status,
    is_text,
    profile,
)


@pytest.mark.parametrize(
    "cell", ["CO-45", "CO/45", "CO 45", "CO45", "PR1", "CO-45, PR-2", "CO16;N290", "A1", "OA-B13"]
)
def test_carc_cells_in_every_common_shape(cell: str) -> None:
    assert is_carc_cell(cell)


@pytest.mark.parametrize("cell", ["45", "CO", "Denied", "N290", "CO-45 charges", "12/01/2026"])
def test_not_carc_cells(cell: str) -> None:
    assert not is_carc_cell(cell)


def test_bare_carcs_are_numbers_only() -> None:
    assert is_bare_carc("45")
    assert is_bare_carc("45, 2")
    assert not is_bare_carc("1450")
    assert not is_bare_carc("CO-45")


@pytest.mark.parametrize("cell", ["M127", "N290", "MA130", "MA130, N290", "n54"])
def test_rarc_cells(cell: str) -> None:
    assert is_rarc_cell(cell)


@pytest.mark.parametrize("cell", ["CO-45", "N", "MA", "Missing info"])
def test_not_rarc_cells(cell: str) -> None:
    assert not is_rarc_cell(cell)


@pytest.mark.parametrize(
    "cell", ["$1,180.00", "(12.50)", "-12.50", "150.00", "0.5", "12.50-", "$ 40", "$-12.00"]
)
def test_money(cell: str) -> None:
    assert is_money(cell)


@pytest.mark.parametrize("cell", ["26100011", "10/01/2026", "abc", "1.2.3", "CO-45"])
def test_not_money(cell: str) -> None:
    assert not is_money(cell)


@pytest.mark.parametrize(
    "cell", ["10/01/2026", "10-01-2026", "2026-10-01", "20261001", "10/1/26", "2026-10-01T09:14:03"]
)
def test_dates_in_the_usual_forms(cell: str) -> None:
    assert is_date(cell)


@pytest.mark.parametrize("cell", ["13/45/2026", "150.00", "October", "CO-45"])
def test_not_dates(cell: str) -> None:
    assert not is_date(cell)


def test_npi_needs_ten_digits_and_the_luhn_check() -> None:
    assert is_npi("1234567893")
    assert is_npi("1999999992")
    assert not is_npi("1234567890")  # wrong check digit
    assert not is_npi("123456789")
    assert not is_npi("12345678931")


@pytest.mark.parametrize(
    "cell", ["99213", "J1100", "0001F", "99214-25", "90837, 90785", "97110 GP"]
)
def test_procedure_codes(cell: str) -> None:
    assert is_procedure_cell(cell)


@pytest.mark.parametrize("cell", ["9921", "Office visit", "10/01/2026", "150.00"])
def test_not_procedure_codes(cell: str) -> None:
    assert not is_procedure_cell(cell)


def test_group_codes_and_modifiers() -> None:
    assert is_group_code("co")
    assert not is_group_code("CX")
    assert is_modifier_cell("25")
    assert is_modifier_cell('["59", "GP"]')
    assert not is_modifier_cell("259")


@pytest.mark.parametrize(
    "cell",
    ["Denied", "DENIED", "Paid", "Rejected", "Closed", "Pending", "Denied at AETNA", "ERA Denied"],
)
def test_status_words(cell: str) -> None:
    assert is_status(cell)


def test_names_and_text() -> None:
    assert is_name("BLUE CROSS BLUE SHIELD")
    assert is_name("Dr. Lee")
    assert not is_name("26100011")
    assert is_text("Precertification/authorization absent for this service")
    assert not is_text("CO-45")


@pytest.mark.parametrize(
    ("text", "carcs", "rarcs"),
    [
        ("CO 197 - Precertification/authorization absent", [Code("CO", "197")], []),
        ("Denied: CARC 16 / RARC N290", [Code("", "16")], ["N290"]),
        ("PR-96 non-covered charge, see N130", [Code("PR", "96")], ["N130"]),
        ("reason code 50: not medically necessary", [Code("", "50")], []),
        ("co/45 and oa-23", [Code("CO", "45"), Code("OA", "23")], []),
        ("Filed after 90 days", [], []),
        ("Patient not eligible", [], []),
    ],
)
def test_codes_inside_reason_text(text: str, carcs: list[Code], rarcs: list[str]) -> None:
    found = codes_in_text(text)
    assert (found.carcs, found.rarcs) == (carcs, rarcs)


def test_profile_shares_over_non_blank_cells() -> None:
    found = profile(["CO-45", "", "--", "PR-2", "Denied"])
    assert found.filled == 3
    assert found.share(Kind.CARC) == pytest.approx(2 / 3)
    assert found.sample == "CO-45"
    assert profile(["", " "]).filled == 0


@given(st.text(max_size=120))
def test_no_detector_raises_on_any_cell(cell: str) -> None:
    for detector in DETECTORS.values():
        assert detector(cell) in (True, False)
    codes_in_text(cell)


@given(st.lists(st.text(max_size=40), max_size=30))
def test_profile_never_raises(cells: list[str]) -> None:
    found = profile(cells)
    assert all(0.0 <= found.share(kind) <= 1.0 for kind in Kind)
