"""The Excel sample tests/data/csv/advancedmd_denial_detail.xlsx, written from these rows.

`python -m tests.support.sample_workbook` writes it again; tests/unit/test_csv_samples.py checks
that the committed file holds exactly these cells, so the two cannot drift apart. Synthetic
data only (see tests/data/csv/README.md).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

FILE = Path(__file__).parent.parent / "data" / "csv" / "advancedmd_denial_detail.xlsx"
CRITERIA = [
    ["Denial Detail Report"],
    ["Office", "All offices"],
    ["Date range", "10/01/2026 - 10/31/2026 (check date)"],
    ["Printed", "11/02/2026 08:30 AM"],
]
HEADER = [
    "Claim #",
    "Patient",
    "Acct #",
    "DOS",
    "CPT",
    "Charge Amt",
    "Allowed Amt",
    "Paid Amt",
    "Adj Amt",
    "Adj Reason Codes",
    "Remark Codes",
    "Payer",
    "Check #",
    "Check Date",
    "Rendering Provider",
    "Rendering NPI",
    "Billing NPI",
    "Status",
]


def _day(month: int, day: int) -> datetime:
    return datetime(2026, month, day)  # noqa: DTZ001 - Excel dates carry no time zone


def _row(claim: str, who: str, acct: str, dos: datetime, cpt: str, *rest: object) -> list[object]:
    return [claim, who, acct, dos, cpt, *rest]


NPI_LEE, NPI_PARK, GROUP_NPI = 1234567893, 1999999992, 1999999992
ROWS: list[list[object]] = [
    [
        *_row("AMD-50001", "TESTPATIENT ALPHA", "ZZD4001", _day(10, 1), "99213", 150, 100, 100, 50),
        "CO-45",
        None,
        "Aetna",
        "CHK30011",
        _day(10, 20),
        "Lee, Dana",
        NPI_LEE,
        GROUP_NPI,
        "Paid",
    ],
    [
        *_row("AMD-50002", "TESTPATIENT BRAVO", "ZZD4002", _day(10, 1), "99215", 300, 0, 0, 300),
        "CO-16",
        "M127",
        "Aetna",
        "CHK30011",
        _day(10, 20),
        "Lee, Dana",
        NPI_LEE,
        GROUP_NPI,
        "Denied",
    ],
    [
        *_row("AMD-50003", "TESTPATIENT CHARLIE", "ZZD4003", _day(10, 2), "73721-RT", 1450, 0, 0),
        1450,
        "CO-197",
        "N54",
        "Aetna",
        "CHK30011",
        _day(10, 20),
        "Park, Sam",
        NPI_PARK,
        GROUP_NPI,
        "Denied",
    ],
    [
        *_row("AMD-50004", "TESTPATIENT DELTA", "ZZD4004", _day(10, 2), "99214", 200, 130, 104, 96),
        "CO-45, PR-2",
        None,
        "Cigna",
        "CHK30012",
        _day(10, 21),
        "Park, Sam",
        NPI_PARK,
        GROUP_NPI,
        "Paid",
    ],
    [
        *_row("AMD-50005", "TESTPATIENT ECHO", "ZZD4005", _day(10, 5), "97140", 130, 0, 0, 130),
        "CO-4",
        "N657",
        "Cigna",
        "CHK30012",
        _day(10, 21),
        "Lee, Dana",
        NPI_LEE,
        GROUP_NPI,
        "Denied",
    ],
    [
        *_row("AMD-50006", "TESTPATIENT FOXTROT", "ZZD4006", _day(5, 4), "99213", 150, 0, 0, 150),
        "CO-29",
        None,
        "Cigna",
        "CHK30012",
        _day(10, 21),
        "Lee, Dana",
        NPI_LEE,
        GROUP_NPI,
        "Denied",
    ],
    [
        *_row(
            "AMD-50007", "TESTPATIENT GOLF", "ZZD4007", _day(9, 14), "99214", -150, -90, -90, -60
        ),
        "CO-45",
        None,
        "Aetna",
        "CHK30013",
        _day(10, 27),
        "Park, Sam",
        NPI_PARK,
        GROUP_NPI,
        "Reversal",
    ],
    [
        *_row("AMD-50007", "TESTPATIENT GOLF", "ZZD4007", _day(9, 14), "99214", 150, 0, 0, 150),
        "CO-50",
        "N115",
        "Aetna",
        "CHK30013",
        _day(10, 27),
        "Park, Sam",
        NPI_PARK,
        GROUP_NPI,
        "Denied",
    ],
    [
        *_row("AMD-50009", "TESTPATIENT HOTEL", "ZZD4008", _day(10, 8), "36415", 25, 0, 0, 25),
        "OA-18",
        "N522",
        "Aetna",
        "CHK30013",
        _day(10, 27),
        "Park, Sam",
        NPI_PARK,
        GROUP_NPI,
        "Denied",
    ],
    [
        *_row("AMD-50010", "TESTPATIENT ALPHA", "ZZD4001", _day(10, 9), "99203", 175, 0, 0, 175),
        "CO-27",
        None,
        "Aetna",
        "CHK30013",
        _day(10, 27),
        "Lee, Dana",
        NPI_LEE,
        GROUP_NPI,
        "Denied",
    ],
]
TOTALS: list[object] = ["Total", None, None, None, None, 2580, 140, 114, 2466]


def sheet_rows() -> list[list[object]]:
    """The data sheet as written: two title lines, a blank line, the header, the rows, a
    blank line and the totals."""
    return [
        ["Denial Detail", None, None],
        ["Check date 10/01/2026 - 10/31/2026"],
        [],
        HEADER,
        *ROWS,
        [],
        TOTALS,
    ]


def write(path: Path = FILE) -> None:
    from openpyxl import Workbook

    book = Workbook()
    criteria = book.active
    assert criteria is not None
    criteria.title = "Report Criteria"
    for values in CRITERIA:
        criteria.append(values)
    data = book.create_sheet("Denial Detail")
    for values in sheet_rows():
        data.append(values)
    for row in data.iter_rows(min_row=5):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "mm/dd/yyyy"
            elif isinstance(cell.value, int) and 6 <= cell.column <= 9:
                cell.number_format = "#,##0.00;(#,##0.00)"
    book.properties.creator = "denial-triage tests"
    book.properties.created = datetime(2026, 11, 2, 8, 30)  # noqa: DTZ001 - a fixed stamp
    book.save(path)


if __name__ == "__main__":
    write()
