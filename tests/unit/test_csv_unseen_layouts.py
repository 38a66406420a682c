"""What trying export layouts nobody had sent yet taught the CSV reader: totals rows, payer ids
that look like CPT codes, reasons in words, a patient account as the only key, service lines
printed under their claim, codes followed by words."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks.bad_rows import bad_rows_message
from bot.blocks.column_mapping import FileRef
from bot.domain.records import ClaimKind
from bot.errors import InputError
from bot.importers.csv_codes import read_status, reason_codes
from bot.importers.csv_evidence import is_payer_id, is_procedure_cell
from bot.importers.csv_preamble import payer_above
from bot.importers.csv_reason_words import carc_named
from bot.importers.csv_report import BadRowsError, CsvReport, read_report, read_table
from bot.importers.csv_totals import totals_label, totals_row


def read(*lines: str) -> CsvReport:
    return read_report(read_table("\n".join(lines) + "\n", "report.csv"))


# -- totals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "Total",
        "Totals:",
        "Total Denied",
        "Total for Cigna",
        "Total Claims: 5",
        "Grand Total",
        "Sub-Total",
        "Aetna Subtotal",
        "Payer Total",
        "REPORT TOTALS",
    ],
)
def test_totals_labels(cell: str) -> None:
    assert totals_label(cell)


@pytest.mark.parametrize(
    "cell", ["", "Totally denied by payer after review of the records sent", "Aetna", "CO-45"]
)
def test_not_totals_labels(cell: str) -> None:
    assert not totals_label(cell)


def test_a_claim_row_whose_reason_says_total_is_a_claim_row() -> None:
    assert totals_row(["C1", "Aetna", "Total knee, not covered"], claim_columns=[0]) is None
    assert totals_row(["", "Aetna Subtotal", ""], claim_columns=[0]) == "Aetna Subtotal"
    assert totals_row(["Grand Total", "", "905.00"], claim_columns=[0]) == "Grand Total"


HEADER = "Claim ID,Payer,DOS,CPT,Billed,Paid,CARC,Denial Reason,Adj Amt,Check Date"
DENIED = "C1,Aetna,10/01/2026,99213,150.00,0.00,CO-197,Precert absent,150.00,10/20/2026"


def test_totals_rows_are_skipped_and_named_not_refused() -> None:
    """`,,,,,,,Total Denied,150.00,` used to refuse the report: "the claim number is empty"."""
    report = read(
        HEADER,
        DENIED,
        ",,,,,,,Total Denied,150.00,",
        ",Aetna Subtotal,,,150.00,0.00,,,150.00,",
        "Grand Total,,,,150.00,0.00,,,150.00,",
        ",,,,150.00,0.00,,,150.00,",
    )
    assert [c.claim_number for c in report.claims] == ["C1"]
    assert report.data_rows == 1
    assert report.warnings[-1].message == (
        "lines 3, 4, 5, 6: totals and subtotals, not claims; skipped"
    )


def test_a_claim_row_with_an_empty_claim_number_still_refuses_the_report() -> None:
    with pytest.raises(InputError, match="line 3: the claim number is empty"):
        read(HEADER, DENIED, ",Aetna,10/02/2026,,90.00,0.00,CO-16,,90.00,10/20/2026")


# -- payer ids are not procedure codes -------------------------------------------------------------


def test_an_ins_id_of_payer_ids_is_the_payer_id_not_the_procedure() -> None:
    report = read(
        "Claim #,Ins ID,Insurance,DOS,Charges,Payments,Denial Code",
        "IN-1,60054,Aetna,10/01/2026,150.00,0.00,CO-197",
        "IN-2,87726,UnitedHealthcare,10/02/2026,200.00,0.00,CO-16",
        "IN-3,00431,Humana,10/03/2026,120.00,0.00,CO-27",
    )
    assert [c.remittance.payer.identifier for c in report.claims] == ["60054", "87726", "00431"]
    assert all(line.procedure == "" for c in report.claims for line in c.lines)


def test_an_ins_id_of_member_ids_is_the_member_id() -> None:
    report = read(
        "Claim #,Ins ID,Insurance,Charges,Payments,Denial Code",
        "IN-1,ZZT100200301,Aetna,150.00,0.00,CO-197",
        "IN-2,ZZT100200302,Aetna,200.00,0.00,CO-16",
        "IN-3,ZZT100200303,Aetna,120.00,0.00,CO-27",
    )
    assert [c.remittance.payer.identifier for c in report.claims] == [None, None, None]
    assert [c.patient.identifier for c in report.claims] == [
        "ZZT100200301",
        "ZZT100200302",
        "ZZT100200303",
    ]


@pytest.mark.parametrize("cell", ["99213", "0001F", "0042T", "0001U", "J1100", "G0439", "99214-25"])
def test_procedure_shapes(cell: str) -> None:
    assert is_procedure_cell(cell)


@pytest.mark.parametrize("cell", ["6005X", "Z1234", "X9999", "1234", "ABCDE"])
def test_not_procedure_shapes(cell: str) -> None:
    assert not is_procedure_cell(cell)


@pytest.mark.parametrize(
    ("cell", "expected"), [("60054", True), ("SB580", True), ("ZZT100200301", False)]
)
def test_payer_id_shape(cell: str, expected: bool) -> None:
    assert is_payer_id(cell) is expected


# -- reasons in words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "carc"),
    [
        ("Duplicate claim/service", "18"),
        ("Precertification/authorization absent", "197"),
        ("No authorization on file", "197"),
        ("Prior authorization required", "197"),
        ("Authorization was denied", "39"),
        ("Time limit for filing has expired", "29"),
        ("Not medically necessary", "50"),
        ("Expenses incurred after coverage terminated", "27"),
        ("Claim/service lacks information which is needed for adjudication", "16"),
        ("Non-covered charge(s)", "96"),
    ],
)
def test_a_reason_in_words_names_its_carc(text: str, carc: str) -> None:
    assert carc_named(text) == carc


@pytest.mark.parametrize(
    "text", ["", "Patient not eligible", "Duplicate claim; timely filing", "Office visit", "45"]
)
def test_words_that_fit_no_one_carc_name_none(text: str) -> None:
    assert carc_named(text) is None


@given(st.text(max_size=400))
def test_reading_a_reason_never_raises(text: str) -> None:
    carc_named(text)


WORKLIST = "Claim Number,Payer,Billed,Paid,Work Status,Denial Reason"


def test_an_open_worklist_row_with_a_reason_in_words_is_a_denial() -> None:
    report = read(
        WORKLIST,
        "W1,Aetna,150.00,0.00,Open,Duplicate claim/service",
        "W2,Aetna,180.00,0.00,Open,Patient not eligible",
        "W3,Aetna,95.00,95.00,Closed,Patient not eligible",
    )
    first, second, third = report.claims
    assert [(a.group, a.carc) for line in first.lines for a in line.adjustments] == [("", "18")]
    assert first.lines[0].adjustments[0].amount == Decimal("150.00")
    assert (second.denied_by_status, second.reason_text) == (True, "Patient not eligible")
    assert not third.denied_by_status
    assert report.warnings[0].message == (
        "line 2: no reason code, but the reason's words name one (CARC 18); it was used"
    )


def test_an_open_status_is_no_denial_without_a_denial_reason_column() -> None:
    report = read(
        "Claim Number,Payer,Billed,Paid,Status,Description",
        "W1,Aetna,150.00,0.00,Open,Office visit established patient",
    )
    assert not report.claims[0].denied_by_status
    assert read_status("", "Open").open_work


# -- a patient account as the only key ------------------------------------------------------------


def test_a_report_keyed_by_account_tells_a_patients_claims_apart_by_date() -> None:
    report = read(
        "Acct #,Insurance,DOS,CPT,Charge,Paid,Reason Code",
        "A1,Aetna,10/01/2026,99213,150.00,0.00,CO-197",
        "A1,Aetna,10/15/2026,99214,210.00,210.00,",
        "A1,Aetna,10/15/2026,36415,25.00,0.00,CO-97",
    )
    assert [(c.claim_number, str(c.service_date), len(c.lines)) for c in report.claims] == [
        ("A1", "2026-10-01", 1),
        ("A1", "2026-10-15", 2),
    ]
    assert report.columns.startswith("claim=Acct #,")
    assert report.warnings[-1].message == (
        'no claim number column: the patient account ("Acct #") stands for it, and a '
        "patient's claims are told apart by their date of service"
    )


def test_an_account_beside_a_claim_number_stays_the_account() -> None:
    report = read(
        "Claim ID,Acct #,Insurance,DOS,Charge,Paid,Reason Code",
        "C1,A1,Aetna,10/01/2026,150.00,0.00,CO-197",
    )
    assert report.claims[0].claim_number == "C1"
    assert not any("patient account" in w.message for w in report.warnings)


# -- service lines under their claim --------------------------------------------------------------


GROUPED = "Claim No,Payer,Check No,DOS,CPT,Charge,Paid,Adj Code,Adj Amt"
FIRST_LINE = "G1,Aetna,EFT1,10/01/2026,99214,210.00,0.00,CO-197,210.00"
NEXT_LINE = ",,,10/01/2026,36415,25.00,0.00,CO-197,25.00"


def test_lines_printed_under_their_claim_take_its_number_payer_and_check() -> None:
    report = read(GROUPED, FIRST_LINE, NEXT_LINE, ",,,,,235.00,0.00,,235.00")
    (claim,) = report.claims
    assert [line.procedure for line in claim.lines] == ["99214", "36415"]
    assert (claim.remittance.check_number, claim.remittance.payer.name) == ("EFT1", "Aetna")
    assert [w.message for w in report.warnings][-2:] == [
        "line 3: service lines without a claim number, read as lines of the claim above them",
        "line 4: totals and subtotals, not claims; skipped",
    ]


def test_a_sums_row_breaks_the_chain() -> None:
    """A line after a row of sums is not given the claim above the sums."""
    with pytest.raises(InputError, match="line 4: the claim number is empty"):
        read(GROUPED, FIRST_LINE, ",,,,,210.00,0.00,,210.00", NEXT_LINE)


# -- codes followed by words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "codes"),
    [
        ("CO-197 Precert absent", ["CO-197"]),
        ("CO 45 - Charges exceed the fee schedule", ["CO-45"]),
        ("PR-2: coinsurance", ["PR-2"]),
    ],
)
def test_a_reason_cell_may_follow_its_codes_with_words(cell: str, codes: list[str]) -> None:
    assert [str(c) for c in reason_codes(cell, "reason code").carcs] == codes


@pytest.mark.parametrize("cell", ["CO-4S", "Precert absent", "CO-45, PR-2X", "Denied"])
def test_a_reason_cell_that_starts_with_no_code_is_still_refused(cell: str) -> None:
    with pytest.raises(InputError):
        reason_codes(cell, "reason code")


def test_an_excel_text_guard_is_not_part_of_the_claim_number() -> None:
    report = read(
        "Claim #,Insurance,Billed,Paid,Denial Code",
        '="000123",Aetna,150.00,0.00,CO-197',
        "'000124,Aetna,150.00,0.00,CO-197",
    )
    assert [c.claim_number for c in report.claims] == ["000123", "000124"]


# -- the payer named above the header; abbreviated statuses ---------------------------------------


def test_a_payer_named_above_the_header_is_every_rows_payer() -> None:
    report = read(
        "Claim Search Results",
        "Payer: UnitedHealthcare",
        "Claim Number,Date of Service,Billed Amount,Paid Amount,Claim Status,Denial Reason",
        "U1,10/01/2026,150.00,0.00,Denied,CO-197 Precertification absent",
    )
    assert report.claims[0].remittance.payer.name == "UnitedHealthcare"
    assert report.warnings[-1].message == (
        'no payer column: the payer named above the header ("UnitedHealthcare") is the payer of '
        "every row"
    )


@pytest.mark.parametrize(
    "above", [["Insurance Company", "Aetna"], ["Payer:", "Aetna"], ["Carrier: Aetna", ""]]
)
def test_payer_labels_above_the_header(above: list[str]) -> None:
    assert payer_above([["Denials"], above]) == "Aetna"


def test_two_payers_above_the_header_name_none() -> None:
    assert payer_above([["Payer: Aetna"], ["Payer: Cigna"]]) == ""
    with pytest.raises(InputError, match="no column for the payer"):
        read(
            "Payer: Aetna",
            "Payer: Cigna",
            "Claim Number,Billed Amount,Paid Amount,Status",
            "U1,1,0,Denied",
        )


@pytest.mark.parametrize(
    ("status", "kind", "denied"),
    [
        ("DEN", ClaimKind.ADJUDICATED, True),
        ("DND", ClaimKind.ADJUDICATED, True),
        ("PD", ClaimKind.ADJUDICATED, False),
        ("RJ", ClaimKind.REJECTION, False),
        ("REJ", ClaimKind.REJECTION, False),
        ("PEND", ClaimKind.PENDING, False),
        ("RVSL", ClaimKind.REVERSAL, False),
        ("Dental", ClaimKind.ADJUDICATED, False),
    ],
)
def test_abbreviated_statuses(status: str, kind: ClaimKind, denied: bool) -> None:
    facts = read_status("", status)
    assert (facts.kind, facts.denied) == (kind, denied)


# -- a contractual write-off as the only amount ---------------------------------------------------

POSTING = "Claim,Payer,CPT,Charges,Allowed,Payment,Contractual Adj,Deductible,Adj Reason"


def test_a_reason_code_with_a_zero_contractual_amount_takes_the_unpaid_charge() -> None:
    (claim,) = read(POSTING, "K1,Aetna,99214,210.00,0.00,0.00,0.00,0.00,CO-16").claims
    assert [(a.carc, a.amount) for a in claim.lines[0].adjustments] == [("16", Decimal("210.00"))]


def test_beside_the_contractual_cut_a_reason_takes_what_the_allowed_amount_left_unpaid() -> None:
    (claim,) = read(POSTING, "K2,Aetna,97110,240.00,120.00,0.00,120.00,0.00,CO-45 CO-151").claims
    assert [(a.carc, a.amount) for a in claim.lines[0].adjustments] == [
        ("45", Decimal("120.00")),
        ("151", Decimal("120.00")),
    ]


def test_a_paid_line_with_its_deductible_has_no_reason_left() -> None:
    (claim,) = read(POSTING, "K3,Aetna,80053,45.00,30.00,0.00,15.00,30.00,CO-45 PR-1").claims
    assert [(a.carc, a.amount) for a in claim.lines[0].adjustments] == [
        ("45", Decimal("15.00")),
        ("1", Decimal("30.00")),
    ]


report_cells = st.sampled_from(
    [
        "",
        "C1",
        "C2",
        "Aetna",
        "Payer: Aetna",
        "Total",
        "Grand Total",
        "Aetna Subtotal",
        "Page 1 of 2",
        "150.00",
        "0.00",
        "(12.50)",
        "CO-45",
        "CO-197 Precert absent",
        "PR-2:",
        "99213",
        "10/01/2026",
        "1-Oct-26",
        "Open",
        "DEN",
        "Duplicate claim/service",
        '="0012"',
        "'0012",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(report_cells, min_size=6, max_size=6), max_size=10))
def test_billing_like_reports_either_import_or_refuse(rows: list[list[str]]) -> None:
    lines = [",".join(cells) for cells in rows]
    with contextlib.suppress(InputError):
        read("Claim ID,Payer,Billed,Paid,CARC,Denial Reason", *lines)
    with contextlib.suppress(InputError):
        read(*lines[:2], "Claim ID,DOS,CPT,Billed,Paid,Adj Code", *lines[2:])


# -- a report none of whose rows can be read -------------------------------------------------------


def test_a_report_with_no_readable_row_offers_nothing_to_import() -> None:
    """Decimal commas (`150,00`) on every row: no "Import the other 0 rows"."""
    with pytest.raises(BadRowsError) as refused:
        read("Claim;Payer;Billed;Paid;CARC", "C1;Aetna;150,00;0,00;CO-197")
    assert refused.value.others == 0
    message = bad_rows_message("eu.csv", refused.value.describe(), 1, 0, FileRef("F1", "C1", "1"))
    assert message.text == (
        '⛔ eu.csv was not imported: line 2: billed amount "150,00" is not a number. '
        "A report is imported whole: no row was stored. Fix the export and share it again."
    )
    assert [b["type"] for b in message.blocks] == ["section"]


def test_a_reason_column_of_codes_alone_is_read_for_its_codes() -> None:
    """A known `Reason` header with `CO-197` cells, or `Denial` with codes and words."""
    for header in ("Reason", "Denial"):
        report = read(
            f"Claim,Payer,Billed,Paid,{header}",
            "C1,Aetna,150.00,0.00,CO-197",
            "C2,Aetna,175.00,0.00,CO-50 Not medically necessary",
            "C3,Aetna,90.00,0.00,N130",
        )
        codes = [[a.carc for ln in c.lines for a in ln.adjustments] for c in report.claims]
        assert codes == [["197"], ["50"], []], header


# -- one row per adjustment -----------------------------------------------------------------------


def test_a_line_repeated_beside_each_adjustment_is_one_line_with_one_payment() -> None:
    (claim,) = read(
        "Claim,Payer,Line,Proc,Charge,Paid,Group,CARC,Adj Amount",
        "PC1,Aetna,1,99213,150.00,80.00,CO,45,50.00",
        "PC1,Aetna,1,99213,150.00,80.00,PR,2,20.00",
    ).claims
    assert (claim.billed, claim.paid, len(claim.lines)) == (Decimal("150.00"), Decimal("80.00"), 1)
    assert [a.carc for a in claim.lines[0].adjustments] == ["45", "2"]


def test_a_line_with_two_payments_of_its_own_adds_them() -> None:
    (claim,) = read(
        "Claim,Payer,Line,Proc,Charge,Paid,Group,CARC,Adj Amount",
        "PC1,Aetna,1,99213,150.00,80.00,CO,45,50.00",
        "PC1,Aetna,1,99213,150.00,0.00,PR,2,20.00",
        "PC1,Aetna,1,99213,150.00,20.00,,,",
    ).claims
    assert (claim.billed, claim.paid) == (Decimal("150.00"), Decimal("100.00"))


def test_a_subtotal_naming_a_patient_is_skipped_without_repeating_the_name() -> None:
    report = read(HEADER, DENIED, ",Total for TESTPATIENT ALPHA,,,150.00,0.00,,,150.00,")
    assert report.warnings[-1].message == "line 3: totals and subtotals, not claims; skipped"
