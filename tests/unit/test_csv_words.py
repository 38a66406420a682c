"""Header splitting and abbreviation expansion (csv_words) and the word rules (csv_header_rules)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.importers.csv_columns import Field
from bot.importers.csv_header_rules import word_scores
from bot.importers.csv_words import content_words, expand, header_words, segment, split_header


@pytest.mark.parametrize(
    ("header", "pieces"),
    [
        ("Check #", ["check", "#"]),
        ("Claim No.", ["claim", "no"]),
        ("Grp/Rsn", ["grp", "rsn"]),
        ("paid_amount", ["paid", "amount"]),
        ("insurance.id_number", ["insurance", "id", "number"]),
        ("ServiceStartDate", ["service", "start", "date"]),
        ("CPTCode", ["cpt", "code"]),
        ("PatientDOB", ["patient", "dob"]),
        ("Modifier1", ["modifier", "1"]),
        ("ins1_paid", ["ins", "1", "paid"]),
        ("PRIMARYINSURANCE", ["primary", "insurance"]),
        ("CLAIMSTATUS", ["claim", "status"]),
        ("billedservicedate", ["billed", "service", "date"]),
        ("PATIENTCONTROLNUMBER", ["patient", "control", "number"]),
        ("", []),
        ("  --  ", []),
    ],
)
def test_split_header_splits_punctuation_camel_case_digits_and_run_together_words(
    header: str, pieces: list[str]
) -> None:
    assert split_header(header) == pieces


def test_segment_prefers_known_words_and_keeps_unknown_letters_together() -> None:
    assert segment("denialreason") == ["denial", "reason"]
    assert segment("chgamt") == ["chg", "amt"]
    assert segment("xyzclaim") == ["xyz", "claim"]
    assert segment("zzzz") == ["zzzz"]
    assert segment("a" * 500) == ["a" * 500]  # too long to be a header: left whole
    assert segment("payor") == ["payor"]  # short and not all known words: a word of its own
    assert segment("receipts") == ["receipts"]  # not "recei" + "pts"
    assert segment("invoice") == ["invoice"]  # not "in" + "voice"


@pytest.mark.parametrize(
    ("abbreviation", "words"),
    [
        ("amt", ("amount",)),
        ("chg", ("charge",)),
        ("pmt", ("payment",)),
        ("pd", ("paid",)),
        ("adj", ("adjustment",)),
        ("rsn", ("reason",)),
        ("cd", ("code",)),
        ("grp", ("group",)),
        ("rmk", ("remark",)),
        ("svc", ("service",)),
        ("dos", ("service", "date")),
        ("pt", ("patient",)),
        ("prov", ("provider",)),
        ("ins", ("insurance",)),
        ("carrier", ("payer",)),
        ("acct", ("account",)),
        ("clm", ("claim",)),
        ("ref", ("reference",)),
        ("nbr", ("number",)),
        ("no", ("number",)),
        ("#", ("number",)),
        ("eob", ("eob",)),
        ("era", ("era",)),
        ("npi", ("npi",)),
        ("charges", ("charge",)),
        ("codes", ("code",)),
        ("status", ("status",)),  # not a plural
        ("unheard", ("unheard",)),
    ],
)
def test_expand_gives_the_words_an_abbreviation_or_plural_stands_for(
    abbreviation: str, words: tuple[str, ...]
) -> None:
    assert expand(abbreviation) == words


def test_header_words_of_the_issue_headers() -> None:
    assert header_words("Adj Reason Codes") == ("adjustment", "reason", "code")
    assert header_words("Rmk Cd") == ("remark", "code")
    assert header_words("Svc Date") == ("service", "date")
    assert header_words("Check #") == ("check", "number")
    assert content_words("Date of Service") == {"date", "service"}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Charge Amt", Field.BILLED),
        ("Paid Amt", Field.PAID),
        ("Adj Reason Codes", Field.CARC),
        ("Check #", Field.CHECK),
        ("Chg", Field.BILLED),
        ("Pmt", Field.PAID),
        ("Adj", Field.ADJUSTMENT),
        ("Grp/Rsn", Field.CARC),
        ("Rmk Cd", Field.RARC),
        ("Svc Date", Field.SERVICE_DATE),
        ("Prov NPI", Field.RENDERING_NPI),
        ("Carrier", Field.PAYER),
        ("CLAIMID", Field.CLAIM),
        ("PRIMARYINSURANCE", Field.PAYER),
        ("SERVICEDATE", Field.SERVICE_DATE),
        ("CLAIMSTATUS", Field.STATUS),
        ("CHARGES", Field.BILLED),
        ("PAYMENTS", Field.PAID),
        ("Payer Claim Number", Field.PAYER_CLAIM),
        ("Ins Pmt", Field.PAID),
        ("Total Chg", Field.BILLED),
        ("Remit Dt", Field.NOTICE_DATE),
        ("Deposit Date", Field.POSTED_DATE),
        ("Rendering Prov", Field.RENDERING_PROVIDER),
        ("Pt Acct #", Field.PATIENT_ACCOUNT),
        ("Claim Adjustment Group Code", Field.GROUP),
        ("Payor", Field.PAYER),
        ("Insurer", Field.PAYER),
        ("Invoice #", Field.CLAIM),
        ("Receipts", Field.PAID),
        ("Deny Code", Field.CARC),
        ("Write Off Amt", Field.ADJUSTMENT),
        ("ServiceFrom", Field.SERVICE_DATE),
    ],
)
def test_word_rules_name_the_field(header: str, field: Field) -> None:
    scores = word_scores(header)
    assert max(scores, key=lambda name: scores[name]) is field


@pytest.mark.parametrize(
    ("header", "not_field"),
    [
        ("Patient Paid", Field.PAID),
        ("Payment Date", Field.PAID),
        ("Billing NPI", Field.RENDERING_NPI),
        ("Claim Status", Field.CLAIM),
        ("Check Date", Field.SERVICE_DATE),
        ("Insurance Balance", Field.PAYER),
        ("Unit Charge", Field.BILLED),
        ("Group Number", Field.GROUP),
    ],
)
def test_word_rules_rule_out_look_alike_headers(header: str, not_field: Field) -> None:
    assert not_field not in word_scores(header)


@given(st.text(max_size=200))
def test_header_words_never_raise(text: str) -> None:
    words = header_words(text)
    assert all(isinstance(word, str) and word for word in words)
    word_scores(text)
