"""The dicts the importer used to build and hand to json.dumps: what the JSON columns must equal."""

from __future__ import annotations

from typing import Any

from bot.domain.findings import DenialReason
from bot.domain.records import Adjustment, ServiceLine


def adjustment_dict(adjustment: Adjustment) -> dict[str, Any]:
    return {
        "group": adjustment.group,
        "carc": adjustment.carc,
        "amount": str(adjustment.amount),
        "quantity": None if adjustment.quantity is None else str(adjustment.quantity),
    }


def line_dict(line: ServiceLine) -> dict[str, Any]:
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
        "adjustments": [adjustment_dict(a) for a in line.adjustments],
        "remarks": list(line.remarks),
    }


def reason_dict(reason: DenialReason) -> dict[str, Any]:
    return {
        "code": reason.code,
        "rarcs": list(reason.rarcs),
        "amount": str(reason.amount),
        "procedure": reason.procedure,
        "category": reason.category.value,
        "explanation": reason.explanation,
    }
