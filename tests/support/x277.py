"""Build small, valid 277 files (claim status, 277RFAI, 277CA) in tests: say only what matters.

Status segments are written as they appear after `STC*` (`"R4:11504-8::LOI*20261002"`), so a
test shows the X12 it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RFAI = "005010X213"
ACK = "005010X214"
STATUS = "005010X212"


@dataclass
class LineSpec:
    procedure: str = "99213"
    charge: str = "100"
    stc: list[str] = field(default_factory=list)
    date: str = "20260915"
    control: str | None = None


@dataclass
class ClaimSpec:
    number: str | None = "PCN1"  # REF*EJ (277RFAI) or TRN02 (277CA / 277)
    payer_claim: str | None = "ICN1"  # TRN02 of a 277RFAI, else REF*1K
    stc: list[str] = field(default_factory=lambda: ["R4:11506-3::LOI*20261002"])
    service: str | None = "20260915"
    due: str | None = None  # DTP*106
    lines: list[LineSpec] = field(default_factory=list)
    patient: str = "DOE*JANE"


def make_277(
    claims: list[ClaimSpec],
    *,
    guide: str = RFAI,
    payer: str = "MEDICARE PART B",
    payer_id: str = "04412",
    source_entity: str = "PR",
    provider_npi: str = "1234567893",
    batch_stc: str | None = None,
    created: str = "20261002",
) -> bytes:
    claim_level = "PT" if guide in (RFAI, ACK) else "22"
    bht_type = {ACK: "TH", RFAI: "RQ"}.get(guide, "DG")
    body = [
        f"BHT*0010*08*REF{created}*{created}*1200*{bht_type}",
        "HL*1**20*1",
        f"NM1*{source_entity}*2*{payer}*****PI*{payer_id}",
        "HL*2*1*21*1",
        "NM1*41*2*EXAMPLE CLINIC*****46*S00001",
    ]
    if batch_stc is not None:
        body += ["TRN*2*BATCH1", f"STC*{batch_stc}"]
    body += [
        "HL*3*2*19*1",
        f"NM1*{'85' if guide == ACK else '1P'}*2*EXAMPLE CLINIC*****XX*{provider_npi}",
    ]
    hl = 3
    for claim in claims:
        hl += 1
        entity = "QC" if claim_level == "PT" else "IL"
        body += [f"HL*{hl}*3*{claim_level}", f"NM1*{entity}*1*{claim.patient}****MI*M{hl:08d}"]
        if guide == RFAI:
            body.append(f"TRN*1*{claim.payer_claim or claim.number}")
        else:
            body.append(f"TRN*2*{claim.number or claim.payer_claim}")
        body += [f"STC*{stc}" for stc in claim.stc]
        if guide == RFAI and claim.number:
            body.append(f"REF*EJ*{claim.number}")
        elif guide != RFAI and claim.payer_claim:
            body.append(f"REF*1K*{claim.payer_claim}")
        if claim.service:
            body.append(f"DTP*472*D8*{claim.service}")
        if claim.due:
            body.append(f"DTP*106*D8*{claim.due}")
        for line in claim.lines:
            body.append(f"SVC*HC:{line.procedure}*{line.charge}*0****1")
            body += [f"STC*{stc}" for stc in line.stc]
            if line.control:
                body.append(f"REF*FJ*{line.control}")
            body.append(f"DTP*472*D8*{line.date}")
    segments = [
        "ISA*00*          *00*          *ZZ*PAYER          *ZZ*PROVIDER       "
        f"*{created[2:]}*1200*^*00501*000000001*0*P*:",
        f"GS*HN*PAYER*PROVIDER*{created}*1200*1*X*{guide}",
        f"ST*277*0001*{guide}",
        *body,
        f"SE*{len(body) + 2}*0001",
        "GE*1*1",
        "IEA*1*000000001",
    ]
    return ("~\n".join(segments) + "~\n").encode()
