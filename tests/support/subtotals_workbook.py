"""The Excel sample tests/data/csv/payer_subtotals.xlsx, written from these rows.

`python -m tests.support.subtotals_workbook` writes it again; tests/unit/test_csv_samples.py
checks that the committed file holds exactly these cells. Synthetic data only (see
tests/data/csv/README.md, section 20).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

FILE = Path(__file__).parent.parent / "data" / "csv" / "payer_subtotals.xlsx"
SHEET = "Denials by Payer"


def _day(month: int, day: int) -> datetime:
    return datetime(2026, month, day)  # noqa: DTZ001 - Excel dates carry no time zone


AETNA, BCBS = "Aetna", "Blue Cross Blue Shield"
PRECERT, UNITS = "CO-197 Precert absent", "CO-151 - Units not supported"  # codes, then words


def claim(
    number: str,
    who: str,
    payer: str,
    dos: int,
    cpt: str,
    units: int,
    charge: int,
    paid: int,
    check: int,
) -> list[object]:
    """A claim row up to its check date (October days)."""
    return [number, who, payer, _day(10, dos), cpt, units, charge, paid, _day(10, check)]


def sheet_rows() -> list[list[object]]:
    """A title, a blank line, a row grouping the columns, the header, then each payer's claims
    with a subtotal under them (its label in the payer column) and a grand total."""
    return [
        ["Denials by Payer, October 2026"],
        [],
        ["Claim", None, None, "Service", None, None, "Payment", None, None, "Denial"],
        [
            "Encounter #",
            "Patient Name",
            "Insurance",
            "From Date",
            "Proc",
            "Units",
            "Charge",
            "Ins Paid",
            "Check Date",
            "Reason",
            "Denied $",
        ],
        [*claim("EN-401", "TESTPATIENT ALPHA", AETNA, 1, "99213", 1, 150, 0, 20), PRECERT, 150],
        [*claim("EN-402", "TESTPATIENT BRAVO", AETNA, 2, "99214", 1, 210, 170, 20), "CO-45", 40],
        [None, None, f"{AETNA} Subtotal", None, None, None, 360, 170, None, None, 190],
        [*claim("EN-403", "TESTPATIENT CHARLIE", BCBS, 3, "97110", 4, 240, 0, 22), UNITS, 240],
        [*claim("EN-404", "TESTPATIENT DELTA", BCBS, 6, "99203", 1, 175, 0, 22), "PR-27", 175],
        [None, None, f"{BCBS} Subtotal", None, None, None, 415, 0, None, None, 415],
        ["Grand Total", None, None, None, None, None, 775, 170, None, None, 605],
    ]


def write(path: Path = FILE) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    for values in sheet_rows():
        sheet.append(values)
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "mm/dd/yyyy"
            elif isinstance(cell.value, int) and cell.column in (7, 8, 11):
                cell.number_format = '"$"#,##0.00'
    book.properties.creator = "denial-triage tests"
    book.properties.created = datetime(2026, 11, 2, 8, 30)  # noqa: DTZ001 - a fixed stamp
    book.save(path)


if __name__ == "__main__":
    write()
