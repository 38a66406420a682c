"""Header synonyms, header detection and the explicit column mapping (csv_columns)."""

from __future__ import annotations

import pytest

from bot.errors import InputError
from bot.importers.csv_columns import (
    ColumnMapping,
    Field,
    Header,
    layout_name,
    mapping_from_yaml,
    normalise,
    parse_mapping_option,
    synonyms,
)
from bot.importers.csv_detect import Detection, detect, detect_at


def match_header(cells: list[str], mapping: ColumnMapping | None = None) -> Header | None:
    """One record read as the header, without values under it."""
    found = detect_at([cells], 0, mapping)
    return None if found is None else found.header


def find_header(records: list[list[str]]) -> Detection | None:
    return detect(records)


def test_normalise_ignores_case_spaces_and_punctuation() -> None:
    assert normalise("Check/EFT #") == "checkeft"
    assert normalise("Adjustment Code(s)") == "adjustmentcodes"
    assert normalise("insurance.id_number") == normalise("Insurance ID Number")
    assert normalise(" Ins. Paid ") == "inspaid"


def test_every_synonym_belongs_to_exactly_one_field() -> None:
    owners: dict[str, Field] = {}
    for name, texts in synonyms().items():
        for text in texts:
            key = normalise(text)
            assert owners.setdefault(key, name) is name, f"{text!r}: {owners[key]} and {name}"


def test_every_field_has_header_texts() -> None:
    assert set(synonyms()) == set(Field)


# Section B of the samples README (one or two per field) and the sample files' own headers.
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Claim ID", Field.CLAIM),
        ("Clm Nbr", Field.CLAIM),
        ("claimid", Field.CLAIM),
        ("PCN", Field.CLAIM),
        ("Payer Claim", Field.PAYER_CLAIM),
        ("ICN", Field.PAYER_CLAIM),
        ("Payer Control Number", Field.PAYER_CLAIM),
        ("Clearinghouse Reference", Field.CLEARINGHOUSE_REF),
        ("OA Claim ID", Field.CLEARINGHOUSE_REF),
        ("EncounterID", Field.ENCOUNTER),
        ("Enc Nbr", Field.ENCOUNTER),
        ("appointment", Field.ENCOUNTER),
        ("Patient ID", Field.PATIENT_ACCOUNT),
        ("Per Nbr", Field.PATIENT_ACCOUNT),
        ("PatientFullName", Field.PATIENT_NAME),
        ("Pat Name", Field.PATIENT_NAME),
        ("Client", Field.PATIENT_NAME),
        ("PatientDateOfBirth", Field.DOB),
        ("Birth Dt", Field.DOB),
        ("Pol Nbr", Field.MEMBER_ID),
        ("Member ID", Field.MEMBER_ID),
        ("PrimaryInsuranceCompanyName", Field.PAYER),
        ("Pyr Nam", Field.PAYER),
        ("insurance.name", Field.PAYER),
        ("Carrier Name", Field.PAYER),
        ("Remitter", Field.PAYER),
        ("Pyr ID", Field.PAYER_ID),
        ("payerid", Field.PAYER_ID),
        ("insurance.id_number", Field.PAYER_ID),
        ("Fin Class", Field.PLAN),
        ("ServiceStartDate", Field.SERVICE_DATE),
        ("Svc Date", Field.SERVICE_DATE),
        ("FROMDATE", Field.SERVICE_DATE),
        ("Date", Field.SERVICE_DATE),
        ("ProcedureCode", Field.PROCEDURE),
        ("CPT4", Field.PROCEDURE),
        ("CPT/HCPCS", Field.PROCEDURE),
        ("Billing Code", Field.PROCEDURE),
        ("code", Field.PROCEDURE),
        ("ProcedureModifier1", Field.MODIFIER1),
        ("M2", Field.MODIFIER2),
        ("Modifier 3", Field.MODIFIER3),
        ("Modifiers", Field.MODIFIERS),
        ("quantity", Field.UNITS),
        ("TotalCharges", Field.BILLED),
        ("Bill Amt", Field.BILLED),
        ("Chg Amt", Field.BILLED),
        ("chargeamount", Field.BILLED),
        ("Billed", Field.BILLED),
        ("AllowedAmount", Field.ALLOWED),
        ("Aprv Amt", Field.ALLOWED),
        ("PrimaryInsuranceInsurancePayment", Field.PAID),
        ("Pd Amt", Field.PAID),
        ("ins_paid", Field.PAID),
        ("Ins. Paid", Field.PAID),
        ("Insurance Paid", Field.PAID),
        ("PrimaryInsuranceInsuranceContractAdjustment", Field.ADJUSTMENT),
        ("Adj Amt", Field.ADJUSTMENT),
        ("Disallow Amt", Field.ADJUSTMENT),
        ("Write-Off", Field.ADJUSTMENT),
        ("Secondary Adjustment", Field.ADJUSTMENT2),
        ("Ded Amt", Field.DEDUCTIBLE),
        ("CoIns Amt", Field.COINSURANCE),
        ("Copay", Field.COPAY),
        ("Pat Rsp", Field.PATIENT_RESPONSIBILITY),
        ("Client Responsibility", Field.PATIENT_RESPONSIBILITY),
        ("adjustment_group_code", Field.GROUP),
        ("CAGC/CARC", Field.CARC),
        ("Reason Cd", Field.CARC),
        ("Adjustment Code(s)", Field.CARC),
        ("adjustment_reason", Field.CARC),
        ("Remit Code", Field.CARC),
        ("Contract Adjustment Reason", Field.CARC),
        ("Secondary Adjustment Reason", Field.CARC2),
        ("Remark Codes", Field.RARC),
        ("Remark Code(s)", Field.RARC),
        ("Rsn Cd Desc", Field.REASON_TEXT),
        ("Remittance Description", Field.REASON_TEXT),
        ("Chk Nbr", Field.CHECK),
        ("Check / Trace #", Field.CHECK),
        ("trace_number", Field.CHECK),
        ("PrimaryInsurancePaymentRef", Field.CHECK),
        ("Check/EFT #", Field.CHECK),
        ("PrimaryInsuranceAdjudicationDate", Field.NOTICE_DATE),
        ("Received Date", Field.NOTICE_DATE),
        ("RECEIVED", Field.NOTICE_DATE),
        ("check_date", Field.NOTICE_DATE),
        ("Date Denied", Field.NOTICE_DATE),
        ("PostingDate", Field.POSTED_DATE),
        ("Proc Dt", Field.POSTED_DATE),
        ("RenderingProviderName", Field.RENDERING_PROVIDER),
        ("Rndrng Prvdr", Field.RENDERING_PROVIDER),
        ("Clinician", Field.RENDERING_PROVIDER),
        ("NPI", Field.RENDERING_NPI),
        ("Rendering NPI", Field.RENDERING_NPI),
        ("ServiceLocationName", Field.LOCATION),
        ("Loc Name", Field.LOCATION),
        ("Clm Sts Cod", Field.STATUS),
        ("Status w/ Payer", Field.STATUS),
        ("billing_status", Field.STATUS),
        ("claim_status", Field.STATUS),
        ("line_item", Field.LINE),
        ("Charge ID", Field.LINE),
        ("File", Field.ERA_FILE),
    ],
)
def test_header_synonym_is_recognised(header: str, expected: Field) -> None:
    found = match_header(["", header, ""])
    assert found is not None
    columns = dict(found.columns)
    if expected is Field.PATIENT_ACCOUNT:  # alone, the account stands for the claim number
        assert columns.pop(Field.CLAIM) == [1]
    assert columns == {expected: [1]}


def test_unrelated_headers_are_not_matched_by_substring() -> None:
    found = match_header(["Patient Balance", "Insurance Balance", "Service End Date"])
    assert found is not None
    assert found.columns == {}


def test_two_headers_for_one_field_are_kept_in_priority_order() -> None:
    found = match_header(["Reason Cd", "Pyr Nam", "CAGC/CARC"])
    assert found is not None
    assert found.columns[Field.CARC] == [2, 0]  # CAGC/CARC first, the bare Reason Cd after


def test_header_is_found_after_title_lines_and_between_blank_columns() -> None:
    records = [
        ["Payments and Adjustments by Service Line", "", ""],
        ["Date Type: Posting Date   Dates: 10/01/2026 to 10/31/2026", "", ""],
        ["", "", ""],
        ["Claim ID", "", "Primary Insurance Company Name", "", "Total Charges", "", "Status"],
        ["5101Z88001", "", "Aetna", "", "$150.00", "", "Settled"],
    ]
    found = find_header(records)
    assert found is not None
    assert found.header.index == 3
    assert found.header.columns[Field.CLAIM] == [0]
    assert found.header.columns[Field.PAYER] == [2]
    assert found.missing() == []


def test_a_header_without_a_claim_column_is_found_and_says_so() -> None:
    found = find_header([["Payer", "Billed", "Status"], ["Aetna", "1.00", "Paid"]])
    assert found is not None
    assert [need.what for need in found.missing()] == ["the claim number (e.g. Claim ID)"]


def test_a_title_line_alone_is_no_header() -> None:
    assert find_header([["Denial report for October"], ["printed 11/02/2026"]]) is None


def test_missing_lists_what_the_importer_needs() -> None:
    found = find_header([["Claim ID", "DOS", "CPT"]])
    assert found is not None
    missing = [need.what for need in found.missing()]
    assert len(missing) == 3
    assert any("payer" in need for need in missing)
    assert any("amount" in need for need in missing)
    assert any("CARC" in need for need in missing)


def test_parse_mapping_option_reads_field_header_pairs() -> None:
    mapping = parse_mapping_option("claim=Clm Nbr,payer=Pyr Nam, billed = Bill Amt ")
    assert dict(mapping.headers) == {
        Field.CLAIM: "Clm Nbr",
        Field.PAYER: "Pyr Nam",
        Field.BILLED: "Bill Amt",
    }


def test_parse_mapping_option_keeps_commas_inside_a_header() -> None:
    mapping = parse_mapping_option('carc="Code, Group",claim=Claim')
    assert mapping.headers[Field.CARC] == "Code, Group"
    assert mapping.headers[Field.CLAIM] == "Claim"


def test_parse_mapping_option_accepts_common_aliases() -> None:
    mapping = parse_mapping_option("claim_id=Ref,cpt=Proc,check_date=Paid On")
    assert set(mapping.headers) == {Field.CLAIM, Field.PROCEDURE, Field.NOTICE_DATE}


def test_parse_mapping_option_names_unknown_fields() -> None:
    with pytest.raises(InputError, match=r"unknown fields clam, payor") as error:
        parse_mapping_option("clam=Clm Nbr,payor=Pyr Nam,billed=Bill Amt")
    assert "claim" in str(error.value)  # the known names are listed to fix the typo


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("claim", "is not field=Header"),
        ("claim=", "no header text given for claim"),
        ("", "no columns given"),
        ("claim=A,claim=B", "claim is given twice"),
        ("claim=A,claim_id=B", "claim is given twice"),
    ],
)
def test_parse_mapping_option_explains_bad_input(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_mapping_option(text)


def test_column_mapping_from_a_yaml_dict() -> None:
    mapping = ColumnMapping.from_dict({"claim": "Ref No", "payer": "Ins Co"})
    assert mapping.headers == {Field.CLAIM: "Ref No", Field.PAYER: "Ins Co"}
    with pytest.raises(InputError, match="unknown field wat"):
        ColumnMapping.from_dict({"wat": "X"})
    with pytest.raises(InputError, match="no header text given for payer"):
        ColumnMapping.from_dict({"claim": "Ref No", "payer": 12})


def test_column_mapping_from_a_yaml_file() -> None:
    mapping = mapping_from_yaml("claim: Clm Nbr\npayer: Pyr Nam\n")
    assert mapping.headers == {Field.CLAIM: "Clm Nbr", Field.PAYER: "Pyr Nam"}
    with pytest.raises(InputError, match="field: Header"):
        mapping_from_yaml("- claim\n- payer\n")
    with pytest.raises(InputError, match="not valid YAML"):
        mapping_from_yaml("claim: [unclosed\n")


def test_mapping_overrides_auto_detection_and_takes_the_column_from_other_fields() -> None:
    mapping = parse_mapping_option("claim=Encounter ID")
    found = match_header(["Claim ID", "Encounter ID", "Payer"], mapping)
    assert found is not None
    assert found.columns[Field.CLAIM] == [1]
    assert Field.ENCOUNTER not in found.columns


def test_one_header_may_be_named_for_two_fields() -> None:
    mapping = parse_mapping_option("carc=Code,group=Code")
    found = match_header(["Claim ID", "Code"], mapping)
    assert found is not None
    assert (found.columns[Field.CARC], found.columns[Field.GROUP]) == ([1], [1])


def test_mapping_header_that_is_absent_matches_nothing() -> None:
    assert match_header(["Claim ID"], parse_mapping_option("payer=Carrier Co")) is None


def test_layout_name_recognises_systems_and_falls_back() -> None:
    nextgen = match_header(["Clm Nbr", "Pyr Nam", "CAGC/CARC"])
    plain = match_header(["Claim ID", "Payer", "Billed"])
    assert nextgen is not None
    assert plain is not None
    assert layout_name(nextgen, None) == "NextGen ERA import posting"
    assert layout_name(plain, None) == "generic denial export"
    assert layout_name(plain, parse_mapping_option("claim=Claim ID")) == (
        "columns named for this layout"
    )
    assert layout_name(plain, None, "tab-separated") == "generic denial export (tab-separated)"
