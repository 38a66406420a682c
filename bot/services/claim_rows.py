"""Turn importer records into database rows (plain dicts for bulk inserts)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bot.domain.findings import Deadline, DenialFinding
from bot.domain.payer_rules import PayerRule
from bot.domain.records import Adjustment, ClaimRecord, Payer, ServiceLine


def payer_key(payer: Payer) -> str:
    """Payer identity for matching a claim's adjudications: the payer id, else its name."""
    if payer.identifier:
        return f"id:{payer.identifier.strip().upper()}"
    return "name:" + " ".join(payer.name.upper().split())


def pattern_key(payer: str, category: str, code: str, provider: str | None) -> str:
    """Repeat pattern: payer + root cause + main reason code + rendering provider."""
    return "|".join((payer, category, code, provider or "-"))


def notice_date(claim: ClaimRecord, imported_on: date) -> date:
    """When the payer adjudicated the claim: earliest remittance date we can trust."""
    info = claim.remittance
    dates = [d for d in (info.production_date, info.payment_date) if d is not None]
    if dates:
        return min(dates)
    return info.file_date or info.report_date or imported_on


def claim_row(
    claim: ClaimRecord,
    *,
    import_id: int,
    remittance_id: int,
    imported_on: date,
    finding: DenialFinding | None,
) -> dict[str, Any]:
    return {
        "import_id": import_id,
        "remittance_id": remittance_id,
        "payer_key": payer_key(claim.remittance.payer),
        "claim_number": claim.claim_number,
        "payer_claim_number": claim.payer_claim_number,
        "status_code": claim.status_code,
        "kind": claim.kind.value,
        "billed": claim.billed,
        "paid": claim.paid,
        "patient_responsibility": claim.patient_responsibility,
        "service_date": claim.service_date,
        "notice_date": notice_date(claim, imported_on),
        "rendering_npi": claim.rendering_provider.identifier,
        "rendering_name": claim.rendering_provider.name or None,
        "patient_name": claim.patient.name or None,
        "member_id": claim.patient.identifier,
        "original_reference": claim.original_reference,
        "adjustments": [_adjustment(a) for a in claim.adjustments],
        "remarks": list(claim.remarks),
        "lines": [_line(line) for line in claim.lines],
        "is_denied": finding is not None,
        "denied_amount": finding.denied_amount if finding else Decimal(0),
        "reversed_by_id": None,
        "source_line": claim.source_line,
    }


def denial_row(
    claim: ClaimRecord,
    finding: DenialFinding,
    deadline: Deadline,
    rule: PayerRule,
    *,
    claim_id: int,
    import_id: int,
    now: datetime,
) -> dict[str, Any]:
    payer = payer_key(claim.remittance.payer)
    provider = claim.rendering_provider
    main_code = finding.carcs[0] if finding.carcs else "-"
    return {
        "claim_id": claim_id,
        "import_id": import_id,
        "post_id": None,
        "claim_number": claim.claim_number,
        "payer_claim_number": claim.payer_claim_number,
        "payer_key": payer,
        "payer_name": claim.remittance.payer.name or rule.name,
        "provider_npi": provider.identifier,
        "provider_name": provider.name or None,
        "service_date": claim.service_date,
        "denial_date": deadline.anchor,
        "anchor_source": deadline.anchor_source.value,
        "deadline": deadline.due,
        "deadline_kind": deadline.kind.value,
        "rule_key": deadline.rule_key,
        "cpts": list(finding.cpts),
        "carcs": list(finding.carcs),
        "rarcs": list(finding.rarcs),
        "reasons": [
            {
                "code": r.code,
                "rarcs": list(r.rarcs),
                "amount": str(r.amount),
                "procedure": r.procedure,
                "category": r.category.value,
                "explanation": r.explanation,
            }
            for r in finding.reasons
        ],
        "explanation": finding.explanation,
        "billed_amount": claim.billed,
        "paid_amount": claim.paid,
        "denied_amount": finding.denied_amount,
        "recovered_amount": None,
        "suggested_category": finding.category.value,
        "category": finding.category.value,
        "category_source": "auto",
        "category_set_by": None,
        "no_appeal_reason": finding.no_appeal_reason if finding.no_appeal else None,
        "patient_liable": finding.patient_liable,
        "status": "new",
        "closed": False,
        "assignee": None,
        "pattern_key": pattern_key(
            payer, finding.category.value, main_code, provider.identifier or provider.name
        ),
        "superseded_by_id": None,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "closed_at": None,
    }


def _adjustment(adjustment: Adjustment) -> dict[str, Any]:
    return {
        "group": adjustment.group,
        "carc": adjustment.carc,
        "amount": str(adjustment.amount),
        "quantity": None if adjustment.quantity is None else str(adjustment.quantity),
    }


def _line(line: ServiceLine) -> dict[str, Any]:
    return {
        "procedure": line.procedure,
        "modifiers": list(line.modifiers),
        "qualifier": line.qualifier,
        "original_procedure": line.original_procedure,
        "billed": str(line.billed),
        "paid": str(line.paid),
        "units": None if line.units is None else str(line.units),
        "service_date": line.service_date.isoformat() if line.service_date else None,
        "line_control": line.line_control,
        "adjustments": [_adjustment(a) for a in line.adjustments],
        "remarks": list(line.remarks),
    }
