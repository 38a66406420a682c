"""What counts as a denial in one claim adjudication (denial-facts.md section 1).

Pure: a `ClaimRecord` in, a `DenialFinding` (or None) out. Categories come from the
`RootCauseTable` (section 2); deadlines are `payer_rules`' business.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import StrEnum

from bot.domain.findings import DenialFinding, DenialReason, RootCause
from bot.domain.records import Adjustment, ClaimKind, ClaimRecord, ServiceLine
from bot.domain.root_causes import CodeFlag, RootCauseTable, default_table, normalize_code


class AdjustmentClass(StrEnum):
    PATIENT_RESPONSIBILITY = "patient_responsibility"
    CONTRACTUAL = "contractual"
    INFORMATIONAL = "informational"
    REVERSAL = "reversal"
    DENIAL = "denial"


# Rule 1: cost share billed to the patient, not a denial to work. The section lists
# "1, 2, 3, 66, 142, 187, 241 …"; only the listed codes are trusted here.
COST_SHARE_CARCS = frozenset({"1", "2", "3", "66", "142", "187", "241"})
# Rule 2: contractual write-offs (45, 253 sequestration, 59, 24, 94, 131, 144; legacy 42, A2).
CONTRACTUAL_CARCS = frozenset({"45", "253", "59", "24", "94", "131", "144", "42", "A2"})
CONTRACTUAL_GROUPS = frozenset({"CO", "OA", "PI"})
# Rule 3: 23 = impact of prior payer adjudication. 133 (pended) and B11 (forwarded to the
# proper payer) are INFO in the section 2 table too, whose legend says INFO = "not a denial".
INFORMATIONAL_CARCS = frozenset({"23", "133", "B11"})
TIMELY_FILING_CARC = "29"  # Medicare: timely-filing denials carry no appeal rights (section 3)

_CACHED_CHARS = 16
STATUS_DENIED = "4"  # CLP02=4: patient/subscriber not recognised (RFI 1423, 1079, 1885)

STATUS_4_EXPLANATION = (
    "Claim denied (status 4): the payer did not recognise the patient or subscriber: "
    "check eligibility, the member ID and the name"
)
DENIED_BY_TEXT_EXPLANATION = "No reason code in the report; it says: “{text}”"
DENIED_BY_STATUS_EXPLANATION = (
    "Denied by the payer; the report gives no reason code: check the remittance"
)


def classify_adjustment(adj: Adjustment) -> AdjustmentClass:
    """Rules 1-5 of section 1 for one CAS triplet. Total: unknown codes are denials (rule 5)."""
    return _classify(adj.group, adj.carc)


def _classify(group: str, carc: str) -> AdjustmentClass:
    found = _classes.get((group, carc))
    if found is None:
        found = _class_of(group, carc)
        # A handful of (group, CARC) pairs cover a whole remittance; long garbage is not kept.
        if len(group) + len(carc) <= _CACHED_CHARS:
            if len(_classes) >= _CACHED_CLASSES:
                _classes.clear()
            _classes[(group, carc)] = found
    return found


_CACHED_CLASSES = 4096
_classes: dict[tuple[str, str], AdjustmentClass] = {}


def _class_of(raw_group: str, raw_carc: str) -> AdjustmentClass:
    # A CSV export's bare CARC is read as CO: the provider-liability default.
    group = raw_group.strip().upper() or "CO"
    carc = normalize_code(raw_carc)
    if group == "CR":  # rule 4: 4010 correction/reversal group
        return AdjustmentClass.REVERSAL
    if carc in INFORMATIONAL_CARCS:  # rule 3, whatever the group (e.g. PR-23 in samples)
        return AdjustmentClass.INFORMATIONAL
    if group == "PR":
        # Rule 1; PR-45 is an out-of-network balance the patient owes (section 2, inference).
        if carc in COST_SHARE_CARCS or carc == "45":
            return AdjustmentClass.PATIENT_RESPONSIBILITY
        return AdjustmentClass.DENIAL  # rule 5: liability moved to the patient (PR-29, PR-204)
    if carc in CONTRACTUAL_CARCS and group in CONTRACTUAL_GROUPS:  # rule 2
        return AdjustmentClass.CONTRACTUAL
    return AdjustmentClass.DENIAL  # rule 5 (also CO-1: cost share under CO is a payer error)


def classify_claim(
    claim: ClaimRecord, *, table: RootCauseTable | None = None, medicare: bool = False
) -> DenialFinding | None:
    """The denial in one adjudication, or None when nothing on it is denied.

    `medicare` (payer is Medicare fee-for-service, see `payer_rules.is_medicare`) turns
    CO-29 into a no-appeal denial: Medicare gives no appeal rights for timely filing.
    """
    if claim.kind is not ClaimKind.ADJUDICATED:
        return None
    status_denied = claim.status_code.strip() == STATUS_DENIED
    if not (status_denied or claim.denied_by_status or _any_denial(claim)):
        return None  # most claims: paid, adjusted only by contract and cost share
    table = table or default_table()
    reasons: list[DenialReason] = []
    denied_lines: list[str] = []
    for line in claim.lines:
        if not line.adjustments:
            continue
        # A line without LQ remarks inherits the claim's MOA/MIA remarks.
        remarks = line.remarks or claim.remarks
        line_reasons = _reasons(line.adjustments, remarks, line, table)
        if line_reasons:  # SVC03 = 0: denied; SVC03 > 0: partially denied
            denied_lines.append(_cpt(line))
        reasons.extend(line_reasons)
    claim_reasons = _reasons(claim.adjustments, claim.remarks, None, table)
    reasons.extend(claim_reasons)

    whole_claim = status_denied or bool(claim_reasons)
    if reasons:
        denied = Decimal(0)
        for reason in reasons:
            denied += reason.amount
        # max keeps the first on ties
        largest = reasons[0] if len(reasons) == 1 else max(reasons, key=lambda r: r.amount)
        category, explanation = largest.category, largest.explanation
    elif status_denied:
        denied = max(claim.billed - claim.paid, Decimal(0))
        category, explanation = RootCause.ELIGIBILITY, STATUS_4_EXPLANATION  # inference, sec. 1
    elif claim.denied_by_status:
        denied = max(claim.billed - claim.paid, Decimal(0))
        category, explanation = RootCause.OTHER, DENIED_BY_STATUS_EXPLANATION
        if claim.reason_text:
            explanation = DENIED_BY_TEXT_EXPLANATION.format(text=claim.reason_text)
        whole_claim = True
    else:
        return None

    cpts = [_cpt(line) for line in claim.lines] if whole_claim else denied_lines
    rarcs = [r for reason in reasons for r in reason.rarcs] or _all_remarks(claim)
    no_appeal_reason = _no_appeal_reason(reasons, claim, table, medicare=medicare)
    # Positional (in the field order): keywords cost a frozen dataclass noticeably more.
    return DenialFinding(
        denied,  # denied_amount
        category,
        explanation,
        tuple(reasons),
        _unique([r.code for r in reasons]),  # carcs
        _unique(rarcs),
        _unique(cpts),
        claim.paid > 0,  # partial
        whole_claim,
        any(r.group == "PR" for r in reasons),  # patient_liable (group normalized in _reasons)
        no_appeal_reason is not None,  # no_appeal
        no_appeal_reason,
    )


def _any_denial(claim: ClaimRecord) -> bool:
    """Whether `_reasons` finds a denial on the claim or any of its lines (the same test)."""
    if claim.adjustments and _denies(claim.adjustments):
        return True
    for line in claim.lines:  # noqa: SIM110 - any() over a generator costs more, per claim
        if line.adjustments and _denies(line.adjustments):
            return True
    return False


def _denies(adjustments: Iterable[Adjustment]) -> bool:
    classes = _classes
    for adj in adjustments:
        # The class first: most adjustments are contractual or cost share. Hot (every
        # adjustment of every claim): the cache is read here, `_classify` fills it.
        found = classes.get((adj.group, adj.carc)) or _classify(adj.group, adj.carc)
        if found is AdjustmentClass.DENIAL and adj.amount > 0:
            return True
    return False


def _reasons(
    adjustments: Iterable[Adjustment],
    remarks: Sequence[str],
    line: ServiceLine | None,
    table: RootCauseTable,
) -> list[DenialReason]:
    """The denial reasons among `adjustments`, of `line` or (None) of the claim itself."""
    # Worked out at the first denial: most lines have none.
    rarcs: tuple[str, ...] | None = None
    procedure: str | None = None
    reasons = []
    for adj in adjustments:
        # Only money the payer kept counts: a zero or negative denial amount is a correction
        # (never net it against real denials; reversals are CLP02=22 and never reach here).
        if _classify(adj.group, adj.carc) is not AdjustmentClass.DENIAL or adj.amount <= 0:
            continue
        if rarcs is None:
            rarcs = _unique([normalize_code(r) for r in remarks if r.strip()])
            procedure = None if line is None else _cpt(line)
        category, explanation = table.categorize(adj.group, adj.carc, rarcs)
        group, carc = adj.group.strip().upper(), normalize_code(adj.carc)
        # Positional: keywords cost a frozen dataclass noticeably more, once per denied line.
        reasons.append(
            DenialReason(group, carc, adj.amount, rarcs, procedure, category, explanation)
        )
    return reasons


def _no_appeal_reason(
    reasons: Sequence[DenialReason], claim: ClaimRecord, table: RootCauseTable, *, medicare: bool
) -> str | None:
    """The code that takes appeal rights away, when it covers every denied reason.

    A claim-level MA130/N211 covers the whole claim. A finding that mixes no-appeal and
    appealable reasons keeps its appeal clock: it is the earlier deadline (e.g. Medicare:
    120 days from the notice vs. 12 months from the date of service).
    """
    claim_code = _first_no_appeal_rarc(claim.remarks, table)
    if claim_code is not None:
        return claim_code
    if not reasons:
        return None
    codes = [_reason_no_appeal(reason, table, medicare=medicare) for reason in reasons]
    if any(code is None for code in codes):
        return None
    return codes[0]


def _reason_no_appeal(reason: DenialReason, table: RootCauseTable, *, medicare: bool) -> str | None:
    code = _first_no_appeal_rarc(reason.rarcs, table)
    if code is None and medicare and reason.carc == TIMELY_FILING_CARC:
        return reason.code  # Noridian JEB timely filing: no appeal rights, section 3
    return code


def _first_no_appeal_rarc(rarcs: Iterable[str], table: RootCauseTable) -> str | None:
    for rarc in rarcs:
        if table.rarc_flag(rarc) is CodeFlag.NO_APPEAL:
            return normalize_code(rarc)
    return None


def _all_remarks(claim: ClaimRecord) -> list[str]:
    remarks = [*claim.remarks, *(r for line in claim.lines for r in line.remarks)]
    return [normalize_code(r) for r in remarks]


def _cpt(line: ServiceLine) -> str:
    """'99213-25': procedure and modifiers joined by '-' (empty when SVC01 had no code)."""
    key = (line.procedure, line.modifiers)
    cpt = _cpts.get(key)
    if cpt is None:
        procedure = line.procedure.strip()
        modifiers = [m.strip() for m in line.modifiers if m.strip()]
        cpt = "-".join([procedure, *modifiers]) if procedure else ""
        # A practice bills a few hundred code and modifier combinations.
        if len(_cpts) >= _CACHED_CPTS:
            _cpts.clear()
        _cpts[key] = cpt
    return cpt


_CACHED_CPTS = 4096
_cpts: dict[tuple[str, tuple[str, ...]], str] = {}


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    """In order of first appearance, no repeats, no blanks."""
    if len(values) == 1:
        return (values[0],) if values[0] else ()
    seen = dict.fromkeys(values)
    seen.pop("", None)
    return tuple(seen)
