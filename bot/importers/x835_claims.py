"""Claim (loop 2100) and service line (loop 2110) of an 835, collected segment by segment.

A draft is filled while its segments stream by and turned into a frozen `ClaimRecord` when the
next CLP, LX, PLB or SE closes it. Claim-level CAS (before the first SVC) and line CAS are kept
apart: the denial rules judge a claim without lines on its 2100 CAS alone (denial-facts §1).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Container, Iterator
from datetime import date
from decimal import Decimal
from typing import Any, Final

from bot.domain.records import (
    Adjustment,
    ClaimKind,
    ClaimRecord,
    Party,
    RemittanceInfo,
    ServiceLine,
)
from bot.errors import InputError
from bot.importers.x12_segments import Segment
from bot.importers.x835_values import (
    NEXT_STEP,
    Warn,
    amount,
    element,
    element_name,
    known_date,
    known_number,
    number_of_units,
    padded,
    required_date,
    shown,
    split_composite,
)

# CLP02 (element 1029) → what the claim is; 4 stays ADJUDICATED so the denial rules see it
# (they treat it as a whole-claim denial, RFI 1423). denial-facts.md §1.
CLAIM_KINDS: Final[dict[str, ClaimKind]] = {
    "1": ClaimKind.ADJUDICATED,
    "2": ClaimKind.ADJUDICATED,
    "3": ClaimKind.ADJUDICATED,
    "4": ClaimKind.ADJUDICATED,
    "19": ClaimKind.ADJUDICATED,
    "20": ClaimKind.ADJUDICATED,
    "21": ClaimKind.ADJUDICATED,
    "22": ClaimKind.REVERSAL,
    "23": ClaimKind.FORWARDED,
    "25": ClaimKind.PREDETERMINATION,
}
_CAS_TRIPLETS: Final = range(2, 20, 3)  # CAS02-04, 05-07, … 17-19: up to six per segment
MIA_REMARKS: Final = (5, 20, 21, 22, 23)  # MIA05 and MIA20-23 carry RARCs
MOA_REMARKS: Final = (3, 4, 5, 6, 7)  # MOA03-07 carry RARCs
_NPI_QUALIFIER: Final = "XX"  # NM108 = XX: NM109 is the NPI


_new = object.__new__
_SlotSetter = Callable[[Any, Any], None]


def _slot_setters(cls: type, *names: str) -> tuple[_SlotSetter, ...]:
    """Setters of the slots of the frozen, slotted dataclass `cls`: `names` must be all its
    fields, in order (checked here, so that a field added later cannot be left unset).

    The 835 reader builds its records with these: the dataclass's own __init__ sets each field
    through object.__setattr__ (how frozen=True works), which costs about twice as much, and
    it runs once per claim and once per service line.
    """
    fields = tuple(field.name for field in dataclasses.fields(cls))
    if names != fields:
        raise TypeError(f"{cls.__name__} has the fields {fields}, not {names}")
    return tuple(getattr(cls, name).__set__ for name in names)


(
    _line_procedure,
    _line_modifiers,
    _line_billed,
    _line_paid,
    _line_units,
    _line_qualifier,
    _line_original_procedure,
    _line_service_date,
    _line_control,
    _line_adjustments,
    _line_remarks,
) = _slot_setters(
    ServiceLine,
    "procedure",
    "modifiers",
    "billed",
    "paid",
    "units",
    "qualifier",
    "original_procedure",
    "service_date",
    "line_control",
    "adjustments",
    "remarks",
)
(
    _claim_remittance,
    _claim_number,
    _claim_status_code,
    _claim_kind,
    _claim_billed,
    _claim_paid,
    _claim_patient_responsibility,
    _claim_payer_claim_number,
    _claim_original_reference,
    _claim_service_date,
    _claim_patient,
    _claim_rendering_provider,
    _claim_adjustments,
    _claim_remarks,
    _claim_lines,
    _claim_denied_by_status,
    _claim_source_line,
    _claim_reason_text,
) = _slot_setters(
    ClaimRecord,
    "remittance",
    "claim_number",
    "status_code",
    "kind",
    "billed",
    "paid",
    "patient_responsibility",
    "payer_claim_number",
    "original_reference",
    "service_date",
    "patient",
    "rendering_provider",
    "adjustments",
    "remarks",
    "lines",
    "denied_by_status",
    "source_line",
    "reason_text",
)


def unique(codes: list[str]) -> tuple[str, ...]:
    """Codes in order of first appearance; payers repeat LQ/MOA codes (pyx12 bad_header)."""
    if len(codes) < 2:
        return tuple(codes)
    return tuple(dict.fromkeys(codes))


def person_or_org(fields: list[str]) -> str:
    """`LAST, FIRST M` for a person (NM102=1), the name as written for an organisation.

    `fields`: an NM1 with at least 6 elements (see `padded`).
    """
    last, first, middle = fields[3], fields[4], fields[5]
    if fields[2] == "2" or not first:
        return last
    return f"{last}, {first} {middle}".rstrip() if middle else f"{last}, {first}"


def adjustments(fields: list[str], number: int) -> list[Adjustment]:
    """The triplets of one CAS segment; an unreadable group, reason, amount or quantity refuses
    the file (a skipped adjustment would lose or invent a denial)."""
    size = len(fields)
    group = fields[1] if size > 1 else ""
    found: list[Adjustment] = []
    for start in _CAS_TRIPLETS:
        if start >= size:
            break
        reason = fields[start]
        value = fields[start + 1] if start + 1 < size else ""
        quantity = fields[start + 2] if start + 2 < size else ""
        if not reason and not value and not quantity:
            continue
        key = (group, reason, value, quantity)
        adjustment = _known_adjustments.get(key)
        if adjustment is None:
            adjustment = _adjustment(key, start, number)
        found.append(adjustment)
    return found


# A remittance repeats a few hundred (group, CARC, amount) triplets thousands of times, and an
# `Adjustment` is immutable: the triplets read are shared. This cache and the reader's others
# below are cleared when they hold _CACHED entries.
_CACHED: Final = 4096
_ADJUSTMENT_CHARS: Final = 40  # longer triplets are garbage, not worth keeping
_known_adjustments: dict[tuple[str, str, str, str], Adjustment] = {}
# CAS01 is an ID of up to 2 characters (CO, OA, PI, PR, CR); a CARC up to 5. Codes of that
# shape that we do not know are kept as written (a new CARC must not stop an import), but a
# placeholder such as `grp_code` is not a code: the file is damaged there.
_GROUP: Final = re.compile(r"[A-Z0-9]{1,2}")
_CARC: Final = re.compile(r"[A-Z0-9]{1,5}")


def _adjustment(key: tuple[str, str, str, str], start: int, number: int) -> Adjustment:
    group, reason, value, quantity = key
    if not _GROUP.fullmatch(group):
        raise InputError(
            f'CAS01 group code "{shown(group)}" is not a claim adjustment group code '
            f"(CO, OA, PI, PR or CR). {NEXT_STEP}",
            segment_number=number,
            segment_id="CAS",
        )
    if not _CARC.fullmatch(reason):
        what = "is empty" if not reason else f'"{shown(reason)}" is not a reason code (CARC)'
        raise InputError(
            f"{element_name('CAS', start)} {what}. {NEXT_STEP}",
            segment_number=number,
            segment_id="CAS",
        )
    parsed = amount(value, "CAS", start + 1, number)
    count = number_of_units(quantity, "CAS", start + 2, number) if quantity else None
    adjustment = Adjustment(group, reason, parsed, count)
    if sum(map(len, key)) <= _ADJUSTMENT_CHARS:
        if len(_known_adjustments) >= _CACHED:
            _known_adjustments.clear()
        _known_adjustments[key] = adjustment
    return adjustment


class LineDraft:
    """One SVC (loop 2110) with its DTM, CAS, REF*6R and LQ*HE."""

    __slots__ = (
        "adjustments",
        "billed",
        "dates",
        "line_control",
        "modifiers",
        "original_procedure",
        "paid",
        "procedure",
        "qualifier",
        "remarks",
        "units",
    )

    def __init__(
        self, fields: list[str], number: int, component: str, separator: str, warn: Warn
    ) -> None:
        if len(fields) < 7:
            fields = padded(fields, 7)
        procedure = _procedures.get((fields[1], component))
        if procedure is None:
            procedure = _procedure(fields[1], component, separator)
        self.qualifier, self.procedure, self.modifiers = procedure
        if not self.procedure:
            warn("SVC01 has no procedure code; the line was kept without one.", number, "SVC")
        billed, paid = known_number(fields[2]), known_number(fields[3])
        self.billed = _line_amount(fields[2], 2, number, warn) if billed is None else billed
        self.paid = _line_amount(fields[3], 3, number, warn) if paid is None else paid
        units = fields[5]
        self.units: Decimal | None = None
        if units:
            self.units = known_number(units) or number_of_units(units, "SVC", 5, number)
        self.original_procedure: str | None = None
        if fields[6]:  # SVC06: the code as billed, when the payer adjudicated another one
            original = split_composite(fields[6], component, separator)
            self.original_procedure = original[1] if len(original) > 1 and original[1] else None
        self.dates: dict[str, date] = {}
        self.line_control: str | None = None
        self.adjustments: list[Adjustment] = []
        self.remarks: list[str] = []

    @property
    def service_date(self) -> date | None:
        """DTM*472 (service date), else 150 (period start), else 151 (period end)."""
        dates = self.dates
        if not dates:
            return None
        return dates.get("472") or dates.get("150") or dates.get("151")

    def build(self) -> ServiceLine:
        line: ServiceLine = _new(ServiceLine)  # slots set directly: see _slot_setters
        _line_procedure(line, self.procedure)
        _line_modifiers(line, self.modifiers)
        _line_billed(line, self.billed)
        _line_paid(line, self.paid)
        _line_units(line, self.units)
        _line_qualifier(line, self.qualifier)
        _line_original_procedure(line, self.original_procedure)
        _line_service_date(line, self.service_date)
        _line_control(line, self.line_control)
        _line_adjustments(line, tuple(self.adjustments))
        _line_remarks(line, unique(self.remarks))
        return line


def _procedure(composite: str, component: str, separator: str) -> tuple[str, str, tuple[str, ...]]:
    """SVC01 as (qualifier, procedure, modifiers), remembered when read the usual way."""
    parts = split_composite(composite, component, separator)
    modifiers = tuple([m for m in parts[2:6] if m]) if len(parts) > 2 else ()
    procedure = (parts[0], parts[1] if len(parts) > 1 else "", modifiers)
    if component in composite and len(composite) <= _PROCEDURE_CHARS:
        if len(_procedures) >= _CACHED:
            _procedures.clear()
        _procedures[(composite, component)] = procedure
    return procedure


# A practice bills a few hundred code and modifier combinations, on every other line.
_PROCEDURE_CHARS: Final = 40
_procedures: dict[tuple[str, str], tuple[str, str, tuple[str, ...]]] = {}


def _line_amount(value: str, position: int, number: int, warn: Warn) -> Decimal:
    # An empty SVC02/SVC03 happens in published samples (blue_cross_nc `SVC*HC:59426******742`):
    # read it as 0 and say so; a value that is there but not a number refuses the file.
    if not value:
        warn(f"{element_name('SVC', position)} is empty; read as 0.", number, "SVC")
        return Decimal(0)
    return amount(value, "SVC", position, number)


class ClaimDraft:
    """One CLP (loop 2100) and everything that belongs to it until the next claim.

    `read_body` takes the claim's segments from the stream itself: they are most of a file,
    and one loop here spares each of them the reader's general dispatch.
    """

    __slots__ = (
        "adjustments",
        "billed",
        "claim_number",
        "component",
        "dates",
        "end",
        "kind",
        "line",
        "lines",
        "number",
        "original_reference",
        "paid",
        "patient",
        "patient_responsibility",
        "payer_claim_number",
        "provider",
        "remarks",
        "separator",
        "status",
        "warn",
    )

    def __init__(
        self, fields: list[str], number: int, warn: Warn, separators: tuple[str, str]
    ) -> None:
        """`separators`: the interchange's (component, element) separators, for SVC01/06."""
        self.number = number
        self.warn = warn
        self.component, self.separator = separators
        if len(fields) < 8:
            fields = padded(fields, 8)
        self.claim_number = fields[1]
        if not self.claim_number:
            raise InputError(
                f"a claim has no claim number (CLP01 is empty). {NEXT_STEP}",
                segment_number=number,
                segment_id="CLP",
            )
        self.status = fields[2]
        kind = CLAIM_KINDS.get(self.status)
        if kind is None:
            raise InputError(
                f'claim status CLP02 "{shown(self.status)}" is not an 835 claim status code '
                f"({', '.join(CLAIM_KINDS)}). {NEXT_STEP}",
                segment_number=number,
                segment_id="CLP",
            )
        self.kind = kind
        # CLP03/CLP04 are required: a claim without its totals cannot be judged, so an empty
        # or damaged value refuses the file (unlike SVC02/03, see _line_amount).
        self.billed = amount(fields[3], "CLP", 3, number)
        self.paid = amount(fields[4], "CLP", 4, number)
        responsibility = fields[5]
        self.patient_responsibility = (
            amount(responsibility, "CLP", 5, number) if responsibility else None
        )
        self.payer_claim_number = fields[7] or None
        self.original_reference: str | None = None
        self.patient = _NOBODY
        self.provider = _NOBODY
        self.dates: dict[str, date] = {}
        self.adjustments: list[Adjustment] = []
        self.remarks: list[str] = []
        self.lines: list[LineDraft] = []
        self.line: LineDraft | None = None
        self.end: tuple[int, str] | None = None

    def read_body(self, segments: Iterator[Segment], stops: Container[str]) -> Segment | None:
        """Read this claim's segments from `segments`; return the first one that is not the
        claim's (one of `stops`, which the caller handles), or None at the end of the stream,
        with `end` then set to the last segment's (number, id).

        Segments that are neither the claim's nor in `stops` (AMT, QTY, …) carry nothing the
        denial rules use and are skipped, as the reader skips them.
        """
        body = _BODY
        number, segment_id = self.number, "CLP"
        for number, segment_id, fields in segments:
            read = body.get(segment_id)
            if read is not None:
                read(self, number, fields)
            elif segment_id in stops:
                return number, segment_id, fields
        self.end = (number, segment_id)
        return None

    def cas(self, number: int, fields: list[str]) -> None:
        line = self.line
        target = self.adjustments if line is None else line.adjustments
        if len(fields) == 4:  # one triplet without a quantity, most often one seen before
            known = _known_adjustments.get((fields[1], fields[2], fields[3], ""))
            if known is not None:
                target.append(known)
                return
        target.extend(adjustments(fields, number))

    def svc(self, number: int, fields: list[str]) -> None:
        self.line = line = LineDraft(fields, number, self.component, self.separator, self.warn)
        self.lines.append(line)

    def nm1(self, number: int, fields: list[str]) -> None:
        if len(fields) < 10:
            fields = padded(fields, 10)
        entity = fields[1]
        if entity == "QC":  # patient: name and member id (PHI: never put in messages)
            self.patient = Party(person_or_org(fields), fields[9] or None)
        elif entity == "82":  # rendering provider; NM109 is an NPI only when NM108 = XX
            npi = fields[9] if fields[8] == _NPI_QUALIFIER else ""
            self.provider = _party(person_or_org(fields), npi or None)

    def dtm(self, number: int, fields: list[str]) -> None:
        if len(fields) < 3 or not fields[2]:
            return
        qualifier, value = fields[1], fields[2]
        parsed = known_date(value) or required_date(value, "DTM", qualifier, number)
        dates = self.dates if self.line is None else self.line.dates
        if qualifier not in dates:  # the first one counts
            dates[qualifier] = parsed

    def ref(self, number: int, fields: list[str]) -> None:
        if len(fields) < 3:
            fields = padded(fields, 3)
        if self.line is not None:
            if fields[1] == "6R":
                self.line.line_control = fields[2] or None
        elif fields[1] == "F8":
            self.original_reference = fields[2] or None

    def mia(self, number: int, fields: list[str]) -> None:
        self.remark_codes(fields, MIA_REMARKS)

    def moa(self, number: int, fields: list[str]) -> None:
        self.remark_codes(fields, MOA_REMARKS)

    def lq(self, number: int, fields: list[str]) -> None:
        line = self.line
        if line is None:
            self.warn("LQ remark code outside a service line was ignored.", number, "LQ")
        elif element(fields, 1) == _REMARK_LQ and element(fields, 2):
            line.remarks.append(fields[2])

    def remark_codes(self, fields: list[str], positions: tuple[int, ...]) -> None:
        self.remarks.extend(code for code in (element(fields, p) for p in positions) if code)

    def service_date(self) -> date | None:
        if "232" in self.dates:
            return self.dates["232"]
        line_dates = [d for d in (line.service_date for line in self.lines) if d is not None]
        return min(line_dates) if line_dates else None

    def build(self, remittance: RemittanceInfo) -> ClaimRecord:
        claim: ClaimRecord = _new(ClaimRecord)  # slots set directly: see _slot_setters
        _claim_remittance(claim, remittance)
        _claim_number(claim, self.claim_number)
        _claim_status_code(claim, self.status)
        _claim_kind(claim, self.kind)
        _claim_billed(claim, self.billed)
        _claim_paid(claim, self.paid)
        _claim_patient_responsibility(claim, self.patient_responsibility)
        _claim_payer_claim_number(claim, self.payer_claim_number)
        _claim_original_reference(claim, self.original_reference)
        _claim_service_date(claim, self.service_date())
        _claim_patient(claim, self.patient)
        _claim_rendering_provider(claim, self.provider)
        _claim_adjustments(claim, tuple(self.adjustments))
        _claim_remarks(claim, unique(self.remarks))
        _claim_lines(claim, tuple([line.build() for line in self.lines]))
        _claim_denied_by_status(claim, False)
        _claim_source_line(claim, self.number)
        _claim_reason_text(claim, None)
        return claim


def _party(name: str, identifier: str | None) -> Party:
    """A rendering provider: a practice has a few, named on every claim (Party is immutable)."""
    key = (name, identifier)
    party = _parties.get(key)
    if party is None:
        if len(_parties) >= _CACHED:
            _parties.clear()
        party = _parties[key] = Party(name, identifier)
    return party


_parties: dict[tuple[str, str | None], Party] = {}
_NOBODY: Final = Party()
_REMARK_LQ: Final = "HE"  # LQ*HE carries RARCs; LQ*RX (NCPDP reject codes) is not ours
# The segments of a claim's body (loop 2100 after CLP, and its 2110 lines), by id.
_BODY: Final[dict[str, Callable[[ClaimDraft, int, list[str]], None]]] = {
    "CAS": ClaimDraft.cas,
    "DTM": ClaimDraft.dtm,
    "LQ": ClaimDraft.lq,
    "MIA": ClaimDraft.mia,
    "MOA": ClaimDraft.moa,
    "NM1": ClaimDraft.nm1,
    "REF": ClaimDraft.ref,
    "SVC": ClaimDraft.svc,
}
BODY_SEGMENTS: Final = frozenset(_BODY)
