"""View models of documentation requests and rejections with sensible defaults (synthetic)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bot.blocks.work_views import (
    DenialLink,
    NoteView,
    RejectionView,
    RequestView,
    WorkKind,
    WorkRow,
)
from bot.domain.statuses import RejectionStatus, RequestStatus
from tests.unit.view_builders import TODAY

OP_NOTE = NoteView("Operative (surgical operation) note (LOINC 11504-8)")
IMAGING = NoteView("Diagnostic imaging study (LOINC 18748-4)", "97110")
BAD_NPI = NoteView("Invalid: billing provider's National Provider Identifier (NPI)")


def make_request(**changes: Any) -> RequestView:
    base = RequestView(
        id=12,
        version=2,
        claim_number="ADR1001",
        payer_name="Medicare Part B",
        payer_claim_number="21926500012301",
        service_date=date(2026, 9, 15),
        provider_name="Dr. Lee",
        provider_npi="1497758544",
        billed=Decimal("145.00"),
        asks=(OP_NOTE, IMAGING),
        what=None,
        received_on=TODAY - timedelta(days=20),
        due_date=TODAY + timedelta(days=6),
        due_explained="Medicare fee-for-service (Parts A/B): 45 days",
        follow_up=False,
        status=RequestStatus.REQUESTED,
        assignee=None,
        sent_on=None,
        sent_method=None,
        sent_reference=None,
        closed_note=None,
        attachments=(),
        denials=(),
        origin="277RFAI",
        file_name="rfai.277",
    )
    return replace(base, **changes)


def make_rejection(**changes: Any) -> RejectionView:
    base = RejectionView(
        id=3,
        version=1,
        level="claim",
        claim_number="CLM3001",
        payer_name="UnitedHealthcare",
        from_clearinghouse=False,
        trace=None,
        service_date=date(2026, 9, 25),
        provider_name="Example Clinic",
        provider_npi="1234567893",
        billed=Decimal("210.00"),
        claims_count=None,
        reasons=(BAD_NPI,),
        received_on=TODAY - timedelta(days=5),
        resubmit_by=TODAY + timedelta(days=26),
        due_explained="UnitedHealthcare (commercial): 90 days",
        status=RejectionStatus.NEW,
        assignee="UJAMES",
        corrected_on=None,
        correction_note=None,
        closed_note=None,
        origin="277CA",
        file_name="ack.277",
    )
    return replace(base, **changes)


def make_work_row(kind: WorkKind = WorkKind.REQUEST, days_left: int = 2, **changes: Any) -> WorkRow:
    base = WorkRow(
        kind=kind,
        item_id=12,
        claim_number="ADR1001",
        payer_name="Medicare Part B",
        what="Operative note +1",
        amount=Decimal("145.00"),
        assignee=None,
        due=TODAY + timedelta(days=days_left),
        days_left=days_left,
    )
    return replace(base, **changes)


DENIED = DenialLink(denial_id=88, codes=("CO-252",), denied_on=TODAY)
