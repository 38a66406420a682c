"""The 277 reader (claim status, 277RFAI, 277CA): one test per rule, and every sample file."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bot.domain.claim_status import StatusLevel, StatusRecord, StatusTransaction
from bot.domain.records import Party
from bot.errors import InputError
from bot.importers.x12_detect import transaction_set
from bot.importers.x277 import read_277
from tests.support.x277 import ACK, RFAI, STATUS, ClaimSpec, LineSpec, make_277

DATA = Path(__file__).resolve().parents[1] / "data" / "x12"
SYNTHETIC = DATA / "synthetic" / "277"
NOTHING_STORED = "Nothing from this file was stored"


def records(data: bytes) -> list[StatusRecord]:
    return list(read_277(io.BytesIO(data)))


def refusal(data: bytes) -> InputError:
    with pytest.raises(InputError) as caught:
        records(data)
    assert NOTHING_STORED in str(caught.value)
    return caught.value


# -- which 277 a transaction is -------------------------------------------------------------


@pytest.mark.parametrize(
    ("guide", "transaction"),
    [
        (RFAI, StatusTransaction.REQUEST),
        (ACK, StatusTransaction.ACKNOWLEDGMENT),
        (STATUS, StatusTransaction.CLAIM_STATUS),
    ],
)
def test_the_guide_in_st03_names_the_transaction(
    guide: str, transaction: StatusTransaction
) -> None:
    (record,) = records(make_277([ClaimSpec()], guide=guide))
    assert record.header.transaction is transaction
    assert record.header.version == guide


def test_an_unknown_guide_is_read_as_claim_status_with_a_warning() -> None:
    data = make_277([ClaimSpec()], guide="005010X999")
    file = read_277(io.BytesIO(data))
    (record,) = list(file)
    assert record.header.transaction is StatusTransaction.CLAIM_STATUS
    assert any("005010X999" in w.message for w in file.warnings)


def test_detect_finds_the_transaction_set_of_a_file() -> None:
    assert transaction_set(make_277([ClaimSpec()])) == "277"
    assert transaction_set((DATA / "lfh_managed-care.835").read_bytes()) == "835"
    assert transaction_set(b"claim,payer\n1,2\n") is None


# -- claims ---------------------------------------------------------------------------------


def test_a_277rfai_claim_carries_its_numbers_dates_and_requests() -> None:
    data = make_277(
        [
            ClaimSpec(
                number="PCN9",
                payer_claim="ICN9",
                stc=["R4:11504-8::LOI*20261002********R4:34117-2::LOI"],
                service="20260915",
                due="20261101",
                lines=[LineSpec("97110", "45", ["R4:18748-4::LOI*20261002"], "20260916", "2")],
            )
        ],
        payer="AETNA",
        payer_id="60054",
    )
    (record,) = records(data)
    assert record.level is StatusLevel.CLAIM
    assert (record.claim_number, record.payer_claim_number) == ("PCN9", "ICN9")
    assert record.header.source.name == "AETNA"
    assert record.header.source.identifier == "60054"
    assert record.provider == Party("EXAMPLE CLINIC", "1234567893")
    assert record.service_from == date(2026, 9, 15)
    assert record.due_date == date(2026, 11, 1)
    claim_status, line_status = record.statuses
    assert [c.code for c in claim_status.codes] == ["11504-8", "34117-2"]
    assert all(c.is_loinc for c in claim_status.codes)
    assert claim_status.effective == date(2026, 10, 2)
    assert line_status.line == 0
    (line,) = record.lines
    assert (line.procedure, line.charge, line.line_control) == ("97110", Decimal(45), "2")
    assert line.service_date == date(2026, 9, 16)


def test_a_277ca_claim_number_is_trn02_and_the_payer_number_ref_1k() -> None:
    (record,) = records(
        make_277(
            [ClaimSpec(number="CLM1", payer_claim="PAY1", stc=["A2:20:PR*20261003*WQ*150"])],
            guide=ACK,
        )
    )
    assert (record.claim_number, record.payer_claim_number) == ("CLM1", "PAY1")
    assert record.billed == Decimal(150)
    assert record.statuses[0].action == "WQ"


def test_ref_ej_wins_over_the_trace_in_a_claim_status_response() -> None:
    (record,) = records((DATA / "lfh_277_claim-level-status.277").read_bytes())[:1]
    assert record.trace == "ABCXYZ1"
    assert record.claim_number == "SM123456"
    assert record.payer_claim_number == "05347006051"
    assert (record.service_from, record.service_to) == (date(2005, 8, 31), date(2005, 9, 6))


def test_a_277rfai_without_ref_ej_has_only_the_payers_number() -> None:
    (record,) = records(make_277([ClaimSpec(number=None, payer_claim="ICN5")]))
    assert record.claim_number is None
    assert record.payer_claim_number == "ICN5"


def test_batch_and_provider_level_statuses_carry_their_counts() -> None:
    data = (DATA / "stupidedi_277ca_business-scenario-4.277").read_bytes()
    levels = records(data)
    batch, provider = levels[0], levels[-1]
    assert batch.level is StatusLevel.RECEIVER
    assert (batch.accepted_count, batch.rejected_count) == (3, 5)
    assert (batch.accepted_amount, batch.rejected_amount) == (Decimal(155), Decimal(300))
    assert provider.level is StatusLevel.PROVIDER
    assert provider.provider.name == "REED, I B"
    assert (provider.rejected_count, provider.rejected_amount) == (3, Decimal(150))
    assert provider.statuses[0].primary.category == "A3"


def test_patient_names_are_read_for_phi_full_only_at_claim_level() -> None:
    (record,) = records(make_277([ClaimSpec(patient="DOE*JANE")]))
    assert record.patient.name == "DOE, JANE"


# -- bent but readable ----------------------------------------------------------------------


def test_an_rd8_with_one_date_is_read_as_that_day_with_a_warning() -> None:
    data = make_277([ClaimSpec()]).replace(b"DTP*472*D8*20260915", b"DTP*472*RD8*20260915")
    file = read_277(io.BytesIO(data))
    (record,) = list(file)
    assert record.service_from == record.service_to == date(2026, 9, 15)
    assert any("RD8 holds one date" in w.message for w in file.warnings)


def test_a_dtp_without_its_format_is_skipped_with_a_warning() -> None:
    data = make_277([ClaimSpec()]).replace(b"DTP*472*D8*20260915", b"DTP*472*20260915")
    file = read_277(io.BytesIO(data))
    (record,) = list(file)
    assert record.service_from is None
    assert any("DTP*472" in w.message for w in file.warnings)


def test_a_status_without_trn_is_kept_with_a_warning() -> None:
    data = make_277([ClaimSpec(number="PCN1")], guide=ACK).replace(b"TRN*2*PCN1~\n", b"")
    data = data.replace(b"REF*1K*ICN1", b"REF*EJ*PCN1")
    file = read_277(io.BytesIO(data))
    (record,) = list(file)
    assert record.claim_number == "PCN1"
    assert any("without the TRN" in w.message for w in file.warnings)


# -- refused whole, naming the segment ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "number", "segment_id", "words"),
    [
        ("damaged_stc.277", 21, "STC", 'STC is followed by ":"'),
        ("bad_due_date.277", 17, "DTP", 'date "20261341" in DTP*106'),
        ("bad_status_date.277", 21, "STC", 'STC02 date "2026105"'),
        ("empty_status.277", 21, "STC", "STC01 (the status) is empty"),
        ("unknown_parent.277", 18, "HL", 'HL02 names parent level "9"'),
        ("cut_off.277", 21, "STC", "its SE is missing, so the file looks cut off"),
        ("mixed_835.277", 25, "ST", "this is an 835 remittance, not a 277"),
    ],
)
def test_malformed_files_are_refused_naming_the_segment(
    name: str, number: int, segment_id: str, words: str
) -> None:
    refused = refusal((SYNTHETIC / "malformed" / name).read_bytes())
    assert (refused.segment_number, refused.segment_id) == (number, segment_id)
    assert words in str(refused)


def test_an_amount_that_is_not_a_number_is_refused() -> None:
    refused = refusal(make_277([ClaimSpec(stc=["A7:562:85*20261003*U*12O.00"])], guide=ACK))
    assert refused.segment_id == "STC"
    assert '"12O.00" in STC04 is not a number' in str(refused)


def test_a_status_category_that_is_not_a_code_is_refused() -> None:
    refused = refusal(make_277([ClaimSpec(stc=["4:11504-8::LOI*20261002"])]))
    assert 'STC01 status category "4"' in str(refused)


def test_a_claim_status_without_any_claim_number_is_refused() -> None:
    data = make_277([ClaimSpec(number=None, payer_claim="X")]).replace(b"TRN*1*X", b"TRN*1*")
    assert "cannot be tied to a claim" in str(refusal(data))


def test_a_service_line_outside_a_claim_is_refused() -> None:
    data = make_277([], batch_stc="A1:19*20261003").replace(
        b"HL*3*2*19*1", b"SVC*HC:99213*100~\nHL*3*2*19*1"
    )
    refused = refusal(data)
    assert refused.segment_id == "SVC"


def test_a_277_level_code_that_does_not_exist_is_refused() -> None:
    refused = refusal(make_277([ClaimSpec()]).replace(b"HL*4*3*PT", b"HL*4*3*99"))
    assert 'HL03 level code "99"' in str(refused)


def test_a_276_request_is_refused_by_name() -> None:
    refused = refusal(make_277([ClaimSpec()]).replace(b"ST*277*", b"ST*276*"))
    assert "276 claim status request" in str(refused)


# -- every sample file ----------------------------------------------------------------------

SAMPLES = {
    # file: (records, [(level, claim number, first status composite), ...] of interest)
    "lfh_277_claim-level-status.277": [("claim", "SM123456", "P3:317")],
    "lfh_277_claim-level-status-ncpdp.277": [("claim", "ABCXYZ1", "F2:80")],
    "lfh_277_information-receiver-level-status.277": [("batch", None, "E0:0")],
    "lfh_277_provider-level-status.277": [("provider", None, "E0:24")],
    "stupidedi_277ca_business-scenario-1.277": [
        ("claim", "DOE0221", "A3:21"),
        ("claim", "VEST0303", "A3:401"),
    ],
    "stupidedi_277ca_business-scenario-2.277": [("batch", None, "A3:24")],
    "stupidedi_277ca_business-scenario-3.277": [("claim", "PATIENT33333", "A3:187")],
    "stupidedi_277ca_business-scenario-4.277": [("provider", None, "A3:24")],
    "synthetic/277/rfai_medicare_adr.277": [("claim", "ADR1001", "R4:11506-3")],
    "synthetic/277/rfai_aetna.277": [("claim", "AET2002", "R13:11506-3")],
    "synthetic/277/status_unsolicited_4010.277": [("claim", "CIG4003", "P3:21")],
    "synthetic/277/ack_rejections.277": [("claim", "CLM3004", "A3:21")],
    "synthetic/277/ack_accepts_corrected.277": [("claim", "CLM3001", "A2:20")],
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sample_file_reads(name: str) -> None:
    found = {
        (r.level.value, r.claim_number, f"{s.primary.category}:{s.primary.code}")
        for r in records((DATA / name).read_bytes())
        for s in r.statuses
    }
    assert set(SAMPLES[name]) <= found


MALFORMED = sorted(p.name for p in (SYNTHETIC / "malformed").glob("*.277"))


def test_every_277_file_is_listed() -> None:
    listed = sorted([*SAMPLES, *(f"synthetic/277/malformed/{name}" for name in MALFORMED)])
    found = sorted(str(p.relative_to(DATA)) for p in DATA.rglob("*.277"))
    assert found == listed
    assert len(MALFORMED) == 7  # each one refused in test_malformed_files_are_refused_…
