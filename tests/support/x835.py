"""Build small, valid 835 files in tests: say only what matters for the rule under test."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Line:
    code: str = "99213"
    billed: str = "100"
    paid: str = "0"
    cas: list[tuple[str, str, str]] = field(default_factory=list)  # (group, carc, amount)
    rarcs: list[str] = field(default_factory=list)
    modifiers: list[str] = field(default_factory=list)
    date: str = "20261001"


@dataclass
class ClaimSpec:
    number: str = "PCN1"
    status: str = "1"
    billed: str = "100"
    paid: str = "0"
    payer_claim: str = "ICN1"
    lines: list[Line] = field(default_factory=list)
    cas: list[tuple[str, str, str]] = field(default_factory=list)  # claim-level
    remark: str | None = None  # MOA remark
    npi: str = "1234567893"
    f8: str | None = None


def denied(number: str = "PCN1", carc: str = "197", amount: str = "100", **kw: str) -> ClaimSpec:
    """A claim whose one line is denied in full with CO-`carc`."""
    return ClaimSpec(
        number=number,
        billed=amount,
        paid="0",
        lines=[Line(billed=amount, paid="0", cas=[("CO", carc, amount)])],
        **kw,  # type: ignore[arg-type]
    )


def paid(number: str = "PCN1", amount: str = "100", **kw: str) -> ClaimSpec:
    return ClaimSpec(
        number=number,
        billed=amount,
        paid=amount,
        lines=[Line(billed=amount, paid=amount)],
        **kw,  # type: ignore[arg-type]
    )


def make_835(
    claims: list[ClaimSpec],
    *,
    payer: str = "AETNA",
    payer_id: str = "60054",
    production_date: str = "20261015",
    payment_date: str = "20261016",
    check: str = "CHK1",
) -> bytes:
    segments = [
        "ISA*00*          *00*          *ZZ*PAYER          *ZZ*PROVIDER       "
        "*261016*1200*^*00501*000000001*0*P*:",
        "GS*HP*PAYER*PROVIDER*20261016*1200*1*X*005010X221A1",
        "ST*835*0001",
        f"BPR*I*0*C*ACH*CCP*01*999999999*DA*123456789*1512345678**01*888888888*DA*987654321*{payment_date}",
        f"TRN*1*{check}*1512345678",
        f"DTM*405*{production_date}",
        f"N1*PR*{payer}*XV*{payer_id}",
        f"REF*2U*{payer_id}",
        "N1*PE*EXAMPLE CLINIC*XX*1999999992",
        "LX*1",
    ]
    for claim in claims:
        segments.append(
            f"CLP*{claim.number}*{claim.status}*{claim.billed}*{claim.paid}**12*{claim.payer_claim}*11*1"
        )
        segments += [f"CAS*{g}*{c}*{a}" for g, c, a in claim.cas]
        segments.append("NM1*QC*1*TESTPATIENT*ALPHA****MI*ZZT0001")
        segments.append(f"NM1*82*1*LEE*DANA****XX*{claim.npi}")
        if claim.remark:
            segments.append(f"MOA***{claim.remark}")
        if claim.f8:
            segments.append(f"REF*F8*{claim.f8}")
        segments.append("DTM*232*20261001")
        for line in claim.lines:
            composite = ":".join(["HC", line.code, *line.modifiers])
            segments.append(f"SVC*{composite}*{line.billed}*{line.paid}**1")
            segments.append(f"DTM*472*{line.date}")
            segments += [f"CAS*{g}*{c}*{a}" for g, c, a in line.cas]
            segments += [f"LQ*HE*{r}" for r in line.rarcs]
    count = len(segments) - 2 + 1  # ST..SE inclusive
    segments += [f"SE*{count}*0001", "GE*1*1", "IEA*1*000000001"]
    return ("~".join(segments) + "~").encode()
