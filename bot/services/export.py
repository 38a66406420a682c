"""`denials export`: one record per denial with exactly the fields of DESIGN.md section 3."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Denial

FIELDS = (
    "id",
    "claim",
    "payer",
    "payer_claim_number",
    "service_date",
    "denial_date",
    "provider_npi",
    "cpts",
    "carcs",
    "rarcs",
    "category",
    "category_source",
    "billed_amount",
    "denied_amount",
    "status",
    "assignee",
    "deadline",
)
LIST_FIELDS = ("cpts", "carcs", "rarcs")


def export_records(session: Session, *, include_closed: bool) -> Iterator[dict[str, Any]]:
    query = select(Denial).order_by(Denial.id).execution_options(yield_per=1000)
    if not include_closed:
        query = query.where(Denial.closed.is_(False))
    for denial in session.scalars(query):
        yield {
            "id": denial.id,
            "claim": denial.claim_number,
            "payer": denial.payer_name,
            "payer_claim_number": denial.payer_claim_number,
            "service_date": _iso(denial.service_date),
            "denial_date": _iso(denial.denial_date),
            "provider_npi": denial.provider_npi,
            "cpts": list(denial.cpts),
            "carcs": list(denial.carcs),
            "rarcs": list(denial.rarcs),
            "category": denial.category,
            "category_source": denial.category_source,
            "billed_amount": _money(denial.billed_amount),
            "denied_amount": _money(denial.denied_amount),
            "status": denial.status,
            "assignee": denial.assignee,
            "deadline": _iso(denial.deadline),
        }


def write_jsonl(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for record in records:
        for name in LIST_FIELDS:
            record[name] = ";".join(record[name])
        writer.writerow({k: "" if v is None else v for k, v in record.items()})
        count += 1
    return count


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"
