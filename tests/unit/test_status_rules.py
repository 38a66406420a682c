"""What a 277 status means for the to-do list, its words, and the dates that matter."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from bot.domain.claim_status import StatusCode, StatusLevel
from bot.domain.payer_rules import PayerRules
from bot.domain.status_deadlines import DueSource, request_due, resubmit_by
from bot.domain.status_rules import (
    AcceptanceFinding,
    RejectionFinding,
    RequestFinding,
    judge,
    says_records_missing,
)
from bot.domain.status_words import category_words, describe
from bot.importers.x277 import read_277
from tests.support.x277 import ACK, STATUS, ClaimSpec, LineSpec, make_277

DATA = Path(__file__).resolve().parents[1] / "data" / "x12"


def findings(data: bytes) -> list[RequestFinding | RejectionFinding | AcceptanceFinding]:
    return [f for record in read_277(io.BytesIO(data)) for f in judge(record)]


def test_every_277rfai_request_is_a_documentation_request_with_its_documents() -> None:
    (found,) = findings(
        make_277(
            [
                ClaimSpec(
                    stc=["R4:11504-8::LOI*20261002"],
                    due="20261101",
                    lines=[LineSpec("97110", stc=["R9:18748-4::LOI*20261002"])],
                )
            ]
        )
    )
    assert isinstance(found, RequestFinding)
    assert [a.shown for a in found.asks] == [
        "Operative (surgical operation) note (LOINC 11504-8)",
        "97110: Diagnostic imaging study (LOINC 18748-4): information requested to determine "
        "medical necessity",
    ]
    assert found.due_date == date(2026, 11, 1)
    assert found.received_on == date(2026, 10, 2)
    assert not found.follow_up


@pytest.mark.parametrize("category", ["R0", "R3", "R16", "R17", "P3"])
def test_r_categories_and_p3_are_requests_in_a_claim_status(category: str) -> None:
    (found,) = findings(make_277([ClaimSpec(stc=[f"{category}:21:82*20261002"])], guide=STATUS))
    assert isinstance(found, RequestFinding)
    assert found.follow_up is (category == "P3")


@pytest.mark.parametrize("category", ["A3", "A6", "A7", "A8"])
def test_front_end_rejections(category: str) -> None:
    (found,) = findings(make_277([ClaimSpec(stc=[f"{category}:562:85*20261003*U*90"])], guide=ACK))
    assert isinstance(found, RejectionFinding)
    assert found.level is StatusLevel.CLAIM
    assert "illing provider's National Provider Identifier (NPI)" in found.reasons[0].words


@pytest.mark.parametrize("category", ["A2", "P1", "F1", "F2"])
def test_a_claim_in_adjudication_is_an_acceptance(category: str) -> None:
    (found,) = findings(make_277([ClaimSpec(stc=[f"{category}:20*20261003"])], guide=ACK))
    assert isinstance(found, AcceptanceFinding)


@pytest.mark.parametrize("category", ["A0", "A1", "A4", "E0", "D0"])
def test_information_only_statuses_make_no_finding(category: str) -> None:
    assert findings(make_277([ClaimSpec(stc=[f"{category}:19*20261003"])], guide=ACK)) == []


def test_a_line_rejection_rejects_the_claim_and_names_the_line() -> None:
    data = make_277(
        [
            ClaimSpec(
                stc=["A2:20*20261003*WQ*100"], lines=[LineSpec("99214", stc=["A7:453*20261003"])]
            )
        ],
        guide=ACK,
    )
    (found,) = findings(data)
    assert isinstance(found, RejectionFinding)
    assert [r.shown for r in found.reasons] == ["99214: Invalid: procedure code modifier(s)"]


def test_batch_and_provider_rejections_keep_their_level() -> None:
    scenario = findings((DATA / "stupidedi_277ca_business-scenario-4.277").read_bytes())
    rejections = [f for f in scenario if isinstance(f, RejectionFinding)]
    assert [(r.level, r.record.claim_number) for r in rejections] == [
        (StatusLevel.CLAIM, "PATIENT33333"),
        (StatusLevel.CLAIM, "JONES44444"),
        (StatusLevel.PROVIDER, None),
    ]
    assert rejections[1].reasons[0].words == "Sent to the wrong payer"
    assert (
        rejections[2].reasons[0].words
        == "Not approved as an electronic submitter (billing provider)"
    )


def test_the_tr3_scenario_1_rejections_read_as_the_guide_explains_them() -> None:
    scenario = findings((DATA / "stupidedi_277ca_business-scenario-1.277").read_bytes())
    doe, vest = (f for f in scenario if isinstance(f, RejectionFinding))
    assert [r.shown for r in doe.reasons] == [
        "Missing or invalid information (rendering provider)",
        "22305-22: Missing or invalid data prevents the payer from processing the claim",
        "22305-22: Rendering provider's id number",
    ]
    assert [r.shown for r in vest.reasons] == ["Source of payment (claim filing indicator)"]


def test_words_for_unknown_codes_keep_the_code() -> None:
    assert describe(StatusCode("A7", "9999", "85")) == "status code 9999 (billing provider)"
    assert describe(StatusCode("R4", "12345-6", None, "LOI")) == "the document LOINC 12345-6"
    assert category_words("Z9") == "status category Z9"
    assert describe(StatusCode("F2", "80", None, "RX")) == "pharmacy (NCPDP) reject code 80"


def test_the_payer_naming_itself_is_left_out() -> None:
    assert describe(StatusCode("A3", "187", "PR")) == "date(s) of service"


@pytest.mark.parametrize(
    ("carcs", "rarcs", "missing"),
    [
        (["CO-252"], [], True),
        (["CO-16"], ["M127"], True),
        (["CO-16"], ["N706"], True),
        (["CO-226"], [], True),
        (["CO-16"], ["M76"], False),
        (["CO-197"], ["N54"], False),
        (["252"], [], True),
    ],
)
def test_denials_that_say_records_were_missing(
    carcs: list[str], rarcs: list[str], missing: bool
) -> None:
    assert says_records_missing(carcs, rarcs) is missing


def test_request_due_dates_come_from_the_payer_else_the_rule() -> None:
    rules = PayerRules.load()
    medicare = rules.get("medicare")
    assert medicare is not None
    given = request_due(given=date(2026, 11, 1), received_on=date(2026, 10, 2), rule=medicare)
    assert (given.on, given.source) == (date(2026, 11, 1), DueSource.PAYER)
    adr = request_due(given=None, received_on=date(2026, 10, 2), rule=medicare)
    assert (adr.on, adr.days) == (date(2026, 11, 16), 45)
    assert adr.explained(medicare.name) == "Medicare fee-for-service (Parts A/B): 45 days"
    other = request_due(given=None, received_on=date(2026, 10, 2), rule=rules.default)
    assert other.on == date(2026, 11, 1)


def test_a_rejection_matters_until_the_filing_limit() -> None:
    rules = PayerRules.load()
    medicare = rules.get("medicare")
    assert medicare is not None
    limit = resubmit_by(
        service_date=date(2026, 9, 15), rejected_on=date(2026, 10, 3), rule=medicare
    )
    assert limit.on == date(2027, 9, 15)
    unknown = resubmit_by(service_date=None, rejected_on=date(2026, 10, 3), rule=rules.default)
    assert (unknown.on, unknown.source) == (date(2026, 11, 2), DueSource.RULE_FROM_NOTICE)
