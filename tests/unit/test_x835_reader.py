"""The 835 reader: one test per rule, on small handwritten 835s, plus every sample file."""

from __future__ import annotations

import io
import re
import tracemalloc
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bot.domain.records import (
    Adjustment,
    ClaimKind,
    ClaimRecord,
    ImportWarning,
    Party,
    ProviderAdjustment,
    RemittanceInfo,
)
from bot.errors import InputError
from bot.importers.x12_segments import CHUNK_SIZE
from bot.importers.x835 import read_835

DATA = Path(__file__).resolve().parents[1] / "data" / "x12"
NOTHING_STORED = "Nothing from this file was stored"

# -- builders: a valid 835 by default, each part replaceable ----------------------------------

ISA_5010 = (
    "ISA*00*          *00*          *ZZ*PAYERSENDER    *ZZ*PROVRECEIVER   "
    "*260115*1200*^*00501*000000001*0*P*:"
)
ISA_4010 = ISA_5010.replace("*^*00501*", "*U*00401*")
HEADER = (
    "BPR*I*80*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20260112",
    "TRN*1*CHECK0001*1512345678",
    "DTM*405*20260110",
    "N1*PR*ACME HEALTH PLAN*XV*N1PAYER",
    "REF*2U*REFPAYER",
    "N1*PE*GOOD CLINIC*XX*1234567893",
)


def claim(
    number: str = "C1",
    status: str = "1",
    billed: str = "100",
    paid: str = "80",
    *extra: str,
    responsibility: str = "20",
    payer_claim: str = "PCN1",
) -> list[str]:
    return [f"CLP*{number}*{status}*{billed}*{paid}*{responsibility}*12*{payer_claim}", *extra]


def line(
    procedure: str = "HC:99213",
    billed: str = "100",
    paid: str = "80",
    *extra: str,
    units: str = "1",
) -> list[str]:
    return [f"SVC*{procedure}*{billed}*{paid}**{units}", *extra]


def transaction(
    *body: Iterable[str] | str, header: Iterable[str] = HEADER, control: str = "0001"
) -> list[str]:
    segments = [f"ST*835*{control}", *header, "LX*1"]
    for part in body:
        segments.extend([part] if isinstance(part, str) else part)
    return [*segments, f"SE*{len(segments) + 1}*{control}"]


def group(
    *transactions: list[str], date_: str = "20260115", version: str = "005010X221A1"
) -> list[str]:
    segments = [f"GS*HP*PAYERSENDER*PROVRECEIVER*{date_}*1200*1*X*{version}"]
    for part in transactions:
        segments.extend(part)
    return [*segments, f"GE*{len(transactions)}*1"]


def interchange(*groups: list[str], isa: str = ISA_5010) -> list[str]:
    segments = [isa]
    for part in groups:
        segments.extend(part)
    return [*segments, f"IEA*{len(groups)}*000000001"]


def x835(*body: Iterable[str] | str, header: Iterable[str] = HEADER) -> bytes:
    """A one-transaction 835 around `body` (claims, lines, PLB…)."""
    return encode(interchange(group(transaction(*body, header=header))))


def encode(segments: list[str], terminator: str = "~") -> bytes:
    return "".join(segment + terminator for segment in segments).encode()


def read(data: bytes) -> tuple[list[ClaimRecord | ProviderAdjustment], list[ImportWarning]]:
    remittance = read_835(io.BytesIO(data), file_name="test.835")
    records = list(remittance)
    return records, remittance.warnings


def claims(data: bytes) -> list[ClaimRecord]:
    return [record for record in read(data)[0] if isinstance(record, ClaimRecord)]


def only_claim(data: bytes) -> ClaimRecord:
    (found,) = claims(data)
    return found


def refusal(data: bytes) -> InputError:
    with pytest.raises(InputError) as refused:
        read(data)
    return refused.value


# -- claims -----------------------------------------------------------------------------------


def test_claim_fields_come_from_clp() -> None:
    found = only_claim(x835(claim("PCN-77", "1", "150.50", "120.25", payer_claim="PAYER9")))
    assert found.claim_number == "PCN-77"
    assert found.status_code == "1"
    assert found.kind is ClaimKind.ADJUDICATED
    assert (found.billed, found.paid) == (Decimal("150.50"), Decimal("120.25"))
    assert found.patient_responsibility == Decimal(20)
    assert found.payer_claim_number == "PAYER9"


def test_empty_patient_responsibility_is_none() -> None:
    assert only_claim(x835(claim(responsibility=""))).patient_responsibility is None


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        ("1", ClaimKind.ADJUDICATED),
        ("2", ClaimKind.ADJUDICATED),
        ("3", ClaimKind.ADJUDICATED),
        ("4", ClaimKind.ADJUDICATED),  # the denial rules treat 4 as a whole-claim denial
        ("19", ClaimKind.ADJUDICATED),
        ("20", ClaimKind.ADJUDICATED),
        ("21", ClaimKind.ADJUDICATED),
        ("22", ClaimKind.REVERSAL),
        ("23", ClaimKind.FORWARDED),
        ("25", ClaimKind.PREDETERMINATION),
    ],
)
def test_claim_status_decides_the_kind(status: str, kind: ClaimKind) -> None:
    assert only_claim(x835(claim(status=status))).kind is kind


def test_reversal_keeps_negated_amounts() -> None:
    found = only_claim(x835(claim("C1", "22", "-100", "-80", "CAS*CO*45*-20", "REF*F8*ORIG1")))
    assert found.kind is ClaimKind.REVERSAL
    assert (found.billed, found.paid) == (Decimal(-100), Decimal(-80))
    assert found.adjustments == (Adjustment("CO", "45", Decimal(-20)),)
    assert found.original_reference == "ORIG1"


def test_an_unknown_claim_status_refuses_the_file() -> None:
    """Read as adjudicated, it could invent a denial: the file is not whole."""
    with pytest.raises(InputError, match=r'segment 11 \(CLP\): claim status CLP02 "7" is not'):
        read(x835(claim(status="7")))


def test_source_line_is_the_clp_segment_number() -> None:
    found = claims(x835(claim("C1"), claim("C2")))
    # ISA, GS, ST, 6 header segments, LX → the first CLP is segment 11
    assert [c.source_line for c in found] == [11, 12]


def test_claim_level_cas_is_kept_apart_from_line_cas() -> None:
    found = only_claim(
        x835(
            claim("C1", "1", "100", "50", "CAS*CO*A2*10"),
            line("HC:99213", "100", "60", "CAS*CO*45*40"),
        )
    )
    assert found.adjustments == (Adjustment("CO", "A2", Decimal(10)),)
    assert found.lines[0].adjustments == (Adjustment("CO", "45", Decimal(40)),)


def test_cas_reads_up_to_six_triplets_with_quantities() -> None:
    cas = "CAS*PR*1*10*1*2*20**3*30*3*66*40**142*50*5*187*60"
    found = only_claim(x835(claim("C1", "1", "300", "90", cas)))
    assert [(a.carc, a.amount, a.quantity) for a in found.adjustments] == [
        ("1", Decimal(10), Decimal(1)),
        ("2", Decimal(20), None),
        ("3", Decimal(30), Decimal(3)),
        ("66", Decimal(40), None),
        ("142", Decimal(50), Decimal(5)),
        ("187", Decimal(60), None),
    ]
    assert {a.group for a in found.adjustments} == {"PR"}


@pytest.mark.parametrize(
    ("cas", "words"),
    [
        # the CAS typo of the issue: the denial used to disappear with a warning
        ("CAS*CO*197*63O", 'amount "63O" in CAS03 is not a number'),
        # affect_sample_835.txt's template line
        ("CAS*grp_code*reason_code*amount*quantity", 'CAS01 group code "grp_code" is not'),
        ("CAS*CO*reason_code*20", 'CAS02 "reason_code" is not a reason code'),
        ("CAS*CO**20", "CAS02 is empty"),
        ("CAS*CO*45", "CAS03 is empty but must hold an amount"),
        ("CAS*CO*45*20*X", 'CAS04 "X" is not a number of units'),
        ("CAS*CO*45*20**97*1O", 'amount "1O" in CAS06 is not a number'),
        ("CAS*CO*45*12345678901234567890", 'amount "12345678901234567890" in CAS03 is too large'),
    ],
)
def test_an_unreadable_cas_refuses_the_file_naming_segment_and_element(
    cas: str, words: str
) -> None:
    with pytest.raises(InputError, match=re.escape(words)) as refused:
        read(x835(claim("C1", "1", "100", "80", cas)))
    assert (refused.value.segment_number, refused.value.segment_id) == (12, "CAS")
    assert "Nothing from this file was stored" in str(refused.value)


def test_a_repeated_triplet_is_read_the_same_and_refused_the_same() -> None:
    # Triplets are shared between claims once read (x835_claims._known_adjustments): what is
    # refused once must be refused again, never taken from the cache.
    body = [*claim("C1", "1", "100", "80", "CAS*CO*45*20"), *claim("C2", "1", "100", "80")]
    body += ["CAS*CO*45*20", "CAS*CO*45*20"]
    records, warnings = read(x835(*body))
    first, second = (r.adjustments for r in records)  # type: ignore[union-attr]
    assert first == (Adjustment("CO", "45", Decimal("20")),)
    assert second == (Adjustment("CO", "45", Decimal("20")),) * 2
    assert warnings == []
    for _ in range(2):
        with pytest.raises(InputError, match="CAS04"):
            read(x835(claim("C1", "1", "100", "80", "CAS*CO*45*20*X")))


@pytest.mark.parametrize(
    ("element", "words"),
    [
        ("SVC*HC:99213*12345678901234567*0**1", 'amount "12345678901234567" in SVC02 is too large'),
        ("SVC*HC:99213*100*0**1O", 'SVC05 "1O" is not a number of units'),
    ],
)
def test_an_unreadable_service_line_value_refuses_the_file(element: str, words: str) -> None:
    with pytest.raises(InputError, match=re.escape(words)):
        read(x835(claim("C1", "1", "100", "0", element)))


def test_a_20_digit_claim_amount_is_refused_naming_the_element() -> None:
    with pytest.raises(
        InputError,
        match=r'segment 11 \(CLP\): amount "12345678901234567890" in CLP04 is too large',
    ):
        read(x835(claim("C1", "1", "100", "12345678901234567890")))


def test_records_are_built_with_every_field_set() -> None:
    from bot.importers.x835_claims import _slot_setters

    with pytest.raises(TypeError, match="fields"):
        _slot_setters(Party, "name")
    found = only_claim(x835(claim("C1", "1", "100", "80")))
    assert found == ClaimRecord(**{f: getattr(found, f) for f in ClaimRecord.__slots__})


def test_unknown_group_and_carc_are_kept_raw_without_warning() -> None:
    records, warnings = read(x835(claim("C1", "1", "100", "80", "CAS*XX*ZZ9*20")))
    assert records[0].adjustments == (Adjustment("XX", "ZZ9", Decimal(20)),)  # type: ignore[union-attr]
    assert warnings == []


def test_4010_cr_group_is_kept() -> None:
    data = encode(
        interchange(
            group(
                transaction(claim("C1", "22", "-100", "-80", "CAS*CR*45*-20")),
                version="004010X091A1",
            ),
            isa=ISA_4010,
        )
    )
    found = only_claim(data)
    assert found.adjustments[0].group == "CR"
    assert found.remittance.version == "004010X091A1"


def test_moa_and_mia_remark_codes_are_claim_remarks() -> None:
    mia = "MIA*0***0*MA01" + "*" * 14 + "*N20*N21*N22*N23"  # MIA05, MIA20-23
    found = only_claim(x835(claim("C1", "1", "100", "80", mia, "MOA**0*MA130*N211*M1*M2*M3*MA01")))
    assert found.remarks == ("MA01", "N20", "N21", "N22", "N23", "MA130", "N211", "M1", "M2", "M3")


def test_lq_he_codes_are_line_remarks_and_lq_rx_is_ignored() -> None:
    found = only_claim(
        x835(
            claim(),
            line(
                "HC:99213",
                "100",
                "80",
                "CAS*CO*16*20",
                "LQ*HE*N290",
                "LQ*RX*12",
                "LQ*HE*M127",
                "LQ*HE*N290",
            ),
        )
    )
    assert found.lines[0].remarks == ("N290", "M127")
    assert found.remarks == ()


def test_patient_and_rendering_provider_come_from_nm1() -> None:
    found = only_claim(
        x835(
            claim(
                "C1",
                "1",
                "100",
                "80",
                "NM1*QC*1*DOE*JANE*Q***MI*MEMBER1",
                "NM1*82*1*SMITH*JOHN****XX*1999999984",
            )
        )
    )
    assert found.patient == Party("DOE, JANE Q", "MEMBER1")
    assert found.rendering_provider == Party("SMITH, JOHN", "1999999984")


def test_rendering_provider_id_is_kept_only_when_it_is_an_npi() -> None:
    found = only_claim(x835(claim("C1", "1", "100", "80", "NM1*82*2*ACME GROUP*****BD*987")))
    assert found.rendering_provider == Party("ACME GROUP", None)


def test_claim_dates_come_from_dtm_232() -> None:
    found = only_claim(
        x835(
            claim("C1", "1", "100", "80", "DTM*232*20260105", "DTM*233*20260106"),
            line("HC:99213", "100", "80", "DTM*472*20260101"),
        )
    )
    assert found.service_date == date(2026, 1, 5)
    assert found.lines[0].service_date == date(2026, 1, 1)


def test_service_date_falls_back_to_the_earliest_line_date() -> None:
    found = only_claim(
        x835(
            claim("C1", "1", "200", "160"),
            line("HC:99213", "100", "80", "DTM*472*20260108"),
            line("HC:99214", "100", "80", "DTM*150*20260103", "DTM*151*20260104"),
        )
    )
    assert found.service_date == date(2026, 1, 3)
    assert [ln.service_date for ln in found.lines] == [date(2026, 1, 8), date(2026, 1, 3)]


def test_service_line_fields() -> None:
    found = only_claim(
        x835(
            claim(),
            line("HC:99213:25:LT", "100", "80", "DTM*472*20260101", "REF*6R*LINE-1", units="2"),
        )
    )
    (service,) = found.lines
    assert (service.qualifier, service.procedure, service.modifiers) == (
        "HC",
        "99213",
        ("25", "LT"),
    )
    assert (service.billed, service.paid, service.units) == (Decimal(100), Decimal(80), Decimal(2))
    assert service.line_control == "LINE-1"
    assert service.original_procedure is None


def test_svc06_is_the_original_procedure() -> None:
    found = only_claim(x835(claim(), ["SVC*HC:59430*1210*1057.86**1*HC:59410"]))
    assert (found.lines[0].procedure, found.lines[0].original_procedure) == ("59430", "59410")


def test_svc_composite_with_another_separator_than_isa16_is_read() -> None:
    # lfh_secondary-payment.835: `SVC*HC>12345>26` while ISA16 is `:`.
    found = only_claim(x835(claim(), line("HC>12345>26")))
    assert (found.lines[0].procedure, found.lines[0].modifiers) == ("12345", ("26",))


def test_revenue_code_line_keeps_its_qualifier() -> None:
    assert only_claim(x835(claim(), line("NU:0450"))).lines[0].qualifier == "NU"


def test_empty_svc_amounts_read_as_zero_with_a_warning() -> None:
    records, warnings = read(x835(claim(), ["SVC*HC:59426******742"]))
    assert records[0].lines[0].billed == Decimal(0)  # type: ignore[union-attr]
    assert [w.message for w in warnings] == [
        "SVC02 is empty; read as 0.",
        "SVC03 is empty; read as 0.",
    ]


def test_ref_f8_is_the_original_reference_and_ref_6r_the_line_control() -> None:
    found = only_claim(
        x835(
            claim("C1", "1", "100", "80", "REF*F8*ORIGINAL"), line("HC:1", "1", "1", "REF*6R*CTRL")
        )
    )
    assert (found.original_reference, found.lines[0].line_control) == ("ORIGINAL", "CTRL")


# -- header -------------------------------------------------------------------------------------


def remittance_of(data: bytes) -> RemittanceInfo:
    return only_claim(data).remittance


def test_header_facts() -> None:
    info = remittance_of(x835(claim()))
    assert info.payment_amount == Decimal(80)
    assert info.payment_method == "ACH"
    assert info.payment_date == date(2026, 1, 12)
    assert info.check_number == "CHECK0001"
    assert info.production_date == date(2026, 1, 10)
    assert info.file_date == date(2026, 1, 15)
    assert info.version == "005010X221A1"
    assert info.transaction == "0001"
    assert info.payee == Party("GOOD CLINIC", "1234567893")


def test_ref_2u_payer_id_wins_over_n1_pr04() -> None:
    assert remittance_of(x835(claim())).payer.identifier == "REFPAYER"


def test_n1_pr04_is_the_payer_id_without_ref_2u() -> None:
    header = tuple(s for s in HEADER if not s.startswith("REF*2U"))
    payer = remittance_of(x835(claim(), header=header)).payer
    assert (payer.name, payer.identifier) == ("ACME HEALTH PLAN", "N1PAYER")


def test_bpr15_holds_the_date_when_bpr_is_one_element_short() -> None:
    header = ("BPR*I*1222.00*C*CHK***********20050412", *HEADER[1:])
    assert remittance_of(x835(claim(), header=header)).payment_date == date(2005, 4, 12)


def test_bpr15_account_number_is_not_taken_for_a_date() -> None:
    header = ("BPR*I*80*C*ACH*CCP*01*999*DA*123*1512345678**01*999*DA*20050412", *HEADER[1:])
    assert remittance_of(x835(claim(), header=header)).payment_date is None


@pytest.mark.parametrize(
    ("segment", "bad"),
    [
        ("BPR*I*80*C*ACH*CCP*01*9*DA*1*1512345678**01*9*DA*1*20002316", "BPR16"),
        ("DTM*405*11111111", "DTM*405"),
    ],
)
def test_invalid_header_date_is_ignored_with_a_warning(segment: str, bad: str) -> None:
    header = tuple(segment if s[:3] == segment[:3] else s for s in HEADER)
    records, warnings = read(x835(claim(), header=header))
    info = records[0].remittance
    assert info is not None
    assert None in (info.payment_date, info.production_date)
    assert len(warnings) == 1
    assert bad in warnings[0].message
    assert warnings[0].segment_id == segment[:3]


def test_several_transactions_per_group_and_groups_per_interchange() -> None:
    other_payer = ("BPR*I*5*C*CHK************20260201", "TRN*1*CHECK2", "N1*PR*OTHER PLAN")
    data = encode(
        interchange(
            group(
                transaction(claim("A1")),
                transaction(claim("A2"), header=other_payer, control="0002"),
            ),
            group(transaction(claim("B1"), control="0003"), date_="20260120"),
        )
    )
    records, warnings = read(data)
    assert warnings == []
    found = [r for r in records if isinstance(r, ClaimRecord)]
    assert [c.claim_number for c in found] == ["A1", "A2", "B1"]
    assert [c.remittance.payer.name for c in found] == [
        "ACME HEALTH PLAN",
        "OTHER PLAN",
        "ACME HEALTH PLAN",
    ]
    assert [c.remittance.transaction for c in found] == ["0001", "0002", "0003"]
    assert found[2].remittance.file_date == date(2026, 1, 20)
    assert found[1].remittance.check_number == "CHECK2"


def test_several_interchanges_in_one_file() -> None:
    one = interchange(group(transaction(claim("A1"))))
    two = interchange(group(transaction(claim("B1"))), isa=ISA_4010)
    assert [
        c.claim_number for c in claims(encode(one) + b"\r\n" + encode(two, terminator="\n"))
    ] == ["A1", "B1"]


def test_header_repeated_after_the_claims_is_ignored_with_one_warning() -> None:
    # pyx12_bad_header_looping_4010.txt repeats N1*PR… after its claims.
    data = x835(claim("C1"), "N1*PR*ANOTHER NAME", "N1*PE*ANOTHER PAYEE", "LX*1", claim("C2"))
    records, warnings = read(data)
    assert [r.remittance.payer.name for r in records] == ["ACME HEALTH PLAN"] * 2  # type: ignore[union-attr]
    assert [w.segment_id for w in warnings] == ["N1"]


# -- PLB ----------------------------------------------------------------------------------------


def test_plb_becomes_provider_adjustments() -> None:
    plb = "PLB*1234567893*20261231*WO:CLAIM77*-361.19*L6*12.50*FB:REF1*10"
    records, warnings = read(x835(claim(), plb))
    adjustments = [r for r in records if isinstance(r, ProviderAdjustment)]
    assert warnings == []
    assert [(a.reason, a.reference, a.amount) for a in adjustments] == [
        ("WO", "CLAIM77", Decimal("-361.19")),
        ("L6", None, Decimal("12.50")),
        ("FB", "REF1", Decimal(10)),
    ]
    assert {(a.provider_id, a.fiscal_period) for a in adjustments} == {
        ("1234567893", date(2026, 12, 31))
    }
    assert adjustments[0].remittance is not None
    assert adjustments[0].remittance.check_number == "CHECK0001"


def test_plb_with_an_empty_amount_refuses_the_file() -> None:
    with pytest.raises(InputError, match=r"PLB04 \(amount\) is empty for the provider"):
        read(x835(claim(), "PLB*1002*20211216*resnCode>adjID>5***"))


def test_transaction_with_only_plb() -> None:
    records, _ = read(x835("PLB*1*20261231*CS:X*5"))
    assert len(records) == 1
    assert isinstance(records[0], ProviderAdjustment)


# -- envelope warnings ------------------------------------------------------------------------


def test_se_count_mismatch_is_a_warning() -> None:
    data = x835(claim()).replace(b"SE*10*0001", b"SE*99999*0001")
    records, warnings = read(data)
    assert len(records) == 1
    assert [(w.segment_id, w.segment_number) for w in warnings] == [("SE", 12)]
    assert "99999" in warnings[0].message


def test_ge_and_iea_count_mismatches_are_warnings() -> None:
    data = x835(claim()).replace(b"GE*1*1", b"GE*3*1").replace(b"IEA*1*", b"IEA*2*")
    records, warnings = read(data)
    assert len(records) == 1
    assert [w.segment_id for w in warnings] == ["GE", "IEA"]


def test_file_without_envelope_reads_with_a_warning() -> None:
    data = encode(transaction(claim()))
    records, warnings = read(data)
    assert len(records) == 1
    assert records[0].remittance.file_date is None  # type: ignore[union-attr]
    assert [w.segment_id for w in warnings] == ["ST"]


def test_warnings_are_capped() -> None:
    bad = "LQ*HE*N1"  # outside a service line: ignored with a warning
    records, warnings = read(x835(claim("C1", "1", "100", "80", *[bad] * 250)))
    assert len(records) == 1
    assert len(warnings) == 201
    assert warnings[-1].message == "50 more warnings not shown."


def test_bytes_read_follows_the_stream() -> None:
    data = x835(claim())
    remittance = read_835(io.BytesIO(data))
    assert remittance.bytes_read == 0
    list(remittance)
    assert remittance.bytes_read == len(data)


def test_a_remittance_is_read_once() -> None:
    remittance = read_835(io.BytesIO(x835(claim())))
    list(remittance)
    with pytest.raises(RuntimeError, match="read once"):
        iter(remittance)


# -- refusals -----------------------------------------------------------------------------------


def assert_refused(data: bytes, text: str, number: int | None, segment_id: str | None) -> None:
    refused = refusal(data)
    assert text in refused.message
    assert NOTHING_STORED in refused.message
    assert (refused.segment_number, refused.segment_id) == (number, segment_id)
    if number is not None:
        assert str(refused).startswith(f"segment {number} ({segment_id}): ")


def test_empty_file_is_refused() -> None:
    assert_refused(b"", "the file is empty", None, None)


def test_binary_junk_is_refused() -> None:
    assert_refused(
        b"\x89PNG\r\n\x1a\n\x00\x00",
        "this is not an X12 file: it does not start with ISA or ST",
        None,
        None,
    )


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("837", "this is an 837 claim file, not an 835 remittance"),
        ("277", "a 277 claim status file"),
    ],
)
def test_other_transactions_are_refused_by_name(kind: str, words: str) -> None:
    data = x835(claim()).replace(b"ST*835*", f"ST*{kind}*".encode())
    assert_refused(data, words, 3, "ST")


def test_missing_se_is_refused_as_truncated() -> None:
    segments = interchange(group(transaction(claim())))
    cut = [s for s in segments if not s.startswith(("SE", "GE", "IEA"))]
    assert_refused(
        encode(cut),
        "the file ends inside the transaction that starts at segment 3 (ST)",
        len(cut),
        "CLP",
    )


def test_segment_cut_midway_without_iea_is_refused() -> None:
    data = x835(claim())
    data = data[: data.index(b"GE*")] + b"GE*1"
    assert_refused(data, "ends in the middle of segment GE", 13, "GE")


def test_st_inside_an_open_transaction_is_refused() -> None:
    segments = interchange(group(transaction(claim()), transaction(claim("C2"))))
    segments.remove("SE*10*0001")
    assert_refused(encode(segments), "has no SE before this ST", 12, "ST")


@pytest.mark.parametrize(
    ("body", "element", "number", "segment_id"),
    [
        (claim("C1", "1", "100", "12A.0"), "CLP04", 11, "CLP"),
        (claim("C1", "1", "1O0", "80"), "CLP03", 11, "CLP"),
        ([*claim(), *line("HC:99213", "100", "8,0")], "SVC03", 12, "SVC"),
        ([*claim(), "PLB*1*20261231*WO:1*ten"], "PLB04", 12, "PLB"),
    ],
)
def test_non_numeric_required_amount_is_refused(
    body: list[str], element: str, number: int, segment_id: str
) -> None:
    assert_refused(x835(body), f"in {element} is not a number", number, segment_id)


def test_non_numeric_payment_amount_is_refused() -> None:
    header = ("BPR*I*1,000.00*C*CHK************20260112", *HEADER[1:])
    assert_refused(
        x835(claim(), header=header), 'amount "1,000.00" in BPR02 is not a number', 4, "BPR"
    )


def test_empty_claim_amount_is_refused() -> None:
    assert_refused(x835(claim("C1", "1", "100", "")), "CLP04 is empty", 11, "CLP")


@pytest.mark.parametrize(
    ("body", "number"),
    [
        (claim("C1", "1", "100", "80", "DTM*232*20261345"), 12),
        ([*claim(), *line("HC:99213", "100", "80", "DTM*472*20260230")], 13),
    ],
)
def test_impossible_claim_or_line_date_is_refused(body: list[str], number: int) -> None:
    assert_refused(x835(body), "is not a real date", number, "DTM")


def test_clp_outside_a_transaction_is_refused() -> None:
    segments = interchange(group(transaction(claim())))
    segments.insert(segments.index("GE*1*1"), "CLP*C9*1*1*1")
    assert_refused(encode(segments), "a claim (CLP) appears outside a transaction", 13, "CLP")


def test_missing_st_is_refused() -> None:
    segments = [s for s in interchange(group(transaction(claim()))) if not s.startswith("ST")]
    assert_refused(encode(segments), "the ST that should open it is missing", 3, "BPR")


def test_file_without_any_transaction_is_refused() -> None:
    data = encode(["GS*HP*A*B*20260115*1200*1*X*005010X221A1", "GE*0*1"])
    assert_refused(data, "this is not an X12 file", None, None)
    data = encode(interchange(group()))
    assert_refused(data, "the file has no 835 transaction", None, None)


def test_cas_before_any_claim_is_refused() -> None:
    assert_refused(x835("CAS*CO*45*10", claim()), "CAS appears before any claim (CLP)", 11, "CAS")


def test_refusal_messages_carry_no_patient_name() -> None:
    body = claim("C1", "1", "100", "80", "NM1*QC*1*DOE*JANE****MI*M1", "DTM*232*2026")
    refused = refusal(x835(body))
    assert "DOE" not in str(refused)
    assert "JANE" not in str(refused)


# -- streaming ----------------------------------------------------------------------------------


class GeneratedStream(io.RawIOBase):
    """A binary stream fed by a generator, so the test never holds the whole file either."""

    def __init__(self, parts: Iterator[bytes]) -> None:
        self._parts = parts
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        while not self._pending:
            part = next(self._parts, None)
            if part is None:
                return 0
            self._pending = part
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def test_memory_stays_flat_while_streaming_a_large_file() -> None:
    repeats = 4000
    # REF*CE (plan name) is padded so that the file, many times the reader's 1 MB chunk, stays
    # quick to read under tracemalloc.
    claim_segments = [
        *claim("C1", "1", "200", "150", "NM1*QC*1*DOE*JANE****MI*M1", "DTM*232*20260105"),
        "REF*CE*" + "OPEN CHOICE PLAN " * 200,
        *line("HC:99213:25", "100", "75", "DTM*472*20260105", "CAS*CO*45*25", "REF*6R*L1"),
        *line("HC:99214", "100", "75", "DTM*472*20260105", "CAS*PR*1*25", "LQ*HE*N130"),
    ]
    one_claim = encode(claim_segments)
    opening = ["ST*835*0001", *HEADER, "LX*1"]
    head = encode([ISA_5010, "GS*HP*A*B*20260115*1200*1*X*005010X221A1", *opening])
    se01 = len(opening) + repeats * len(claim_segments) + 1
    tail = encode([f"SE*{se01}*0001", "GE*1*1", "IEA*1*000000001"])
    size = len(head) + len(one_claim) * repeats + len(tail)

    def parts() -> Iterator[bytes]:
        yield head
        for _ in range(repeats):
            yield one_claim
        yield tail

    remittance = read_835(GeneratedStream(parts()))  # type: ignore[arg-type]
    tracemalloc.start()
    try:
        count = sum(1 for _ in remittance)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > 12 * CHUNK_SIZE
    assert count == repeats
    assert remittance.warnings == []
    assert remittance.bytes_read == size
    assert peak < size / 4, f"peak {peak} bytes for a {size}-byte file"


# -- every sample file ---------------------------------------------------------------------------

# (file, claims, CLP02=4, CLP02=22, PLB adjustments): counted from the files and checked against
# the samples README (profee 156 interchanges / 468 claims, WithMultipleInterchanges 56 / 16,
# DeIdent_01 19 reversals, DeIdent_02 375 claims, synth_1k 1000 claims).
SAMPLES = [
    ("affect_exhaustive_sample.txt", 1, 0, 0, 6),
    ("affect_nevada_medicaid.txt", 3, 2, 0, 6),
    ("edi835parser_blue_cross_nc_sample.txt", 1, 0, 0, 0),
    ("edi835parser_emedny_sample.txt", 3, 0, 0, 0),
    ("edi835parser_united_healthcare_legacy_sample.txt", 2, 0, 0, 0),
    ("lfh_cob-contractural-adjustment.835", 1, 0, 0, 0),
    ("lfh_managed-care.835", 2, 0, 0, 0),
    ("lfh_medicare-part-a.835", 2, 0, 0, 1),
    ("lfh_secondary-payment.835", 2, 0, 0, 0),
    ("lfh_tertiary-payment.835", 1, 0, 0, 0),
    ("oopfactory_835_DeIdent_01.dat", 96, 0, 19, 0),
    ("oopfactory_835_DeIdent_02.dat", 375, 1, 8, 1),
    ("oopfactory_835_WithMultipleInterchanges.txt", 56, 16, 0, 0),
    ("pyx12_835_mult_loops.txt", 1, 1, 0, 0),
    ("pyx12_835_simple_4010.txt", 3, 0, 2, 3),
    ("pyx12_bad_header_looping_4010.txt", 2, 2, 0, 0),
    ("tigershark_5010-835-example-1.txt", 3, 0, 0, 0),
    ("tigershark_5010-835-example-2.txt", 2, 0, 0, 0),
    ("tigershark_5010-835-example-3.txt", 2, 0, 0, 0),
    ("tigershark_835-example_pipe_4010.txt", 2, 0, 0, 1),
    ("x12parserjs_multi-line-not-delimited.edi", 3, 0, 0, 0),
    ("x12parserjs_profee-multiple.edi", 468, 0, 0, 0),
    ("synthetic/synth_1k.835", 1000, 91, 70, 3),
    *[
        (f"synthetic/malformed/{name}.835", 60, 11, 1, 3)
        for name in (
            "base",
            "bad_se_count",
            "bom",
            "crlf_indented",
            "isa_not_fixed_width",
            "no_envelope",
            "pipe_newline",
            "unknown_codes",
        )
    ],
]
REFUSED = {
    # garbage values (samples README): the CAS template line `CAS*grp_code*reason_code*amount`
    "affect_sample_835.txt": 'CAS01 group code "grp_code" is not',
    "synthetic/malformed/truncated.835": "looks cut off",
    "synthetic/malformed/bad_amount.835": 'amount "12A.0" in CLP04 is not a number',
}


def sample_files() -> list[str]:
    return sorted(
        str(path.relative_to(DATA))
        for path in DATA.rglob("*")
        if path.is_file()
        and path.parent.name != "LICENSES"
        and path.suffix not in (".md", ".277")  # the 277 family: test_x277_reader.py
    )


def test_every_sample_file_is_listed() -> None:
    assert sorted([name for name, *_ in SAMPLES] + list(REFUSED)) == sample_files()


@pytest.mark.parametrize(("name", "count", "denied", "reversed_", "plb"), SAMPLES)
def test_sample_file_reads(name: str, count: int, denied: int, reversed_: int, plb: int) -> None:
    with (DATA / name).open("rb") as handle:
        remittance = read_835(handle, file_name=name)
        records = list(remittance)
    found = [r for r in records if isinstance(r, ClaimRecord)]
    assert len(found) == count
    assert sum(c.status_code == "4" for c in found) == denied
    assert sum(c.kind is ClaimKind.REVERSAL for c in found) == reversed_
    assert len(records) - len(found) == plb
    patients = {c.patient.name for c in found if c.patient.name} | {
        part for c in found for part in c.patient.name.replace(",", " ").split() if len(part) > 3
    }
    for warning in remittance.warnings:  # no PHI in what users and logs see
        assert not any(name_part in warning.message for name_part in patients)


@pytest.mark.parametrize(("name", "words"), sorted(REFUSED.items()))
def test_broken_sample_file_is_refused(name: str, words: str) -> None:
    with (DATA / name).open("rb") as handle, pytest.raises(InputError, match=words):
        list(read_835(handle, file_name=name))


def test_profee_multiple_has_156_interchanges() -> None:
    with (DATA / "x12parserjs_profee-multiple.edi").open("rb") as handle:
        found = [r for r in read_835(handle) if isinstance(r, ClaimRecord)]
    assert len({id(c.remittance) for c in found}) == 156


def test_sample_expectations_from_the_readme() -> None:
    """Spot checks of what the samples README says each file exercises."""
    by_name = {}
    for name in (
        "lfh_secondary-payment.835",
        "lfh_managed-care.835",
        "edi835parser_united_healthcare_legacy_sample.txt",
    ):
        with (DATA / name).open("rb") as handle:
            by_name[name] = [r for r in read_835(handle) if isinstance(r, ClaimRecord)]
    secondary = by_name["lfh_secondary-payment.835"]
    assert secondary[0].remittance.payment_date == date(2005, 4, 12)  # BPR15 fallback
    assert secondary[1].lines[0].procedure == "12345"  # `>` composite while ISA16 is `:`
    assert secondary[0].rendering_provider.name == "ACME MEDICAL CENTER"
    managed = by_name["lfh_managed-care.835"]
    assert managed[0].remittance.payment_date is None  # BPR16 20002316
    assert managed[0].remittance.production_date == date(2002, 3, 14)
    assert managed[0].adjustments == (Adjustment("CO", "A2", Decimal("50.00")),)
    assert managed[0].service_date == date(2002, 3, 1)  # DTM*150 of the line
    legacy = by_name["edi835parser_united_healthcare_legacy_sample.txt"]
    assert legacy[0].remittance.payer.identifier is not None  # REF*2U
