"""read_csv_report on small inline CSVs: one test per export quirk, rejection and refusal."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.records import Adjustment, ClaimKind, ClaimRecord
from bot.errors import InputError
from bot.importers.csv_columns import parse_mapping_option
from bot.importers.csv_report import BadRowsError, CsvReport, read_csv_report
from bot.importers.csv_values import day, money

HEADER = (
    "Claim ID,Payer Name,Payer ID,DOS,CPT,Modifiers,Billed Amount,Allowed Amount,Paid Amount,"
    "Adjustment Amount,Group Code,CARC,RARC,Check Date,Claim Status"
)
DENIED_ROW = "C1,Aetna,99001,10/01/2026,99213,,150.00,0.00,0.00,150.00,CO,197,N54,10/20/2026,Denied"


def read(*rows: str, header: str = HEADER, **options: object) -> CsvReport:
    text = "\n".join([header, *rows]) + "\n"
    return read_bytes(text.encode("utf-8"), **options)


def read_bytes(data: bytes, **options: object) -> CsvReport:
    mapping = options.get("mapping")
    assert mapping is None or not isinstance(mapping, str | bytes)
    return read_csv_report(
        io.BytesIO(data),
        file_name="report.csv",
        mapping=mapping,  # type: ignore[arg-type]
        skip_bad_rows=bool(options.get("skip_bad_rows")),
    )


def only_claim(report: CsvReport) -> ClaimRecord:
    assert report.rejected == []
    assert len(report.claims) == 1
    return report.claims[0]


def adjustments(claim: ClaimRecord) -> list[tuple[str, str, str]]:
    return [(a.group, a.carc, str(a.amount)) for ln in claim.lines for a in ln.adjustments]


# --- the records ----------------------------------------------------------------------------


def test_a_denied_row_becomes_an_adjudicated_claim_with_its_line() -> None:
    claim = only_claim(read(DENIED_ROW))
    assert claim.kind is ClaimKind.ADJUDICATED
    assert claim.claim_number == "C1"
    assert claim.status_code == "1"
    assert (claim.billed, claim.paid) == (Decimal("150.00"), Decimal("0.00"))
    assert claim.remittance.payer.name == "Aetna"
    assert claim.remittance.payer.identifier == "99001"
    assert claim.remittance.report_date == date(2026, 10, 20)
    assert claim.service_date == date(2026, 10, 1)
    assert claim.source_line == 2
    (line,) = claim.lines
    assert line.procedure == "99213"
    assert line.adjustments == (Adjustment("CO", "197", Decimal("150.00")),)
    assert line.remarks == ("N54",)


def test_utf8_bom_and_crlf_are_read() -> None:
    data = ("\ufeff" + HEADER + "\r\n" + DENIED_ROW + "\r\n").encode("utf-8")
    claim = only_claim(read_bytes(data))
    assert claim.claim_number == "C1"
    assert claim.lines[0].remarks == ("N54",)


def test_a_text_stream_is_read_too() -> None:
    report = read_csv_report(io.StringIO(HEADER + "\n" + DENIED_ROW + "\n"))
    assert only_claim(report).claim_number == "C1"


def test_quoted_fields_dollars_and_thousands_separators() -> None:
    claim = only_claim(
        read(
            '"C1","Blue Cross, Blue Shield",99003,10/01/2026,73721,RT,"$1,450.00",$0.00,$0.00,'
            '"$1,450.00",CO,197,N54,10/20/2026,Denied'
        )
    )
    assert claim.remittance.payer.name == "Blue Cross, Blue Shield"
    assert claim.billed == Decimal("1450.00")
    assert adjustments(claim) == [("CO", "197", "1450.00")]


def test_negative_amounts_in_parentheses_make_a_reversal() -> None:
    claim = only_claim(
        read(
            "C1,Aetna,99001,09/15/2026,99213,,(150.00),(92.00),(72.00),(78.00),CO,45,,11/02/2026,Paid"
        )
    )
    assert claim.kind is ClaimKind.REVERSAL
    assert claim.status_code == "22"
    assert claim.paid == Decimal("-72.00")
    assert adjustments(claim) == [("CO", "45", "-78.00")]


@pytest.mark.parametrize("status", ["Reversed", "Reversal of Previous Payment", "22"])
def test_a_reversal_status_makes_a_reversal(status: str) -> None:
    row = DENIED_ROW.replace("Denied", status)
    assert only_claim(read(row)).kind is ClaimKind.REVERSAL


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        ("Rejected", ClaimKind.REJECTION),
        ("Rejected Payer", ClaimKind.REJECTION),
        ("Pending", ClaimKind.PENDING),
        ("Accepted", ClaimKind.PENDING),
        ("Prepared", ClaimKind.PENDING),
        ("Never Submitted", ClaimKind.PENDING),
        ("Settled", ClaimKind.ADJUDICATED),
        ("ERA Received", ClaimKind.ADJUDICATED),
        ("Denied at BLUE CROSS BLUE SHIELD", ClaimKind.ADJUDICATED),
        ("Processed as Primary", ClaimKind.ADJUDICATED),
        ("", ClaimKind.ADJUDICATED),
    ],
)
def test_statuses_map_to_claim_kinds(status: str, kind: ClaimKind) -> None:
    row = "C1,Aetna,99001,10/01/2026,99213,,150.00,,,,,,,," + status
    assert only_claim(read(row)).kind is kind


def test_status_only_denial_says_so_and_is_not_clp02_4() -> None:
    claim = only_claim(read("C1,Aetna,99001,10/01/2026,90834,,$150.00,,$0.00,--,,,,,Denied"))
    assert claim.kind is ClaimKind.ADJUDICATED
    assert claim.denied_by_status
    assert claim.status_code == "1"  # CLP02 4 means "patient not recognised" to the rules


def test_a_status_only_denial_may_carry_remark_codes() -> None:
    claim = only_claim(read("C1,Aetna,99001,10/01/2026,90834,,150.00,,0.00,,,,N54,,Denied"))
    assert claim.denied_by_status
    assert claim.lines[0].remarks == ("N54",)


def test_a_denied_status_with_codes_is_not_denied_by_status() -> None:
    assert not only_claim(read(DENIED_ROW)).denied_by_status


def test_x12_status_descriptions_keep_their_clp02_code() -> None:
    rows = [
        "C1,UHC,99004,09/30/2026,99213,,150.00,,0.00,0.00,PR,31,N382,,Denied",
        "C2,UHC,99004,09/30/2026,99213,,150.00,,150.00,0.00,,,,,Processed as Primary",
    ]
    first, second = read(*rows).claims
    assert (first.status_code, second.status_code) == ("4", "1")


def test_dash_placeholders_mean_no_information() -> None:
    claim = only_claim(read("C1,Aetna,--,10/01/2026,90837,,$200.00,--,--,--,--,--,--,--,Accepted"))
    assert claim.remittance.payer.identifier is None
    assert claim.paid == Decimal("0.00")
    assert claim.remittance.report_date is None
    assert adjustments(claim) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10/01/2026", date(2026, 10, 1)),
        ("1/5/2026", date(2026, 1, 5)),
        ("10-01-2026", date(2026, 10, 1)),
        ("2026-10-01", date(2026, 10, 1)),
        ("2026-10-21T09:14:03", date(2026, 10, 21)),
        ("10/01/2026 00:00", date(2026, 10, 1)),
        ("10/01/26", date(2026, 10, 1)),
        ("12/31/99", date(1999, 12, 31)),
        ("20261001", date(2026, 10, 1)),
        ("2026/10/01", date(2026, 10, 1)),
        # month names, as Excel (`1-Oct-26`) and printed reports write them
        ("1-Oct-26", date(2026, 10, 1)),
        ("01-Oct-2026", date(2026, 10, 1)),
        ("01 OCT 2026", date(2026, 10, 1)),
        ("Oct 1, 2026", date(2026, 10, 1)),
        ("October 01 2026", date(2026, 10, 1)),
        ("Sept. 30, 2026 14:05", date(2026, 9, 30)),
    ],
)
def test_date_formats(text: str, expected: date) -> None:
    assert day(text, "date") == expected


@pytest.mark.parametrize(
    "text", ["13/45/2026", "2026-02-30", "Oct 32 2026", "1-Foo-26", "Oct 2026", "10/01/202"]
)
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(InputError, match="is not a date"):
        day(text, "date")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,250.00", "1250.00"),
        ("(150.00)", "-150.00"),
        ("-180.00", "-180.00"),
        ("150.0", "150.00"),
        ("$-12.50", "-12.50"),
        ("12.50-", "-12.50"),
        ("$ -", "0.00"),
        (".5", "0.50"),
        ("1450", "1450.00"),
    ],
)
def test_money_formats(text: str, expected: str) -> None:
    assert money(text, "amount") == Decimal(expected)


@given(st.decimals(min_value=-(10**7), max_value=10**7, places=2))
def test_money_reads_back_what_excel_writes(value: Decimal) -> None:
    written = f"${abs(value):,.2f}"
    if value < 0:
        written = f"({written})"
    assert money(written, "amount") == value


@pytest.mark.parametrize("text", ["12O.00", "1,45.00", "$$1", "1.2.3", "abc"])
def test_bad_money_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="is not a number"):
        money(text, "amount")


@pytest.mark.parametrize("text", ["12345678901234567890", "(99,999,999,999,999.00)"])
def test_an_amount_too_large_to_store_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="amount is too large to be an amount"):
        money(text, "amount")


# --- codes and how one amount is shared -----------------------------------------------------


def test_group_and_carc_in_one_cell_with_one_amount_are_split_by_the_other_columns() -> None:
    claim = only_claim(
        read(
            "C1,Aetna,99001,10/01/2026,99213,,150.00,92.00,72.00,78.00,,"
            '"CO-45, PR-3",,10/20/2026,Paid'
        )
    )
    assert adjustments(claim) == [("CO", "45", "58.00"), ("PR", "3", "20.00")]


def test_sequestration_and_coinsurance_share_one_amount() -> None:
    claim = only_claim(
        read(
            "C1,Medicare Part B,99002,10/08/2026,99214,,210.00,128.92,101.08,108.92,,"
            '"CO-45, CO-253, PR-2",,10/27/2026,Paid'
        )
    )
    amounts = {(g, c): a for g, c, a in adjustments(claim)}
    assert amounts[("PR", "2")] == "27.84"
    assert Decimal(amounts[("CO", "45")]) + Decimal(amounts[("CO", "253")]) == Decimal("81.08")


def test_an_amount_that_leaves_out_the_patient_share_is_read_so() -> None:
    # NextGen: Adj Amt holds the contractual part only; the deductible has its own column.
    header = "Clm Nbr,Pyr Nam,CPT4,Bill Amt,Pd Amt,Adj Amt,Ded Amt,Pat Rsp,CAGC/CARC"
    claim = only_claim(
        read('1,BCBS,99213,150.00,0.00,40.00,110.00,110.00,"CO-45, PR-1"', header=header)
    )
    assert adjustments(claim) == [("CO", "45", "40.00"), ("PR", "1", "110.00")]


def test_a_patient_liable_denial_takes_its_amount_from_patient_responsibility() -> None:
    header = "Clm Nbr,Pyr Nam,CPT4,Bill Amt,Pd Amt,Adj Amt,Pat Rsp,Reason Cd,CAGC/CARC,Clm Sts Cod"
    claim = only_claim(read("1,UHC,99213,150.00,0.00,0.00,150.00,31,PR-31,Denied", header=header))
    assert adjustments(claim) == [("PR", "31", "150.00")]


def test_an_unsplittable_amount_goes_to_the_main_code_with_a_warning() -> None:
    header = "Claim ID,Payer Name,CPT Code,Adjustment Code(s),Adjustment Amount"
    report = read(
        '1,Medicare,45378,"CO-45, PR-2",920.00', '2,Aetna,99213,"PR-2, CO-50",80.00', header=header
    )
    assert [adjustments(c) for c in report.claims] == [
        [("CO", "45", "920.00"), ("PR", "2", "0.00")],
        [("PR", "2", "0.00"), ("CO", "50", "80.00")],
    ]
    assert any("lines 2, 3" in w.message for w in report.warnings)


def test_group_carc_and_rarc_glued_in_one_cell() -> None:
    claim = only_claim(
        read(
            "C1,UHC,99004,10/05/2026,99214,25,210.00,0.00,0.00,210.00,,CO16;N290,,10/22/2026,Denied"
        )
    )
    assert adjustments(claim) == [("CO", "16", "210.00")]
    assert claim.lines[0].remarks == ("N290",)


def test_bare_carc_takes_the_group_column_or_stays_without_group() -> None:
    with_group = only_claim(read(DENIED_ROW))
    without = only_claim(read(DENIED_ROW.replace(",CO,197,", ",,197,")))
    assert adjustments(with_group)[0][:2] == ("CO", "197")
    assert adjustments(without)[0][:2] == ("", "197")


def test_separate_rarc_column_with_several_codes() -> None:
    claim = only_claim(read(DENIED_ROW.replace(",N54,", ',"MA130, N290",')))
    assert claim.lines[0].remarks == ("MA130", "N290")


def test_two_reason_slots_each_with_its_amount() -> None:
    header = (
        "Claim ID,Primary Insurance Company Name,Procedure Code,Total Charges,"
        "Insurance Payment,Contract Adjustment,Contract Adjustment Reason,"
        "Secondary Adjustment,Secondary Adjustment Reason,Status"
    )
    claim = only_claim(
        read("5101Z1,Aetna,99213,$150.00,$72.00,$58.00,CO-45,$20.00,PR-3,Settled", header=header)
    )
    assert adjustments(claim) == [("CO", "45", "58.00"), ("PR", "3", "20.00")]


# --- procedures and modifiers ----------------------------------------------------------------


def test_several_cpts_in_one_cell_give_one_line_each_and_keep_the_totals() -> None:
    claim = only_claim(read(DENIED_ROW.replace(",99213,", ',"90837, 90785",')))
    assert [ln.procedure for ln in claim.lines] == ["90837", "90785"]
    assert [ln.billed for ln in claim.lines] == [Decimal("150.00"), Decimal("0.00")]
    assert claim.billed == Decimal("150.00")


@pytest.mark.parametrize(
    ("header_part", "cells", "expected"),
    [
        ("CPT,Modifiers", "99214-25,", ("25",)),
        ("CPT,Modifiers", "99214,25 59", ("25", "59")),
        ("CPT4,M1,M2", "99214,25,59", ("25", "59")),
        (
            "Procedure Code,Modifier 1,Modifier 2,Modifier 3,Modifier 4",
            "97110,GP,59,,",
            ("GP", "59"),
        ),
        ("code,modifiers", '97140,"[""59"", ""GP""]"', ("59", "GP")),
        ("code,modifiers", "97140,[]", ()),
    ],
)
def test_modifier_layouts(header_part: str, cells: str, expected: tuple[str, ...]) -> None:
    header = f"Claim ID,Payer,Billed,CARC,{header_part}"
    claim = only_claim(read(f"C1,Aetna,100.00,CO-4,{cells}", header=header))
    assert claim.lines[0].modifiers == expected


# --- rows, grouping and skipping -------------------------------------------------------------


def test_rows_of_one_claim_and_check_date_make_one_claim_with_a_line_each() -> None:
    second = DENIED_ROW.replace("99213", "20610").replace("150.00", "185.00")
    claim = only_claim(read(DENIED_ROW, second))
    assert [ln.procedure for ln in claim.lines] == ["99213", "20610"]
    assert claim.billed == Decimal("335.00")
    assert claim.source_line == 2


def test_the_same_claim_on_another_check_date_is_another_adjudication() -> None:
    later = DENIED_ROW.replace("10/20/2026", "11/24/2026").replace(",Denied", ",Paid")
    first, second = read(DENIED_ROW, later).claims
    assert (first.source_line, second.source_line) == (2, 3)
    assert second.remittance.report_date == date(2026, 11, 24)


def test_a_reversal_and_its_correction_on_one_check_are_two_claims() -> None:
    reversal = DENIED_ROW.replace("150.00", "-150.00").replace(",Denied", ",Reversal")
    correction = DENIED_ROW.replace(",Denied", ",Paid")
    kinds = [c.kind for c in read(reversal, correction).claims]
    assert kinds == [ClaimKind.REVERSAL, ClaimKind.ADJUDICATED]


def test_transaction_rows_of_one_line_item_are_merged_into_one_line() -> None:
    header = (
        "id,line_item,appointment,code,billed,insurance.name,ins_paid,adjustment,"
        "adjustment_group_code,adjustment_reason,trace_number,check_date,claim_status"
    )
    claim = only_claim(
        read(
            "1,7004,6004,97110,280.0,Cigna,56.0,70.0,CO,45,EFT1,2026-10-23,1",
            "2,7004,6004,97110,280.0,Cigna,0.0,140.0,CO,151,EFT1,2026-10-23,1",
            "3,7005,6004,97140,130.0,Cigna,0.0,130.0,CO,97,EFT1,2026-10-23,1",
            header=header,
        )
    )
    assert [ln.line_control for ln in claim.lines] == ["7004", "7005"]
    assert claim.billed == Decimal("410.00")
    assert claim.paid == Decimal("56.00")
    assert len(claim.lines[0].adjustments) == 2


def test_title_lines_blank_columns_blank_rows_and_totals_are_skipped() -> None:
    data = (
        b'"Payments by Service Line","",""\r\n'
        b'"Dates: 10/01/2026 to 10/31/2026","",""\r\n'
        b'"","",""\r\n'
        b'"Claim ID","","Payer","","Billed","","Reason","","Status"\r\n'
        b'"5101Z1","","Aetna","","$150.00","","CO-45","","Settled"\r\n'
        b'"","","","","","","","",""\r\n'
        b'"Totals","","","","$150.00","","","",""\r\n'
    )
    report = read_bytes(data)
    claim = only_claim(report)
    assert claim.source_line == 5
    assert report.data_rows == 1
    messages = [w.message for w in report.warnings]
    assert messages[-2].startswith("no check or adjudication date column")
    assert messages[-1] == "line 7: totals and subtotals, not claims; skipped"


def test_a_repeated_header_row_is_skipped() -> None:
    report = read(DENIED_ROW, HEADER, DENIED_ROW.replace("C1", "C2"))
    assert [c.claim_number for c in report.claims] == ["C1", "C2"]


def test_patient_name_is_filled_down_within_one_patient_only() -> None:
    header = "Pat Name,Clm Nbr,Pyr Nam,CPT4,Bill Amt,Reason Cd,Pol Nbr"
    report = read(
        '"Testpatient, Alpha",1,Aetna,99214,210.00,45,ZZT1',
        ",1,Aetna,36415,30.00,97,ZZT1",
        ",2,Aetna,99213,30.00,97,ZZT2",  # another member: the name is not carried over
        header=header,
    )
    assert report.claims[0].patient.name == "Testpatient, Alpha"
    assert report.claims[0].patient.identifier == "ZZT1"
    assert report.claims[1].patient.name == ""


def test_a_patient_group_heading_row_names_the_rows_under_it() -> None:
    header = "Pat Name,Clm Nbr,Pyr Nam,CPT4,Bill Amt,Reason Cd,Pol Nbr"
    report = read(
        '"Testpatient, Bravo",,,,,,',
        ",3,Aetna,99215,300.00,16,ZZT2",
        ",4,Aetna,99213,100.00,16,ZZT2",
        header=header,
    )
    assert [c.patient.name for c in report.claims] == ["Testpatient, Bravo"] * 2
    assert report.data_rows == 2


def test_provider_patient_and_payer_claim_number() -> None:
    header = "Claim ID,Payer Claim,Payer,Billed,CARC,Patient Name,Member ID,Rendering Provider,NPI"
    claim = only_claim(
        read(
            '1,E2026,Aetna,10.00,CO-4,"Testpatient, Echo",ZZT5,"Provider, Test MD",1234567893',
            header=header,
        )
    )
    assert claim.payer_claim_number == "E2026"
    assert (claim.patient.name, claim.patient.identifier) == ("Testpatient, Echo", "ZZT5")
    assert claim.rendering_provider.identifier == "1234567893"


def test_a_pending_row_without_any_claim_number_is_skipped_with_a_warning() -> None:
    header = "Date,Client,Payer,Billing Code,Status,Clearinghouse Reference,Payer Claim,Billed"
    report = read("10/12/2026,Testpatient Alpha,Aetna,90837,Prepared,--,--,$200.00", header=header)
    assert report.claims == []
    assert report.rejected == []
    assert report.data_rows == 1
    assert any("line 2" in w.message and "skipped" in w.message for w in report.warnings)


def test_the_era_file_name_date_stands_in_for_a_missing_check_date() -> None:
    header = "File,Clm Nbr,Pyr Nam,CPT4,Bill Amt,Reason Cd"
    claim = only_claim(read("ERA_20261102_01.835,1,Aetna,99213,30.00,97", header=header))
    assert claim.remittance.report_date == date(2026, 11, 2)


def test_tab_separated_reports_are_read() -> None:
    data = (HEADER.replace(",", "\t") + "\n" + DENIED_ROW.replace(",", "\t") + "\n").encode()
    assert only_claim(read_bytes(data)).claim_number == "C1"


def test_windows_1252_files_are_read_with_a_warning() -> None:
    data = (HEADER + "\n" + DENIED_ROW.replace("Aetna", "Aetna\u2019s") + "\n").encode("cp1252")
    report = read_bytes(data)
    assert only_claim(report).remittance.payer.name == "Aetna\u2019s"
    assert any("Windows-1252" in w.message for w in report.warnings)


def test_a_header_without_rows_imports_nothing_and_says_so() -> None:
    report = read()
    assert report.claims == []
    assert report.data_rows == 0
    assert any("no data rows" in w.message for w in report.warnings)


# --- whole or refused: bad rows, junk rows, --skip-bad-rows ---------------------------------

TYPO = DENIED_ROW.replace("C1", "C2").replace(",150.00,0.00", ",12O.00,0.00")


def test_a_claim_row_with_a_bad_value_refuses_the_report_naming_the_line() -> None:
    """It used to be imported minus that row: the corrected file then doubled the rest."""
    with pytest.raises(BadRowsError) as refused:
        read(DENIED_ROW, TYPO, DENIED_ROW.replace("C1", "C3"))
    assert str(refused.value) == (
        'line 3: billed amount "12O.00" is not a number. A report is imported whole: no row '
        "was stored"
    )
    assert [r.line_number for r in refused.value.rows] == [3]
    assert refused.value.others == 2


def test_skip_bad_rows_imports_the_rest_on_purpose_and_lists_what_was_left_out() -> None:
    report = read(DENIED_ROW, TYPO, DENIED_ROW.replace("C1", "C3"), skip_bad_rows=True)
    assert [c.claim_number for c in report.claims] == ["C1", "C3"]
    assert [(r.line_number, r.reason) for r in report.rejected] == [
        (3, 'line 3: billed amount "12O.00" is not a number'),
    ]
    assert report.data_rows == 3


def test_a_claim_is_left_out_whole_with_its_good_rows() -> None:
    second_line = DENIED_ROW.replace("99213", "99214")
    with pytest.raises(BadRowsError) as refused:
        read(
            DENIED_ROW,
            second_line.replace("10/01/2026", "13/45/2026"),
            DENIED_ROW.replace("C1", "C3"),
        )
    assert refused.value.others == 1  # C1's good row goes with its bad one
    report = read(
        DENIED_ROW,
        second_line.replace("10/01/2026", "13/45/2026"),
        DENIED_ROW.replace("C1", "C3"),
        skip_bad_rows=True,
    )
    assert [c.claim_number for c in report.claims] == ["C3"]
    assert [(r.line_number, r.reason) for r in report.rejected] == [
        (2, "line 2: its claim has a row that cannot be read"),
        (3, "line 3: service date is not a date (expected MM/DD/YYYY)"),
    ]


def test_titles_notes_and_totals_are_skipped_and_named_not_refused() -> None:
    report = read(
        DENIED_ROW,
        ",Printed by the billing office,,,,,,,,,,,,,",
        "",
        DENIED_ROW.replace("C1", "C2"),
        "Totals,,,,,,300.00,,,,,,,,",
        ",,,,,,,,,,,,,Page 1 of 1,",
    )
    assert [c.claim_number for c in report.claims] == ["C1", "C2"]
    assert report.rejected == []
    assert any(w.message.startswith("lines 3, 7: not claim rows") for w in report.warnings), (
        report.warnings
    )


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (DENIED_ROW.replace("10/01/2026", "13/45/2026"), "service date is not a date"),
        (DENIED_ROW.replace(",197,", ",XYZ,"), "reason code is not a CARC or RARC"),
        (DENIED_ROW.replace(",N54,", ",45,"), 'remark code "45" is not a RARC'),
        (DENIED_ROW.replace(",CO,", ",ZZ,"), "group code is not a group code"),
        (DENIED_ROW.replace("C1,", ",", 1), "the claim number is empty"),
        (DENIED_ROW.replace("Aetna", ""), "the payer name is empty"),
        (DENIED_ROW.replace("99213", "99.213"), 'procedure code "99.213" is not a CPT/HCPCS code'),
        (DENIED_ROW + ",extra", "16 cells where the header has 15"),
        (
            DENIED_ROW.replace("150.00,CO", "12345678901234567890,CO"),
            "adjustment amount is too large",
        ),
    ],
)
def test_bad_rows_refuse_the_report_with_a_reason(row: str, reason: str) -> None:
    with pytest.raises(BadRowsError, match=f"^line 2: {re.escape(reason)}"):
        read(row)
    report = read(row, skip_bad_rows=True)
    assert report.claims == []
    assert [r.line_number for r in report.rejected] == [2]
    assert report.rejected[0].reason.startswith(f"line 2: {reason}")


def test_a_rejection_never_repeats_patient_data() -> None:
    # An unquoted comma inside a name shifts cells; no name, member id, DOB or SSN is quoted back.
    header = "Claim ID,Payer,Billed,CARC,Member ID"
    rows = (
        "C1,Aetna,ZZT000001A,CO-4,",
        "C2,Aetna,TESTPATIENT ALPHA,CO-4,",
        "C3,Aetna,01/15/1980,CO-4,",
        "C4,Aetna,123-45-6789,CO-4,",
    )
    with pytest.raises(BadRowsError) as refused:
        read(*rows, header=header)
    assert "ZZT" not in str(refused.value)
    assert "TESTPATIENT" not in str(refused.value)
    report = read(*rows, header=header, skip_bad_rows=True)
    reasons = " ".join(r.reason for r in report.rejected)
    assert reasons.count("billed amount is not a number") == 4
    assert '"' not in reasons
    assert "ZZT" not in reasons
    assert "TESTPATIENT" not in reasons


# --- refused files ---------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"  \r\n\r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="empty"):
        read_bytes(data)


def test_a_file_without_a_recognisable_header_is_refused_with_what_it_needs() -> None:
    with pytest.raises(InputError) as refusal:
        read_bytes(b"Ref,Who,Amt,Why\nA1,Aetna,10.00,CO-4\n")
    message = str(refusal.value)
    for need in ("claim number", "payer", "amount", "CARC", "--columns"):
        assert need in message
    assert "Aetna" not in message
    assert "A1" not in message


def test_a_header_missing_a_needed_column_is_refused_at_its_line() -> None:
    with pytest.raises(InputError) as refusal:
        read("C1,10/01/2026,99213", header="Claim ID,DOS,CPT")
    assert refusal.value.line_number == 1
    assert str(refusal.value).startswith("line 1: the header has no column for the payer")


def test_a_zip_archive_is_refused_with_the_fix() -> None:
    with pytest.raises(InputError, match="ZIP archive, not a report; unzip it"):
        read_bytes(b"PK\x03\x04rest-of-a-zip")


def test_a_legacy_xls_workbook_is_refused_with_the_fix() -> None:
    with pytest.raises(InputError, match=r"old-style Excel workbook \(.xls\); .* save it as"):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))


# --- explicit column mapping -----------------------------------------------------------------


def test_an_explicit_mapping_reads_a_report_with_unknown_headers() -> None:
    header = "Ref No,Ins Co,Proc,Chg,Why,Paid On"
    mapping = parse_mapping_option(
        "claim=Ref No,payer=Ins Co,procedure=Proc,billed=Chg,carc=Why,notice_date=Paid On"
    )
    report = read("R1,Aetna,99213,100.00,CO-197,10/20/2026", header=header, mapping=mapping)
    claim = only_claim(report)
    assert claim.claim_number == "R1"
    assert adjustments(claim) == [("CO", "197", "100.00")]
    assert claim.remittance.report_date == date(2026, 10, 20)
    assert report.layout == "columns named for this layout"


def test_a_partial_mapping_leaves_the_other_columns_to_auto_detection() -> None:
    header = "Claim ID,Carrier Co,Billed Amount,CARC"
    report = read(
        "C1,Aetna,50.00,CO-4", header=header, mapping=parse_mapping_option("payer=Carrier Co")
    )
    assert only_claim(report).remittance.payer.name == "Aetna"


def test_a_mapping_naming_an_absent_header_is_refused_naming_it() -> None:
    with pytest.raises(InputError, match='"Pyr Nam" not found in the header row'):
        read(DENIED_ROW, mapping=parse_mapping_option("payer=Pyr Nam"))
