"""The sample exports of tests/data/csv against every row of their README tables.

The expectations are read from the README itself (sections 1-6 copied unchanged from the
shared samples, 7-13 written for issue 11), so a row added there is asserted here. The
README's rows are per data row; findings are per claim adjudication, so rows that land in one
claim are checked together: the claim's denied amount is the sum of its rows', its category
that of its largest denied row.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from bot.domain.denial_rules import classify_claim
from bot.domain.findings import DenialFinding, RootCause
from bot.domain.payer_rules import is_medicare
from bot.domain.records import ClaimKind, ClaimRecord
from bot.importers.csv_report import CsvReport, read_csv_report
from tests.support import subtotals_workbook
from tests.support.sample_workbook import sheet_rows
from tests.support.subtotals_workbook import SHEET as SUBTOTALS_SHEET

DATA = Path(__file__).parent.parent / "data" / "csv"
README = (DATA / "README.md").read_text(encoding="utf-8")
# Where the header is (title lines first), and how each text file is delimited and encoded.
HEADER_LINE = {
    "tebra_kareo_service_line_payments.csv": 4,
    "waystar_remit_denials.txt": 4,
    "advancedmd_denial_detail.xlsx": 4,
    "claim_detail_grouped_lines.csv": 4,
    "payer_subtotals.xlsx": 4,
    "payer_portal_claim_search.csv": 5,
    "denied_claims_aging.csv": 3,
    "era_adjustment_rows.csv": 2,
}
DELIMITER = {".tsv": "\t", ".txt": "|"}
SEMICOLON = {"eclinicalworks_claim_denials.csv"}
ENCODING = {"eclinicalworks_claim_denials.csv": "cp1252"}
DATA_SHEET = "Denial Detail"
SHEETS = {"payer_subtotals.xlsx": SUBTOTALS_SHEET}
CATEGORIES = {
    "AUTH": RootCause.AUTHORIZATION,
    "ELIG": RootCause.ELIGIBILITY,
    "DOC": RootCause.DOCUMENTATION,
    "CODE": RootCause.CODING,
    "TF": RootCause.TIMELY_FILING,
    "DUP": RootCause.DUPLICATE,
    "COB": RootCause.COORDINATION_OF_BENEFITS,
    "MN": RootCause.MEDICAL_NECESSITY,
    "CRED": RootCause.PROVIDER_ENROLLMENT,
    "NC": RootCause.NON_COVERED,
    "?": RootCause.OTHER,
}
# denial-facts.md section 2: CODE is `claim_data` for CARC 16 with missing/invalid-data RARCs
# (M76, N290 …); the README writes CODE for those rows.
CLAIM_DATA_RARCS = {"M76", "M51", "N56", "N290", "N382", "MA130"}
NOT_DENIED = {"paid", "info"}
DENIED = {"denial", "partial_denial"}


@dataclass(frozen=True)
class Row:
    number: int
    key: str
    codes: str
    kind: str
    category: str
    denied: Decimal
    flags: str


def readme_rows(file_name: str) -> list[Row]:
    heading = re.search(rf"^## \d+\. `{re.escape(file_name)}`", README, re.MULTILINE)
    assert heading is not None, file_name
    section = README[heading.end() :]
    rows = []
    for line in section.split("\n---\n")[0].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[0].isdigit():
            number, key, codes, kind, category, denied, flags = cells
            rows.append(
                Row(
                    int(number),
                    key.split(" / ")[0].strip(),
                    codes,
                    kind,
                    category,
                    Decimal(denied or "0"),
                    flags,
                )
            )
    return rows


def overview(file_name: str) -> tuple[int, int, Decimal]:
    """(data rows, denial rows, denied total) from the README's "Files at a glance" table."""
    line = next(x for x in README.splitlines() if x.startswith(f"| `{file_name}`"))
    cells = [c.strip() for c in line.strip("|").split("|")]
    return int(cells[3].split()[0]), int(cells[4]), Decimal(cells[5])


def data_row_lines(file_name: str) -> list[int]:
    """Line in the file (row in the sheet) of each data row: after the header, neither blank
    nor a totals row."""
    lines = []
    for start, cells in raw_records(file_name):
        values = [c for c in cells if c.strip()]
        if (
            start <= HEADER_LINE.get(file_name, 1)
            or not values
            or start in NOT_DATA.get(file_name, ())
        ):
            continue
        if not any(TOTALS.search(v) for v in values):
            lines.append(start)
    return lines


# A totals row: `Totals`, `Total Denied`, `Aetna Subtotal`, `Grand Total`, `Total Claims: 5`.
TOTALS = re.compile(r"^(grand |sub ?)?totals?\b|\bsub-?totals?$", re.IGNORECASE)
# Lines that are no data rows and say no "total": sums without a label, a page footer.
NOT_DATA = {"claim_detail_grouped_lines.csv": {7, 10, 12, 13}}


def raw_records(file_name: str) -> list[tuple[int, list[str]]]:
    """(line, cells) read with the stdlib (or openpyxl for the workbook), independently of the
    importer."""
    path = DATA / file_name
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        sheet = book[SHEETS.get(file_name, DATA_SHEET)]
        rows = [
            (n, ["" if v is None else str(v) for v in values])
            for n, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        book.close()
        return rows
    delimiter = ";" if file_name in SEMICOLON else DELIMITER.get(path.suffix, ",")
    encoding = ENCODING.get(file_name, "utf-8-sig")
    found = []
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        start = 1
        for cells in reader:
            found.append((start, cells))
            start = reader.line_num + 1
    return found


def import_sample(file_name: str) -> CsvReport:
    with (DATA / file_name).open("rb") as stream:
        return read_csv_report(stream, file_name=file_name)


def finding(claim: ClaimRecord) -> DenialFinding | None:
    return classify_claim(claim, medicare=is_medicare(claim.remittance.payer))


def claim_of(report: CsvReport, row: Row, line: int) -> ClaimRecord | None:
    """The claim a README row went into: same key, the last one starting at or before it."""

    def matches(claim: ClaimRecord) -> bool:
        # DrChrono's README keys rows by line item (kept as the line control number).
        return claim.claim_number == row.key or any(
            ln.line_control == row.key for ln in claim.lines
        )

    found = [c for c in report.claims if matches(c) and (c.source_line or 0) <= line]
    return max(found, key=lambda c: c.source_line or 0, default=None)


SAMPLES = sorted(p.name for p in DATA.iterdir() if p.suffix in (".csv", ".tsv", ".txt", ".xlsx"))
ISSUE_11_SAMPLES = {
    "officeally_era_remit_detail.tsv",
    "athenaone_denials_worklist.csv",
    "advancedmd_denial_detail.xlsx",
    "eclinicalworks_claim_denials.csv",
    "waystar_remit_denials.txt",
    "practicefusion_era_lines.csv",
    "availity_remittance_viewer.csv",
}


# Layouts found while trying exports nobody had sent yet (README sections 14-25).
UNSEEN_LAYOUTS = {
    "denial_summary_with_totals.csv",
    "claims_with_ins_id.csv",
    "denial_worklist_reason_words.csv",
    "account_keyed_denials.csv",
    "claim_detail_grouped_lines.csv",
    "snake_case_claims.tsv",
    "payer_subtotals.xlsx",
    "payer_portal_claim_search.csv",
    "abbreviated_status_claims.csv",
    "posting_contractual_adjustment.csv",
    "denied_claims_aging.csv",
    "era_adjustment_rows.csv",
}


def test_every_sample_has_a_readme_table() -> None:
    assert len(SAMPLES) == 25
    assert set(SAMPLES) >= ISSUE_11_SAMPLES | UNSEEN_LAYOUTS
    for name in SAMPLES:
        assert len(readme_rows(name)) == overview(name)[0], name


@pytest.mark.parametrize("file_name", SAMPLES)
def test_sample_imports_every_data_row(file_name: str) -> None:
    report = import_sample(file_name)
    rows, _, _ = overview(file_name)
    assert report.rejected == []
    assert report.data_rows == rows == len(data_row_lines(file_name))


@pytest.mark.parametrize("file_name", SAMPLES)
def test_sample_denial_totals_match_the_overview(file_name: str) -> None:
    report = import_sample(file_name)
    _, denial_rows, denied_total = overview(file_name)
    findings = [f for f in map(finding, report.claims) if f is not None]
    assert sum((f.denied_amount for f in findings), Decimal(0)) == denied_total
    denied_rows = [r for r in readme_rows(file_name) if r.kind in DENIED and r.denied]
    assert len(denied_rows) == denial_rows


@pytest.mark.parametrize("file_name", SAMPLES)
def test_sample_rows_match_the_readme_per_claim(file_name: str) -> None:
    report = import_sample(file_name)
    lines = data_row_lines(file_name)
    by_claim: dict[int, list[Row]] = defaultdict(list)
    claims: dict[int, ClaimRecord] = {}
    for row in readme_rows(file_name):
        line = lines[row.number - 1]
        claim = claim_of(report, row, line)
        if row.kind == "not_submitted" and claim is None:
            # No claim number at all: skipped with a warning naming the line.
            assert any(re.search(rf"\b{line}\b", w.message) for w in report.warnings)
            continue
        assert claim is not None, f"row {row.number}: no claim"
        by_claim[id(claim)].append(row)
        claims[id(claim)] = claim
    for key, rows in by_claim.items():
        check_claim(claims[key], rows)


def check_claim(claim: ClaimRecord, rows: list[Row]) -> None:
    where = f"rows {[r.number for r in rows]}"
    kinds = {r.kind for r in rows}
    result = finding(claim)
    if kinds & DENIED:
        assert claim.kind is ClaimKind.ADJUDICATED, where
        assert result is not None, where
        assert result.denied_amount == sum((r.denied for r in rows), Decimal(0)), where
        largest = max(rows, key=lambda r: r.denied)
        assert result.category in expected_categories(largest), where
        assert result.patient_liable == any("patient_liable" in r.flags for r in rows), where
        assert result.no_appeal == any("no_appeal" in r.flags for r in rows), where
        if "partial_denial" in kinds:
            assert result.partial, where
    elif kinds <= NOT_DENIED:
        assert (claim.kind, result) == (ClaimKind.ADJUDICATED, None), where
    else:
        expected = {
            "reversal": ClaimKind.REVERSAL,
            "rejection": ClaimKind.REJECTION,
            "pending": ClaimKind.PENDING,
            "not_submitted": ClaimKind.PENDING,
        }
        assert len(kinds) == 1, where
        assert claim.kind is expected[kinds.pop()], where
        assert result is None, where
    for row in rows:
        for other in re.findall(r"same_claim:(\d+)", row.flags):
            assert int(other) in [r.number for r in rows], f"row {row.number} same_claim"


def expected_categories(row: Row) -> set[RootCause]:
    category = CATEGORIES[row.category]
    codes = set(re.findall(r"[A-Z]+\d+", row.codes))
    if category is RootCause.CODING and "16" in row.codes and codes & CLAIM_DATA_RARCS:
        return {RootCause.CODING, RootCause.CLAIM_DATA}
    return {category}


@pytest.mark.parametrize("file_name", SAMPLES)
def test_resolving_rows_are_later_adjudications_of_the_same_claim(file_name: str) -> None:
    report = import_sample(file_name)
    lines = data_row_lines(file_name)
    rows = {r.number: r for r in readme_rows(file_name)}
    for row in rows.values():
        for earlier_number in re.findall(r"resolves:(\d+)", row.flags):
            earlier = rows[int(earlier_number)]
            later_claim = claim_of(report, row, lines[row.number - 1])
            earlier_claim = claim_of(report, earlier, lines[earlier.number - 1])
            assert later_claim is not None
            assert earlier_claim is not None
            assert later_claim is not earlier_claim
            assert later_claim.claim_number == earlier_claim.claim_number
            assert later_claim.remittance.report_date
            assert earlier_claim.remittance.report_date
            assert later_claim.remittance.report_date > earlier_claim.remittance.report_date
            assert finding(earlier_claim) is not None
            assert finding(later_claim) is None


@pytest.mark.parametrize(
    ("file_name", "layout"),
    [
        ("tebra_kareo_service_line_payments.csv", "Tebra/Kareo service-line payments"),
        ("nextgen_era_import_posting.csv", "NextGen ERA import posting"),
        ("collaboratemd_adjustment_reasons.csv", "CollaborateMD adjustment reasons"),
        ("drchrono_line_item_transactions.csv", "DrChrono line-item transactions"),
        ("simplepractice_insurance_claims.csv", "SimplePractice insurance claims"),
        ("generic_denial_export.csv", "generic denial export"),
    ],
)
def test_sample_layout_is_named(file_name: str, layout: str) -> None:
    assert import_sample(file_name).layout == layout


@pytest.mark.parametrize(
    ("file_name", "claim_number", "notice"),
    [
        ("tebra_kareo_service_line_payments.csv", "5102Z88001", "2026-10-16"),
        ("collaboratemd_adjustment_reasons.csv", "40010003", "2026-10-22"),
        ("drchrono_line_item_transactions.csv", "6004", "2026-10-23"),
        ("generic_denial_export.csv", "CLM-G0004", "2026-10-23"),
        ("nextgen_era_import_posting.csv", "26100014", "2026-11-04"),  # ERA file name
        ("simplepractice_insurance_claims.csv", "CH26A0002", None),  # no date in the export
    ],
)
def test_sample_notice_dates(file_name: str, claim_number: str, notice: str | None) -> None:
    claim = next(c for c in import_sample(file_name).claims if c.claim_number == claim_number)
    report_date = claim.remittance.report_date
    assert (report_date.isoformat() if report_date else None) == notice


def test_sample_messages_carry_no_patient_data() -> None:
    for name in SAMPLES:
        report = import_sample(name)
        text = " ".join([w.message for w in report.warnings] + [r.reason for r in report.rejected])
        assert not re.search(r"TESTPATIENT|ZZT|TESTMBI|MCD0", text, re.IGNORECASE)


@pytest.mark.parametrize(
    ("file_name", "layout"),
    [
        ("officeally_era_remit_detail.tsv", "generic denial export (tab-separated)"),
        ("athenaone_denials_worklist.csv", "generic denial export"),
        ("advancedmd_denial_detail.xlsx", "generic denial export (sheet “Denial Detail”)"),
        ("eclinicalworks_claim_denials.csv", "generic denial export (semicolon-separated)"),
        ("waystar_remit_denials.txt", "generic denial export (pipe-separated)"),
    ],
)
def test_new_layouts_name_their_format(file_name: str, layout: str) -> None:
    assert import_sample(file_name).layout == layout


@pytest.mark.parametrize(
    ("file_name", "pairs"),
    [
        (
            "athenaone_denials_worklist.csv",
            ["claim=CLAIMID", "payer=PRIMARYINSURANCE", "reason_text=DENIALREASON"],
        ),
        ("officeally_era_remit_detail.tsv", ["carc=Grp/Rsn", "rarc=Rmk Cd", "payer=Carrier"]),
        ("advancedmd_denial_detail.xlsx", ["carc=Adj Reason Codes", "rendering_npi=Rendering NPI"]),
    ],
)
def test_an_inferred_mapping_is_named(file_name: str, pairs: list[str]) -> None:
    columns = import_sample(file_name).columns
    for pair in pairs:
        assert pair in columns.split(", ")
    assert "Billing NPI" not in columns


def test_a_status_only_denial_keeps_its_text_for_the_card() -> None:
    report = import_sample("athenaone_denials_worklist.csv")
    claim = next(c for c in report.claims if c.claim_number == "7781003")
    result = finding(claim)
    assert result is not None
    assert result.category is RootCause.OTHER
    assert "Patient not eligible on date of service" in result.explanation


def test_the_workbook_holds_what_its_generator_writes() -> None:
    book = openpyxl.load_workbook(DATA / "advancedmd_denial_detail.xlsx", read_only=True)
    assert book.sheetnames == ["Report Criteria", DATA_SHEET]
    written = [
        [v for v in values if v is not None]
        for values in book[DATA_SHEET].iter_rows(values_only=True)
    ]
    book.close()
    expected = [[v for v in values if v is not None] for values in sheet_rows()]
    assert written == expected


def test_the_subtotals_workbook_holds_what_its_generator_writes() -> None:
    book = openpyxl.load_workbook(DATA / "payer_subtotals.xlsx", read_only=True)
    assert book.sheetnames == [SUBTOTALS_SHEET]
    written = [
        [v for v in values if v is not None]
        for values in book[SUBTOTALS_SHEET].iter_rows(values_only=True)
    ]
    book.close()
    expected = [[v for v in values if v is not None] for values in subtotals_workbook.sheet_rows()]
    assert written == expected
