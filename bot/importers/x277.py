"""X12 277 reader: claim status (005010X212 and the unsolicited 004010X070), requests for
additional information (277RFAI, 005010X213) and claim acknowledgments (277CA, 005010X214).

`read_277(stream)` returns a `StatusFile277`; iterating it streams one `StatusRecord` per status
loop that carries a status (2200B batch, 2200C provider, 2200D/E claim, with the claim's service
lines), so memory does not grow with the file. The three guides share one hierarchy
(HL 20 information source → 21 receiver → 19 provider → 22 subscriber / 23 dependent / PT
patient), so one reader serves them; the guide only decides where the practice's claim number
is (see `_claim_number`).

The segment and envelope code is the 835 reader's (`x12_segments`, `x835_envelope`). A file is
imported whole or not at all: a status, date or amount that cannot be read refuses the file
naming the segment, since a request or rejection read wrong would put the wrong work, or the
wrong due date, on someone's list. Oddities that lose nothing become `warnings`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import BinaryIO, Final

from bot.domain.claim_status import (
    ClaimStatus,
    StatusHeader,
    StatusLevel,
    StatusLine,
    StatusRecord,
    StatusTransaction,
)
from bot.domain.records import ImportWarning, Party, Payer
from bot.errors import InputError
from bot.importers.x12_segments import SegmentReader, X12File
from bot.importers.x277_values import (
    read_composites,
    read_dtp,
    read_quantity,
    transaction_of,
)
from bot.importers.x835_envelope import Envelope, Expected, outside_transaction
from bot.importers.x835_values import (
    NEXT_STEP,
    amount,
    element,
    parse_date,
    shown,
    split_composite,
)

MAX_WARNINGS: Final = 200
CLAIM_STATUS_SET: Final = Expected(
    frozenset({"277"}),
    "a 277 claim status, 277RFAI or 277CA file",
    "the 277 (claim status, request for information or claim acknowledgment) file",
)
_SEGMENT_ID: Final = re.compile(r"[A-Z0-9]{2,3}")
_NPI_QUALIFIER: Final = "XX"

# HL03 → what a level holds. 22/23 are the 277's subscriber and dependent, PT the patient of
# the 277CA and 277RFAI: all three hold claims.
_SOURCE, _RECEIVER, _PROVIDER = "20", "21", "19"
_CLAIM_LEVELS: Final = frozenset({"22", "23", "PT"})
_LEVEL_OF: Final = {_RECEIVER: StatusLevel.RECEIVER, _PROVIDER: StatusLevel.PROVIDER}
# NM101 entity codes, per level.
_SOURCE_ENTITIES: Final = frozenset({"PR", "AY"})  # payer, clearinghouse
_CLEARINGHOUSE: Final = "AY"
_PROVIDER_ENTITIES: Final = frozenset({"1P", "85"})  # provider of service, billing provider
_PATIENT_ENTITIES: Final = frozenset({"IL", "QC"})
# REF qualifiers.
_PRACTICE_CLAIM_REFS: Final = ("EJ", "X1")  # patient control number (CLM01), provider claim no.
_PAYER_CLAIM_REF: Final = "1K"
_CLEARINGHOUSE_REF: Final = "D9"
_BILL_TYPE_REF: Final = "BLT"
_LINE_CONTROL_REF: Final = "FJ"
# QTY / AMT qualifiers of the batch and provider levels.
_ACCEPTED_QTY: Final = frozenset({"90", "QA"})
_REJECTED_QTY: Final = frozenset({"AA", "QC"})
_ACCEPTED_AMT, _REJECTED_AMT = "YU", "YY"


class StatusFile277(X12File[StatusRecord]):
    """One 277 file being read. Iterate once for the records; `warnings` fill meanwhile."""

    named = "a 277"

    def _records(self, segments: SegmentReader) -> Iterator[StatusRecord]:
        return _Reader(segments, self.warnings).records()


def read_277(stream: BinaryIO, *, file_name: str = "") -> StatusFile277:
    """Read a 277 from a binary stream; nothing is read until the result is iterated."""
    return StatusFile277(stream, file_name=file_name)


@dataclass
class _Level:
    """One HL: its code and who it names (inherited by the levels below it)."""

    code: str
    parent: _Level | None
    source: Payer | None = None
    source_is_clearinghouse: bool = False
    receiver: Party | None = None
    provider: Party | None = None
    patient: Party | None = None

    def find(self, attribute: str) -> object:
        level: _Level | None = self
        while level is not None:
            value = getattr(level, attribute)
            if value is not None:
                return value
            level = level.parent
        return None


@dataclass
class _Loop:
    """A status loop (2200x) being read: TRN, STC, REF, DTP, QTY, AMT and its service lines."""

    level: _Level
    number: int  # segment number that opened it
    trace: str | None = None
    trace_type: str | None = None
    statuses: list[ClaimStatus] = field(default_factory=list)
    lines: list[StatusLine] = field(default_factory=list)
    refs: dict[str, str] = field(default_factory=dict)
    service: tuple[date | None, date | None] = (None, None)
    due: date | None = None
    quantities: dict[str, int] = field(default_factory=dict)
    amounts: dict[str, Decimal] = field(default_factory=dict)

    @property
    def line(self) -> int | None:
        return len(self.lines) - 1 if self.lines else None


class _Reader:
    def __init__(self, segments: SegmentReader, warnings: list[ImportWarning]) -> None:
        self._segments = segments
        self._warnings = warnings
        self._suppressed = 0
        self._envelope = envelope = Envelope(self.warn, CLAIM_STATUS_SET)
        self._ready: list[StatusRecord] = []
        self._header: StatusHeader | None = None
        self._bht: tuple[str | None, date | None, str] = (None, None, "")
        self._levels: dict[str, _Level] = {}
        self._level: _Level | None = None
        self._loop: _Loop | None = None
        self._handlers: dict[str, Callable[[int, list[str]], None]] = {
            "ISA": envelope.isa,
            "IEA": envelope.iea,
            "GS": envelope.gs,
            "GE": envelope.ge,
            "ST": self._st,
            "SE": self._se,
            "BHT": self._bht_segment,
            "HL": self._hl,
            "NM1": self._nm1,
            "TRN": self._trn,
            "STC": self._stc,
            "REF": self._ref,
            "DTP": self._dtp,
            "SVC": self._svc,
            "QTY": self._qty,
            "AMT": self._amt,
        }

    def warn(self, message: str, number: int, segment_id: str) -> None:
        if len(self._warnings) < MAX_WARNINGS:
            self._warnings.append(ImportWarning(message, number, segment_id))
        else:
            self._suppressed += 1

    def records(self) -> Iterator[StatusRecord]:
        number, segment_id = 0, ""
        for number, segment_id, fields in self._segments:
            handler = self._handlers.get(segment_id)
            if handler is not None:
                handler(number, fields)
                if self._ready:
                    yield from self._ready
                    self._ready.clear()
            elif _SEGMENT_ID.fullmatch(segment_id) is None:
                self._damaged(number, segment_id)
            # PER, DMG, N3, N4, PRV, … carry nothing a request or rejection needs.
        self._envelope.finish(
            number, segment_id, unterminated_tail=self._segments.unterminated_tail
        )
        if self._suppressed:
            self._warnings.append(ImportWarning(f"{self._suppressed} more warnings not shown."))

    def _damaged(self, number: int, segment_id: str) -> None:
        if self._envelope.st is None:  # between interchanges: text that is not a segment
            self.warn("a piece of text that is not an X12 segment was ignored.", number, "")
            return
        known = max((s for s in self._handlers if segment_id.startswith(s)), key=len, default=None)
        if known is not None:
            separator = segment_id[len(known) : len(known) + 1]
            raise InputError(
                f'segment "{shown(segment_id)}" is damaged: {known} is followed by "{separator}" '
                f"instead of the element separator, so what it says cannot be read. {NEXT_STEP}",
                segment_number=number,
                segment_id=known,
            )
        raise InputError(
            f'"{shown(segment_id)}" is not an X12 segment, so the file is damaged. {NEXT_STEP}',
            segment_number=number,
            segment_id=segment_id[:3],
        )

    # -- transaction ------------------------------------------------------------------------

    def _st(self, number: int, fields: list[str]) -> None:
        self._envelope.open_transaction(number, fields)
        self._header = None
        self._bht = (None, None, "")
        self._levels.clear()
        self._level = None
        self._loop = None

    def _se(self, number: int, fields: list[str]) -> None:
        if self._envelope.st is not None:
            self._close_loop()
        self._envelope.close_transaction(number, fields)

    def _require_transaction(self, number: int, segment_id: str) -> None:
        if self._envelope.st is None:
            raise outside_transaction(number, segment_id)

    def _bht_segment(self, number: int, fields: list[str]) -> None:
        self._require_transaction(number, "BHT")
        written = element(fields, 4)
        created = parse_date(written)
        if written and created is None:
            self.warn(f'BHT04 date "{shown(written)}" is not a real date; ignored.', number, "BHT")
        self._bht = (element(fields, 3) or None, created, element(fields, 6))

    def _transaction(self, number: int) -> StatusTransaction:
        envelope = self._envelope
        guide = envelope.implementation or envelope.version
        transaction, known = transaction_of(guide, self._bht[2])
        if not known:
            self.warn(
                f'the implementation guide "{shown(guide or "")}" is not one this reader knows; '
                f"the file was read as a {transaction.label}.",
                number,
                "ST",
            )
        return transaction

    # -- hierarchy --------------------------------------------------------------------------

    def _hl(self, number: int, fields: list[str]) -> None:
        self._require_transaction(number, "HL")
        self._close_loop()
        ident, parent_id, code = element(fields, 1), element(fields, 2), element(fields, 3)
        if code not in (_SOURCE, _RECEIVER, _PROVIDER, *_CLAIM_LEVELS):
            raise InputError(
                f'HL03 level code "{shown(code)}" is not a level of a 277 (20 payer, 21 receiver, '
                f"19 provider, 22 subscriber, 23 dependent, PT patient). {NEXT_STEP}",
                segment_number=number,
                segment_id="HL",
            )
        parent: _Level | None = None
        if parent_id:
            parent = self._levels.get(parent_id)
            if parent is None:
                raise InputError(
                    f'HL02 names parent level "{shown(parent_id)}", which the transaction does '
                    f"not have, so it cannot tell whose claims follow. {NEXT_STEP}",
                    segment_number=number,
                    segment_id="HL",
                )
        elif code != _SOURCE:
            parent = self._level  # HL02 left out: the level just before
        level = _Level(code, parent)
        self._levels[ident] = level
        self._level = level

    def _nm1(self, number: int, fields: list[str]) -> None:
        self._require_transaction(number, "NM1")
        level = self._level
        if level is None:
            raise self._before_hl(number, "NM1")
        entity = element(fields, 1)
        name = _name(fields)
        ident = element(fields, 9).strip() or None
        if entity in _SOURCE_ENTITIES:
            level.source = Payer(name, ident)
            level.source_is_clearinghouse = entity == _CLEARINGHOUSE
        elif entity == "41":
            level.receiver = Party(name, ident)
        elif entity in _PROVIDER_ENTITIES:
            npi = ident if element(fields, 8) == _NPI_QUALIFIER else None
            level.provider = Party(name, npi)
        elif entity in _PATIENT_ENTITIES:
            level.patient = Party(name, ident)  # PHI: never logged, shown only when PHI=full

    def _before_hl(self, number: int, segment_id: str) -> InputError:
        return InputError(
            f"{segment_id} appears before any hierarchical level (HL), so it cannot be tied to "
            f"a payer, provider or claim. {NEXT_STEP}",
            segment_number=number,
            segment_id=segment_id,
        )

    # -- status loops -----------------------------------------------------------------------

    def _trn(self, number: int, fields: list[str]) -> None:
        self._require_transaction(number, "TRN")
        if self._level is None:
            raise self._before_hl(number, "TRN")
        self._close_loop()
        self._loop = _Loop(
            self._level,
            number,
            trace=element(fields, 2).strip() or None,
            trace_type=element(fields, 1) or None,
        )

    def _open_loop(self, number: int, segment_id: str) -> _Loop:
        """The loop a status segment belongs to; a missing TRN is bent, not fatal."""
        self._require_transaction(number, segment_id)
        if self._loop is not None:
            return self._loop
        if self._level is None:
            raise self._before_hl(number, segment_id)
        self.warn(f"{segment_id} without the TRN that should open its loop.", number, segment_id)
        self._loop = _Loop(self._level, number)
        return self._loop

    def _stc(self, number: int, fields: list[str]) -> None:
        loop = self._open_loop(number, "STC")
        separators = self._segments.separators
        assert separators is not None  # set before the first segment is yielded
        codes = read_composites(fields, number, separators.component, separators.element)
        written = element(fields, 2)
        effective = parse_date(written) if written else None
        if written and effective is None:
            raise InputError(
                f'STC02 date "{shown(written)}" is not a real date (expected CCYYMMDD). '
                f"{NEXT_STEP}",
                segment_number=number,
                segment_id="STC",
            )
        charge = element(fields, 4)
        loop.statuses.append(
            ClaimStatus(
                codes=codes,
                effective=effective,
                action=element(fields, 3) or None,
                amount=amount(charge, "STC", 4, number) if charge else None,
                message=element(fields, 12).strip() or None,
                line=loop.line,
                segment_number=number,
            )
        )

    def _ref(self, number: int, fields: list[str]) -> None:
        self._require_transaction(number, "REF")
        loop = self._loop
        if loop is None:
            return  # REF*TJ and the like on a provider level: nothing a status needs
        qualifier, value = element(fields, 1), element(fields, 2).strip()
        if not value:
            return
        if loop.lines and qualifier == _LINE_CONTROL_REF:
            loop.lines[-1] = replace(loop.lines[-1], line_control=value)
        elif not loop.lines:
            loop.refs.setdefault(qualifier, value)

    def _dtp(self, number: int, fields: list[str]) -> None:
        self._require_transaction(number, "DTP")
        loop = self._loop
        if loop is None:
            return  # 2200A receipt and process dates (DTP*050/009): when the file was handled
        found = read_dtp(fields, number, self.warn)
        if found is None:
            return
        qualifier, start, end = found
        if qualifier in ("472", "232"):
            if loop.lines:
                loop.lines[-1] = replace(loop.lines[-1], service_date=start)
            else:
                loop.service = (start, end)
        elif qualifier == "106" and not loop.lines:
            loop.due = end  # "required by": a range gives until its last day

    def _svc(self, number: int, fields: list[str]) -> None:
        loop = self._loop
        if loop is None or loop.level.code not in _CLAIM_LEVELS:
            self._require_transaction(number, "SVC")
            raise InputError(
                f"a service line (SVC) appears outside a claim, so it cannot be tied to one. "
                f"{NEXT_STEP}",
                segment_number=number,
                segment_id="SVC",
            )
        separators = self._segments.separators
        assert separators is not None
        parts = split_composite(element(fields, 1), separators.component, separators.element)
        charge = element(fields, 2)
        units = element(fields, 7)
        loop.lines.append(
            StatusLine(
                procedure=parts[1] if len(parts) > 1 else "",
                qualifier=parts[0],
                modifiers=tuple(m for m in parts[2:6] if m),
                charge=amount(charge, "SVC", 2, number) if charge else None,
                revenue_code=element(fields, 4) or None,
                units=read_quantity(units, "SVC", 7, number) if units else None,
            )
        )

    def _qty(self, number: int, fields: list[str]) -> None:
        loop = self._open_loop(number, "QTY")
        qualifier, value = element(fields, 1), element(fields, 2)
        if value and (qualifier in _ACCEPTED_QTY or qualifier in _REJECTED_QTY):
            loop.quantities[qualifier] = int(read_quantity(value, "QTY", 2, number))

    def _amt(self, number: int, fields: list[str]) -> None:
        loop = self._open_loop(number, "AMT")
        qualifier, value = element(fields, 1), element(fields, 2)
        if value and qualifier in (_ACCEPTED_AMT, _REJECTED_AMT):
            loop.amounts[qualifier] = amount(value, "AMT", 2, number)

    # -- records ----------------------------------------------------------------------------

    def _header_for(self, level: _Level, number: int) -> StatusHeader:
        source = level.find("source")
        if not isinstance(source, Payer):
            raise InputError(
                "a status comes before the payer or clearinghouse that sent it is named "
                f"(NM1*PR or NM1*AY in loop 2100A). {NEXT_STEP}",
                segment_number=number,
                segment_id="STC",
            )
        header = self._header
        if header is None or header.source != source:
            receiver = level.find("receiver")
            envelope = self._envelope
            reference, created, _ = self._bht
            source_level = level
            while source_level.parent is not None:
                source_level = source_level.parent
            header = StatusHeader(
                transaction=self._transaction(number),
                source=source,
                source_is_clearinghouse=source_level.source_is_clearinghouse,
                receiver=receiver if isinstance(receiver, Party) else Party(),
                version=envelope.implementation or envelope.version,
                control=envelope.st_control,
                reference=reference,
                created=created,
                file_date=envelope.file_date,
            )
            self._header = header
        return header

    def _close_loop(self) -> None:
        loop, self._loop = self._loop, None
        if loop is None or not loop.statuses:
            return  # TRN*1 of loop 2200A (the source's own trace) carries no status
        level = loop.level
        status_level = _LEVEL_OF.get(level.code, StatusLevel.CLAIM)
        if level.code == _SOURCE:
            status_level = StatusLevel.RECEIVER  # a status of the whole transaction
        header = self._header_for(level, loop.number)
        provider = level.find("provider")
        patient = level.find("patient")
        claim_level = status_level is StatusLevel.CLAIM
        if claim_level and not (loop.trace or any(loop.refs.get(q) for q in _CLAIM_REFS)):
            raise InputError(
                "a claim status has no claim number (TRN02 is empty and there is no REF*EJ or "
                f"REF*1K), so it cannot be tied to a claim. {NEXT_STEP}",
                segment_number=loop.number,
                segment_id="TRN",
            )
        claim_statuses = [s for s in loop.statuses if s.line is None]
        first = claim_statuses[0] if claim_statuses else None
        self._ready.append(
            StatusRecord(
                header=header,
                level=status_level,
                statuses=tuple(loop.statuses),
                trace=loop.trace,
                trace_type=loop.trace_type,
                claim_number=_claim_number(loop, header.transaction) if claim_level else None,
                payer_claim_number=_payer_claim_number(loop, header.transaction),
                clearinghouse_trace=loop.refs.get(_CLEARINGHOUSE_REF),
                bill_type=loop.refs.get(_BILL_TYPE_REF),
                provider=provider if isinstance(provider, Party) else Party(),
                patient=patient if isinstance(patient, Party) and claim_level else Party(),
                lines=tuple(loop.lines),
                billed=first.amount if first is not None else None,
                service_from=loop.service[0],
                service_to=loop.service[1],
                due_date=loop.due,
                accepted_count=_first(loop.quantities, _ACCEPTED_QTY),
                rejected_count=_first(loop.quantities, _REJECTED_QTY),
                accepted_amount=loop.amounts.get(_ACCEPTED_AMT),
                rejected_amount=loop.amounts.get(_REJECTED_AMT),
                source_line=loop.number,
            )
        )


_CLAIM_REFS: Final = (*_PRACTICE_CLAIM_REFS, _PAYER_CLAIM_REF)


def _claim_number(loop: _Loop, transaction: StatusTransaction) -> str | None:
    """The practice's own claim number (CLM01 of the 837).

    REF*EJ (patient control number) wherever it is sent. Otherwise TRN02 when the practice's
    side assigned it (TRN01 = 2, "referenced"): in a 277CA and an unsolicited 277 that *is*
    CLM01, in a 277 answering a 276 it is the trace the 276 sent, which practices set to the
    claim number. A 277RFAI's TRN02 is the payer's control number (TRN01 = 1), never ours.
    """
    for qualifier in _PRACTICE_CLAIM_REFS:
        if loop.refs.get(qualifier):
            return loop.refs[qualifier]
    if transaction is not StatusTransaction.REQUEST and loop.trace_type != "1":
        return loop.trace
    return None


def _payer_claim_number(loop: _Loop, transaction: StatusTransaction) -> str | None:
    """REF*1K; a 277RFAI's loop 2200D is named after it and carries it in TRN02."""
    if loop.refs.get(_PAYER_CLAIM_REF):
        return loop.refs[_PAYER_CLAIM_REF]
    if transaction is StatusTransaction.REQUEST and loop.level.code in _CLAIM_LEVELS:
        return loop.trace
    return None


def _first(values: dict[str, int], qualifiers: frozenset[str]) -> int | None:
    return next((values[q] for q in sorted(qualifiers) if q in values), None)


def _name(fields: list[str]) -> str:
    """`JONES, HARRY B` for a person (NM102 = 1), the organisation name otherwise."""
    last, first, middle = element(fields, 3), element(fields, 4), element(fields, 5)
    if element(fields, 2) == "1" and first:
        return f"{last}, {' '.join(p for p in (first, middle) if p)}".strip()
    return last.strip()
