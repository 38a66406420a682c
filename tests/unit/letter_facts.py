"""A fixed claim for the letter tests: synthetic, the same every run (goldens depend on it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from bot.domain.findings import RootCause
from bot.domain.payer_rule import AppealAddress
from bot.letters.facts import (
    LetterFacts,
    Level,
    Line,
    Patient,
    PriorAppeal,
    Provider,
    Reason,
)

PATIENT = Patient(name="TESTPATIENT, ALPHA", member_id="ZZT0001", birth_date=None)
LOST_LEVEL_1 = PriorAppeal(
    level="1",
    kind="appeal",
    sent_on=date(2026, 11, 2),
    method="portal",
    reference="88-2231",
    outcome="lost",
    decided_on=date(2026, 11, 20),
)


def make_facts(**changes: Any) -> LetterFacts:
    facts = LetterFacts(
        today=date(2026, 11, 30),
        level=Level(1, medicare=False),
        cause=RootCause.AUTHORIZATION,
        claim_number="5101Z88001",
        payer_claim_number="26014000000002",
        payer_name="Aetna",
        payer_id="60054",
        appeal_to=AppealAddress(portal="Availity", source=("https://example.org/aetna",)),
        notice_date=date(2026, 10, 16),
        check_number="CHK1",
        service_from=date(2026, 10, 1),
        service_to=date(2026, 10, 1),
        lines=(
            Line(
                procedure="99213",
                modifiers=("25",),
                service_date=date(2026, 10, 1),
                billed=Decimal("160.00"),
                paid=Decimal("0.00"),
                codes=("CO-197",),
            ),
            Line(
                procedure="97110",
                service_date=date(2026, 10, 1),
                units=Decimal(2),
                billed=Decimal("400.00"),
                paid=Decimal("140.00"),
                original_procedure="97112",
                codes=("CO-45",),
            ),
        ),
        billed=Decimal("560.00"),
        paid=Decimal("140.00"),
        denied=Decimal("420.00"),
        reasons=(Reason("CO-197", "Precertification/authorization/notification absent"),),
        remarks=(Reason("N54", "Claim information is inconsistent with the authorization"),),
        deadline=date(2027, 4, 14),
        rendering=Provider("LEE, DANA", "1497758544"),
        billing=Provider("EXAMPLE CLINIC", "1999999992"),
        patient=PATIENT,
    )
    return replace(facts, **changes)
