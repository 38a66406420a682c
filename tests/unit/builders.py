"""Small builders for domain records with sensible defaults (synthetic data only).

    make_claim(lines=[make_line(cas=[("CO", "197", "100")], rarcs=["N54"])])

Amounts are strings or Decimals; by default a line is balanced (paid = billed - CAS) and a
claim's billed/paid are the sums of its lines minus claim-level CAS.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from bot.domain.records import (
    Adjustment,
    ClaimKind,
    ClaimRecord,
    Party,
    Payer,
    RemittanceInfo,
    ServiceLine,
)

Money = str | int | Decimal
Cas = tuple[str, str, Money]  # (group, CARC, amount)

NOTICE_DATE = date(2026, 10, 20)
SERVICE_DATE = date(2026, 10, 1)


def money(value: Money) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def make_adjustment(group: str = "CO", carc: str = "197", amount: Money = "100") -> Adjustment:
    return Adjustment(group=group, carc=carc, amount=money(amount))


def adjustments(cas: Sequence[Cas | Adjustment]) -> tuple[Adjustment, ...]:
    return tuple(item if isinstance(item, Adjustment) else make_adjustment(*item) for item in cas)


def make_line(
    procedure: str = "99213",
    *,
    modifiers: Sequence[str] = (),
    billed: Money = "100",
    paid: Money | None = None,
    cas: Sequence[Cas | Adjustment] = (),
    rarcs: Sequence[str] = (),
    service_date: date | None = SERVICE_DATE,
) -> ServiceLine:
    adjs = adjustments(cas)
    if paid is None:
        paid = money(billed) - sum((a.amount for a in adjs), Decimal(0))
    return ServiceLine(
        procedure=procedure,
        modifiers=tuple(modifiers),
        billed=money(billed),
        paid=money(paid),
        service_date=service_date,
        adjustments=adjs,
        remarks=tuple(rarcs),
    )


def make_remittance(
    payer: str = "Aetna",
    *,
    payer_id: str | None = None,
    production_date: date | None = NOTICE_DATE,
    payment_date: date | None = NOTICE_DATE,
    file_date: date | None = None,
    report_date: date | None = None,
) -> RemittanceInfo:
    return RemittanceInfo(
        payer=Payer(name=payer, identifier=payer_id),
        production_date=production_date,
        payment_date=payment_date,
        file_date=file_date,
        report_date=report_date,
    )


def make_claim(
    lines: Sequence[ServiceLine] = (),
    *,
    cas: Sequence[Cas | Adjustment] = (),
    remarks: Sequence[str] = (),
    status: str = "1",
    kind: ClaimKind = ClaimKind.ADJUDICATED,
    billed: Money | None = None,
    paid: Money | None = None,
    remittance: RemittanceInfo | None = None,
    payer: str = "Aetna",
    service_date: date | None = None,
    denied_by_status: bool = False,
    claim_number: str = "CLM0001",
) -> ClaimRecord:
    adjs = adjustments(cas)
    claim_cas = sum((a.amount for a in adjs), Decimal(0))
    if billed is None:
        billed = sum((line.billed for line in lines), Decimal(0)) if lines else Decimal(100)
    if paid is None:
        line_paid = sum((line.paid for line in lines), Decimal(0))
        paid = (line_paid if lines else money(billed)) - claim_cas
    return ClaimRecord(
        remittance=remittance or make_remittance(payer),
        claim_number=claim_number,
        status_code=status,
        kind=kind,
        billed=money(billed),
        paid=money(paid),
        service_date=service_date,
        rendering_provider=Party(name="Test Provider", identifier="1234567893"),
        adjustments=adjs,
        remarks=tuple(remarks),
        lines=tuple(lines),
        denied_by_status=denied_by_status,
    )
