"""Header and column detection from headers and values (csv_detect), and its texts."""

from __future__ import annotations

import contextlib
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import InputError
from bot.importers.csv_columns import Field, parse_mapping_option
from bot.importers.csv_detect import Confidence, Detection, detect
from bot.importers.csv_mapping_text import columns_option, inferred_text, proposal_text
from bot.importers.csv_report import read_csv_report


def columns(found: Detection | None) -> dict[Field, str]:
    assert found is not None
    return {name: cs[0].header for name, cs in found.choices.items()}


def test_the_issue_headers_with_charge_paid_and_reason_codes() -> None:
    found = detect(
        [
            ["Claim #", "Payer", "Charge Amt", "Paid Amt", "Adj Reason Codes", "Check #"],
            ["A1", "Aetna", "150.00", "0.00", "CO-197", "EFT1"],
            ["A2", "Aetna", "90.00", "60.00", "CO-45, PR-2", "EFT1"],
        ]
    )
    assert columns(found) == {
        Field.CLAIM: "Claim #",
        Field.PAYER: "Payer",
        Field.BILLED: "Charge Amt",
        Field.PAID: "Paid Amt",
        Field.CARC: "Adj Reason Codes",
        Field.CHECK: "Check #",
    }
    assert found is not None
    assert found.missing() == []
    assert found.inferred()


def test_the_issue_tab_separated_abbreviations() -> None:
    found = detect(
        [
            ["Clm", "Chg", "Pmt", "Adj", "Grp/Rsn", "Rmk Cd", "Svc Date", "Prov NPI", "Carrier"],
            [
                "B1",
                "100.00",
                "0.00",
                "100.00",
                "CO/16",
                "M127",
                "10/01/2026",
                "1234567893",
                "Cigna",
            ],
            ["B2", "80.00", "60.00", "20.00", "CO/45", "", "10/02/2026", "1234567893", "Cigna"],
            ["B3", "75.00", "0.00", "75.00", "PR/96", "N130", "10/02/2026", "1999999992", "Cigna"],
        ]
    )
    assert columns(found) == {
        Field.CLAIM: "Clm",
        Field.BILLED: "Chg",
        Field.PAID: "Pmt",
        Field.ADJUSTMENT: "Adj",
        Field.CARC: "Grp/Rsn",
        Field.RARC: "Rmk Cd",
        Field.SERVICE_DATE: "Svc Date",
        Field.RENDERING_NPI: "Prov NPI",
        Field.PAYER: "Carrier",
    }


def test_the_issue_run_together_worklist_with_codes_in_the_reason_text() -> None:
    found = detect(
        [
            [
                "CLAIMID",
                "PRIMARYINSURANCE",
                "SERVICEDATE",
                "CLAIMSTATUS",
                "DENIALREASON",
                "CHARGES",
                "PAYMENTS",
            ],
            [
                "C1",
                "UHC",
                "10/01/2026",
                "DENIED",
                "CO 197 - Precertification/authorization absent",
                "300.00",
                "0.00",
            ],
            ["C2", "UHC", "10/02/2026", "PAID", "", "200.00", "150.00"],
            [
                "C3",
                "Aetna",
                "10/03/2026",
                "DENIED",
                "CO 16 - Claim lacks information",
                "125.00",
                "0.00",
            ],
        ]
    )
    assert columns(found) == {
        Field.CLAIM: "CLAIMID",
        Field.PAYER: "PRIMARYINSURANCE",
        Field.SERVICE_DATE: "SERVICEDATE",
        Field.STATUS: "CLAIMSTATUS",
        Field.REASON_TEXT: "DENIALREASON",
        Field.BILLED: "CHARGES",
        Field.PAID: "PAYMENTS",
    }
    assert found is not None
    assert "reason codes in the text" in found.choices[Field.REASON_TEXT][0].why


def test_values_name_a_column_whose_header_says_nothing() -> None:
    found = detect(
        [
            ["Claim ID", "Payer", "Billed", "Col7", "Col8"],
            ["C1", "Aetna", "100.00", "CO-197", "1234567893"],
            ["C2", "Aetna", "100.00", "CO-45, PR-2", "1234567893"],
            ["C3", "Aetna", "100.00", "OA-18", "1999999992"],
        ]
    )
    assert found is not None
    assert columns(found)[Field.CARC] == "Col7"
    assert columns(found)[Field.RENDERING_NPI] == "Col8"
    assert found.choices[Field.CARC][0].confidence is Confidence.UNSURE
    assert found.uncertain() == [Field.CARC]


def test_values_veto_a_header_that_lies() -> None:
    found = detect(
        [
            ["Claim ID", "Payer", "Billed", "Reason Code", "Remarks", "Group"],
            ["C1", "Aetna", "100.00", "CO-197", "called the payer twice", "GRP-778"],
            ["C2", "Aetna", "100.00", "CO-45", "sent records on 11/02", "GRP-778"],
            ["C3", "Aetna", "100.00", "OA-18", "duplicate of C1 per rep", "GRP-901"],
        ]
    )
    assert found is not None
    assert Field.RARC not in found.choices  # `Remarks` holds sentences, not remark codes
    assert Field.GROUP not in found.choices  # an insurance group number, not CO/PR/OA
    assert columns(found)[Field.CARC] == "Reason Code"


def test_a_known_header_with_bad_values_stays_so_its_rows_are_refused() -> None:
    found = detect(
        [
            ["Claim ID", "Payer", "Billed", "CARC"],
            ["C1", "Aetna", "ALPHA, T", "CO-4"],
            ["C2", "Aetna", "01/15/1980", "CO-4"],
            ["C3", "Aetna", "n/a-ish", "CO-4"],
        ]
    )
    assert columns(found)[Field.BILLED] == "Billed"


def test_billed_allowed_paid_and_dates_that_look_alike_are_told_apart() -> None:
    found = detect(
        [
            [
                "Claim No",
                "Insurance",
                "DOS",
                "Posting Date",
                "Check Date",
                "Billed",
                "Allowed",
                "Ins Paid",
                "Pt Resp",
                "Rendering NPI",
                "Billing NPI",
                "CARC",
            ],
            [
                "C1",
                "Aetna",
                "10/01/2026",
                "10/25/2026",
                "10/20/2026",
                "200.00",
                "120.00",
                "100.00",
                "20.00",
                "1234567893",
                "1999999992",
                "PR-2",
            ],
        ]
    )
    assert columns(found) == {
        Field.CLAIM: "Claim No",
        Field.PAYER: "Insurance",
        Field.SERVICE_DATE: "DOS",
        Field.POSTED_DATE: "Posting Date",
        Field.NOTICE_DATE: "Check Date",
        Field.BILLED: "Billed",
        Field.ALLOWED: "Allowed",
        Field.PAID: "Ins Paid",
        Field.PATIENT_RESPONSIBILITY: "Pt Resp",
        Field.RENDERING_NPI: "Rendering NPI",
        Field.CARC: "CARC",
    }


def test_the_header_is_found_below_title_lines() -> None:
    found = detect(
        [
            ["Denial Worklist"],
            ["Run 11/02/2026 08:15", ""],
            [],
            ["Acct #", "Clm #", "Ins Name", "Chg Amt", "Denial Code"],
            ["P1", "C1", "Aetna", "100.00", "CO-16"],
        ]
    )
    assert found is not None
    assert found.header.index == 3


def test_a_mapping_names_columns_and_the_rest_is_detected() -> None:
    mapping = parse_mapping_option("claim=Ref,payer=Who")
    found = detect([["Ref", "Who", "Chg", "Adj Rsn"], ["R1", "Aetna", "10.00", "CO-50"]], mapping)
    assert columns(found) == {
        Field.CLAIM: "Ref",
        Field.PAYER: "Who",
        Field.BILLED: "Chg",
        Field.CARC: "Adj Rsn",
    }
    assert found is not None
    assert found.choices[Field.CLAIM][0].given
    assert detect([["A", "B"]], mapping) is None


def test_texts_for_people() -> None:
    found = detect([["CLAIMNBR", "TOTALCHG", "ADJRSNCD"], ["C1", "10.00", "CO-16"]])
    assert found is not None
    assert inferred_text(found) == "claim=CLAIMNBR, billed=TOTALCHG, carc=ADJRSNCD"
    proposal = proposal_text(found)
    assert "Understood: claim=CLAIMNBR, billed=TOTALCHG, carc=ADJRSNCD" in proposal
    assert "--columns 'claim=CLAIMNBR,billed=TOTALCHG,carc=ADJRSNCD,payer=<header>'" in proposal
    known = detect([["Claim ID", "Billed Amount", "CARC"], ["C1", "10.00", "CO-16"]])
    assert known is not None
    assert inferred_text(known) == ""  # every header a known name: nothing to point out
    assert columns_option({Field.PAYER: "Ins Co's"}) == "--columns 'payer=Ins Co'\"'\"'s'"


def test_patient_data_is_never_a_sample() -> None:
    found = detect(
        [["Claim ID", "Patient Name", "DOB", "Billed"], ["C1", "TESTPATIENT A", "1/2/1980", "1.00"]]
    )
    assert found is not None
    assert found.choices[Field.PATIENT_NAME][0].sample == ""
    assert found.choices[Field.DOB][0].sample == ""
    assert found.choices[Field.CLAIM][0].sample == "C1"


cells = st.text(max_size=30)
rows = st.lists(st.lists(cells, max_size=8), max_size=12)


@settings(max_examples=150, deadline=None)
@given(rows)
def test_detection_never_raises_on_arbitrary_headers_and_cells(records: list[list[str]]) -> None:
    found = detect(records)
    if found is not None:
        found.missing()
        found.uncertain()
        proposal_text(found)
        inferred_text(found)


billing_words = st.sampled_from(
    ["Claim", "Clm", "#", "Payer", "Paid", "Amt", "Adj", "Rsn", "Cd", "Date", "DOS", "NPI", "CO-45"]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.builds("".join, st.lists(billing_words, max_size=4)), min_size=1, max_size=8),
        min_size=1,
        max_size=10,
    )
)
def test_detection_never_raises_on_billing_like_headers(records: list[list[str]]) -> None:
    found = detect(records)
    if found is not None:
        assert all(cs for cs in found.choices.values())


CAS_STYLE = (
    "Claim Number,Payer,Billed,Paid,Adj Group 1,Adj Reason 1,Adj Amount 1,"
    "Adj Group 2,Adj Reason 2,Adj Amount 2,Adj Group 3,Adj Reason 3,Adj Amount 3\n"
    "K1,Aetna,200.00,100.00,CO,45,60.00,CO,97,40.00,,,\n"
    "K2,Aetna,100.00,0.00,CO,45,10.00,PR,1,70.00,PR,96,20.00\n"
)


def test_numbered_adjustment_columns_are_slots_of_their_own() -> None:
    records = [line.split(",") for line in CAS_STYLE.splitlines()]
    found = columns(detect(records))
    assert (found[Field.GROUP], found[Field.CARC], found[Field.ADJUSTMENT]) == (
        "Adj Group 1",
        "Adj Reason 1",
        "Adj Amount 1",
    )
    assert (found[Field.GROUP3], found[Field.CARC3], found[Field.ADJUSTMENT3]) == (
        "Adj Group 3",
        "Adj Reason 3",
        "Adj Amount 3",
    )
    report = read_csv_report(io.BytesIO(CAS_STYLE.encode()), file_name="cas.csv")
    codes = {
        claim.claim_number: [
            (a.group, a.carc, str(a.amount)) for line in claim.lines for a in line.adjustments
        ]
        for claim in report.claims
    }
    assert codes == {
        "K1": [("CO", "45", "60.00"), ("CO", "97", "40.00")],
        "K2": [("CO", "45", "10.00"), ("PR", "1", "70.00"), ("PR", "96", "20.00")],
    }


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_reading_any_text_either_imports_or_refuses(text: str) -> None:
    with contextlib.suppress(InputError):
        read_csv_report(io.BytesIO(text.encode("utf-8", "surrogatepass")), file_name="x.csv")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_reading_any_bytes_either_imports_or_refuses(data: bytes) -> None:
    for content, name in ((data, "x.csv"), (data, "x.xlsx"), (b"PK\x03\x04" + data, "x.xlsx")):
        with contextlib.suppress(InputError):
            read_csv_report(io.BytesIO(content), file_name=name)


def test_numbered_reason_columns_without_amounts_share_the_unpaid_charge() -> None:
    text = (
        "ClaimNo,InsName,ChargeAmt,AllowedAmt,PaidAmt,CARC1,CARC2\n"
        "X1,BCBS,150.00,100.00,0.00,CO-45,CO-50\n"
    )
    (claim,) = read_csv_report(io.BytesIO(text.encode()), file_name="x.csv").claims
    amounts = [(a.carc, str(a.amount)) for line in claim.lines for a in line.adjustments]
    assert amounts == [("45", "50.00"), ("50", "100.00")]
