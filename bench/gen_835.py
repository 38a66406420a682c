"""Deterministic, realistic X12 835 (005010X221A1) files for the benchmarks.

    python -m bench.gen_835 20000 /tmp/synth_20k.835

Each transaction (ST..SE) is one payer's check of up to `per_transaction` claims. A claim has
one to four service lines with DTM*472, REF*6R, AMT*B6 and CAS (contractual CO-45, patient
cost share PR-1/2/3, or a denial with its LQ*HE remark codes); about a fifth of the claims are
denied in part or in full, a few carry CLP02=4, claim-level CAS, MOA remarks or a no-appeal
remark, and about 1% are reversed later in the same file (CLP02=22 with REF*F8) and
re-adjudicated (a denied claim then paid, or a paid one corrected). Same seed, same bytes.

`burst_835()` is the remittance of the Slack burst benchmark: 200 denials of which 120 share
five patterns (same payer, reason and rendering provider).
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SEED = 835
PER_TRANSACTION = 5000

# (name, id): ids and names that hit several rows of the payer rules table.
PAYERS: tuple[tuple[str, str], ...] = (
    ("MEDICARE PART B NORIDIAN JEB", "01182"),
    ("AETNA", "60054"),
    ("UNITEDHEALTHCARE", "87726"),
    ("CIGNA", "62308"),
    ("ANTHEM BLUE CROSS", "47198"),
    ("NC MEDICAID", "NCMCD"),
    ("HUMANA MEDICARE ADVANTAGE", "61101"),
    ("BLUE SHIELD OF CALIFORNIA", "94036"),
)
PROVIDERS: tuple[tuple[str, str, str], ...] = tuple(
    (last, first, f"1{index:09d}")
    for index, (last, first) in enumerate(
        [
            ("LEE", "DANA"),
            ("PATEL", "RAVI"),
            ("NGUYEN", "ANH"),
            ("GARCIA", "MARIA"),
            ("SMITH", "JOHN"),
            ("KIM", "SOO"),
            ("OKAFOR", "CHIDI"),
            ("ROSSI", "LUCA"),
            ("COHEN", "SARAH"),
            ("BROWN", "ALEX"),
            ("MULLER", "ANNA"),
            ("SATO", "KEN"),
        ],
        start=1,
    )
)
PROCEDURES: tuple[tuple[str, int], ...] = (
    ("99213", 125),
    ("99214", 180),
    ("99215", 250),
    ("99203", 160),
    ("99204", 240),
    ("90837", 190),
    ("90834", 150),
    ("97110", 65),
    ("97140", 60),
    ("20610", 630),
    ("36415", 15),
    ("80053", 45),
    ("71046", 110),
    ("93000", 55),
    ("G0439", 175),
    ("J1100", 30),
)
MODIFIERS = ("", "", "", "", "25", "59", "GP", "KX", "LT", "RT")
# (group, CARC, RARC or ""): the denial reasons, weighted by repetition.
DENIALS: tuple[tuple[str, str, str], ...] = (
    ("CO", "197", "N54"),
    ("CO", "197", "N54"),
    ("CO", "197", ""),
    ("CO", "16", "M127"),
    ("CO", "16", "N290"),
    ("CO", "16", "MA130"),
    ("CO", "11", "M76"),
    ("CO", "4", "N519"),
    ("CO", "97", "M15"),
    ("CO", "50", "N115"),
    ("CO", "50", ""),
    ("CO", "29", ""),
    ("CO", "18", "N522"),
    ("CO", "22", "MA04"),
    ("CO", "27", "N30"),
    ("CO", "31", ""),
    ("CO", "96", "N130"),
    ("CO", "B7", "N570"),
    ("CO", "170", ""),
    ("PR", "204", "N130"),
    ("OA", "18", ""),
    ("PI", "15", "N54"),
    ("CO", "252", "N706"),
)
COST_SHARE = ("1", "2", "3")


@dataclass(frozen=True)
class _Adjudicated:
    number: str
    payer_claim: str
    billed: int  # cents
    paid: int
    denied: bool
    provider: int
    service_date: str


def _money(cents: int) -> str:
    """X12 type R: no trailing zeros beyond what is needed (100, 12.5, 12.34)."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    whole, part = divmod(cents, 100)
    if part == 0:
        return f"{sign}{whole}"
    if part % 10 == 0:
        return f"{sign}{whole}.{part // 10}"
    return f"{sign}{whole}.{part:02d}"


class _Writer:
    """Builds one file's segments; `segments()` yields them without the terminator."""

    def __init__(self, claims: int, seed: int, per_transaction: int) -> None:
        self.claims = claims
        self.random = random.Random(seed)
        self.per_transaction = per_transaction
        self.claim_serial = 0

    def segments(self) -> Iterator[str]:
        rnd = self.random
        transactions = max(1, -(-self.claims // self.per_transaction))
        yield (
            "ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*PRACTICE       "
            "*261201*0930*^*00501*000000835*0*P*:"
        )
        yield "GS*HP*CLEARINGHOUSE*PRACTICE*20261201*0930*835*X*005010X221A1"
        left = self.claims
        for number in range(1, transactions + 1):
            size = min(self.per_transaction, left)
            left -= size
            payer = PAYERS[rnd.randrange(len(PAYERS))]
            body = list(self._transaction(number, size, payer))
            control = f"{number:04d}"
            yield f"ST*835*{control}"
            yield from body
            yield f"SE*{len(body) + 2}*{control}"
        yield f"GE*{transactions}*835"
        yield "IEA*1*000000835"

    def _transaction(self, number: int, size: int, payer: tuple[str, str]) -> Iterator[str]:
        rnd = self.random
        day = 1 + (number * 7) % 27
        production = f"202611{day:02d}"
        payment = f"202611{min(day + 2, 28):02d}"
        claims: list[str] = []
        total = 0
        history: list[_Adjudicated] = []
        count = 0
        lx = 0
        while count < size:
            lx += 1
            claims.append(f"LX*{lx}")
            group_size = min(size - count, rnd.randint(20, 400))
            for _ in range(group_size):
                if history and count + 2 <= size and rnd.random() < 0.01:
                    earlier = history.pop(rnd.randrange(len(history)))
                    segs, paid = self._reversal(earlier)
                    claims += segs
                    total += paid
                    segs, paid, _ = self._claim(earlier.number, earlier, payer)
                    claims += segs
                    total += paid
                    count += 2
                else:
                    self.claim_serial += 1
                    segs, paid, record = self._claim(f"PCN{self.claim_serial:09d}", None, payer)
                    claims += segs
                    total += paid
                    history.append(record)
                    if len(history) > 500:
                        del history[: len(history) - 500]
                    count += 1
                if count >= size:
                    break
        yield (
            f"BPR*I*{_money(total)}*C*ACH*CCP*01*999999999*DA*123456789*1512345678**01*"
            f"888888888*DA*987654321*{payment}"
        )
        yield f"TRN*1*EFT{number:07d}*1512345678"
        yield f"DTM*405*{production}"
        yield f"N1*PR*{payer[0]}*XV*{payer[1]}"
        yield "N3*PO BOX 1000"
        yield "N4*ANYTOWN*NC*27601"
        yield f"REF*2U*{payer[1]}"
        yield "PER*BL*PROVIDER SERVICES*TE*8005551212"
        yield "N1*PE*EXAMPLE FAMILY PRACTICE*XX*1999999992"
        yield "N3*100 MAIN ST"
        yield "N4*ANYTOWN*NC*27601"
        yield "REF*TJ*561234567"
        yield from claims
        if rnd.random() < 0.5:
            yield f"PLB*1999999992*20261231*WO:CLM{number}*{_money(-rnd.randint(100, 5000))}"

    def _claim(
        self, claim_number: str, earlier: _Adjudicated | None, payer: tuple[str, str]
    ) -> tuple[list[str], int, _Adjudicated]:
        rnd = self.random
        provider = earlier.provider if earlier else rnd.randrange(len(PROVIDERS))
        month = 8 + rnd.randrange(3)
        service_date = (
            earlier.service_date if earlier else f"2026{month:02d}{rnd.randint(1, 28):02d}"
        )
        roll = rnd.random()
        if earlier is not None or roll < 0.78:  # after a reversal the claim is paid
            mode = "paid"
        elif roll < 0.86:
            mode = "partial"
        elif roll < 0.965:
            mode = "denied"
        elif roll < 0.972:
            mode = "status4"
        else:
            mode = "claim_level"
        line_count = rnd.choice((1, 1, 1, 2, 2, 3, 4))
        lines: list[list[str]] = []
        billed_total = paid_total = responsibility = 0
        denied_line = rnd.randrange(line_count)
        denial = DENIALS[rnd.randrange(len(DENIALS))]
        for index in range(line_count):
            code, price = PROCEDURES[rnd.randrange(len(PROCEDURES))]
            modifier = MODIFIERS[rnd.randrange(len(MODIFIERS))]
            units = rnd.choice((1, 1, 1, 2))
            billed = price * 100 * units
            allowed = billed * rnd.randint(55, 85) // 100
            composite = f"HC:{code}:{modifier}" if modifier else f"HC:{code}"
            cas: list[str] = []
            lq: list[str] = []
            deny_here = mode == "denied" or (mode == "partial" and index == denied_line)
            if mode in ("status4", "claim_level"):
                paid = 0
            elif deny_here:
                paid = 0
                group, carc, rarc = denial
                cas.append(f"CAS*{group}*{carc}*{_money(billed)}")
                if rarc:
                    lq.append(f"LQ*HE*{rarc}")
            else:
                share = 0
                if rnd.random() < 0.45:
                    share = min(allowed, rnd.choice((2000, 2500, 3000, 4000)))
                paid = allowed - share
                contractual = billed - allowed
                cas.append(f"CAS*CO*45*{_money(contractual)}")
                if share:
                    carc = COST_SHARE[rnd.randrange(3)]
                    cas.append(f"CAS*PR*{carc}*{_money(share)}")
                    responsibility += share
                if rnd.random() < 0.08:
                    lq.append("LQ*HE*N381")
            billed_total += billed
            paid_total += paid
            line = [
                f"SVC*{composite}*{_money(billed)}*{_money(paid)}**{units}",
                f"DTM*472*{service_date}",
                *cas,
                f"REF*6R*{claim_number[-6:]}{index + 1}",
            ]
            if paid:
                line.append(f"AMT*B6*{_money(allowed)}")
            line += lq
            lines.append(line)
        status = {"paid": "1", "partial": "1", "denied": "1", "status4": "4"}.get(mode, "1")
        if mode == "denied" and rnd.random() < 0.3:
            status = "4" if denial[1] == "27" else "1"
        payer_claim = f"{rnd.randrange(10**12):012d}"
        segs = [
            f"CLP*{claim_number}*{status}*{_money(billed_total)}*{_money(paid_total)}*"
            f"{_money(responsibility) if responsibility else ''}*12*{payer_claim}*11*1"
        ]
        if mode == "claim_level":
            group, carc, rarc = denial
            segs.append(f"CAS*{group}*{carc}*{_money(billed_total)}")
        last, first, npi = PROVIDERS[provider]
        serial = int(claim_number[3:]) if claim_number[3:].isdigit() else 0
        segs.append(f"NM1*QC*1*PATIENT{serial % 9973}*PAT****MI*M{serial:010d}")
        segs.append(f"NM1*82*1*{last}*{first}****XX*{npi}")
        if mode == "claim_level" and denial[2]:
            segs.append(f"MOA***{denial[2]}")
        elif mode == "paid" and rnd.random() < 0.1:
            segs.append("MOA***MA01")
        if earlier is not None:
            segs.append(f"REF*F8*{earlier.payer_claim}")
        segs.append(f"REF*EA*MRN{serial:08d}")
        segs.append(f"DTM*232*{service_date}")
        segs.append(f"DTM*233*{service_date}")
        if paid_total:
            segs.append(f"AMT*AU*{_money(paid_total)}")
        for line in lines:
            segs += line
        record = _Adjudicated(
            claim_number,
            payer_claim,
            billed_total,
            paid_total,
            mode != "paid",
            provider,
            service_date,
        )
        return segs, paid_total, record

    def _reversal(self, earlier: _Adjudicated) -> tuple[list[str], int]:
        last, first, npi = PROVIDERS[earlier.provider]
        serial = int(earlier.number[3:])
        segs = [
            f"CLP*{earlier.number}*22*{_money(-earlier.billed)}*{_money(-earlier.paid)}**12*"
            f"{earlier.payer_claim}*11*1",
            f"CAS*CR*45*{_money(-(earlier.billed - earlier.paid))}",
            f"NM1*QC*1*PATIENT{serial % 9973}*PAT****MI*M{serial:010d}",
            f"NM1*82*1*{last}*{first}****XX*{npi}",
            f"REF*F8*{earlier.payer_claim}",
            f"DTM*232*{earlier.service_date}",
        ]
        return segs, -earlier.paid


def segments(
    claims: int, *, seed: int = SEED, per_transaction: int = PER_TRANSACTION
) -> Iterator[str]:
    return _Writer(claims, seed, per_transaction).segments()


def write_835(
    path: Path, claims: int, *, seed: int = SEED, per_transaction: int = PER_TRANSACTION
) -> Path:
    """Write a file of `claims` CLP segments (reversals count as claims) to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer: list[str] = []
    with path.open("w", encoding="ascii", newline="") as out:
        for segment in segments(claims, seed=seed, per_transaction=per_transaction):
            buffer.append(segment)
            if len(buffer) >= 20000:
                out.write("~\n".join(buffer) + "~\n")
                buffer.clear()
        if buffer:
            out.write("~\n".join(buffer) + "~\n")
    return path


# --- the burst of the Slack benchmark ---------------------------------------------------------

BURST_PATTERNS = 5
BURST_PER_PATTERN = 24
BURST_DENIALS = 200


def burst_835(
    *,
    patterns: int = BURST_PATTERNS,
    per_pattern: int = BURST_PER_PATTERN,
    denials: int = BURST_DENIALS,
    seed: int = SEED,
) -> bytes:
    """One remittance: 200 denied claims, 120 of them in five patterns of 24 (same payer,
    CARC and rendering provider); the other 80 each have a pattern of their own."""
    rnd = random.Random(seed)
    pattern_reasons = [
        ("CO", "197", "N54"),
        ("CO", "16", "M127"),
        ("CO", "11", "M76"),
        ("CO", "50", "N115"),
        ("CO", "18", "N522"),
    ]
    specs: list[tuple[str, str, str, int]] = []  # group, carc, rarc, provider
    for index, (group, carc, rarc) in enumerate(pattern_reasons[:patterns]):
        specs += [(group, carc, rarc, index)] * per_pattern
    # 80 singles: every (reason, provider) pair distinct and different from the five above.
    singles = [
        (g, c, r, p)
        for p in range(len(PROVIDERS))
        for g, c, r in DENIALS
        if (g, c, r, p) not in specs
    ]
    seen: set[tuple[str, str, int]] = {(g, c, p) for g, c, _, p in specs}
    for group, carc, rarc, provider in singles:
        if len(specs) >= denials:
            break
        if (group, carc, provider) in seen:
            continue
        seen.add((group, carc, provider))
        specs.append((group, carc, rarc, provider))
    rnd.shuffle(specs)
    body = [
        "BPR*I*0*C*NON************20261128",
        "TRN*1*BURST0001*1512345678",
        "DTM*405*20261127",
        "N1*PR*AETNA*XV*60054",
        "REF*2U*60054",
        "N1*PE*EXAMPLE FAMILY PRACTICE*XX*1999999992",
        "LX*1",
    ]
    for serial, (group, carc, rarc, provider) in enumerate(specs, start=1):
        last, first, npi = PROVIDERS[provider]
        code, price = PROCEDURES[rnd.randrange(len(PROCEDURES))]
        billed = _money(price * 100)
        body += [
            f"CLP*BURST{serial:05d}*1*{billed}*0**12*ICN{serial:09d}*11*1",
            f"NM1*QC*1*PATIENT{serial}*PAT****MI*B{serial:08d}",
            f"NM1*82*1*{last}*{first}****XX*{npi}",
            "DTM*232*20261020",
            f"SVC*HC:{code}*{billed}*0**1",
            "DTM*472*20261020",
            f"CAS*{group}*{carc}*{billed}",
        ]
        if rarc:
            body.append(f"LQ*HE*{rarc}")
    segments_ = [
        "ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*PRACTICE       "
        "*261128*0930*^*00501*000000900*0*P*:",
        "GS*HP*CLEARINGHOUSE*PRACTICE*20261128*0930*900*X*005010X221A1",
        "ST*835*0001",
        *body,
        f"SE*{len(body) + 2}*0001",
        "GE*1*900",
        "IEA*1*000000900",
    ]
    return ("~\n".join(segments_) + "~\n").encode("ascii")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m bench.gen_835 CLAIMS PATH", file=sys.stderr)
        return 2
    write_835(Path(argv[1]), int(argv[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
