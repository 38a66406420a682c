"""X12 835 (health care claim payment/advice) reader: bytes in, claim records out.

`read_835(stream)` returns a `Remittance835`; iterating it streams `ClaimRecord`s (one per CLP)
and `ProviderAdjustment`s (one per PLB adjustment) while the file is read, so memory does not
grow with the file. Works for 5010 (005010X221A1) and 4010 (004010X091A1), several
interchanges, groups and transactions per file, and files that start at ST.

A file is imported whole or not at all (DESIGN §4): anything that would lose or invent money
or dates raises `InputError` (possibly after some records were yielded; the caller discards
them). Oddities that lose nothing become `warnings`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO, Final

from bot.domain.records import (
    ClaimRecord,
    ImportWarning,
    ProviderAdjustment,
    RemittanceInfo,
)
from bot.errors import InputError
from bot.importers.x12_segments import SegmentReader, X12File
from bot.importers.x835_claims import BODY_SEGMENTS, ClaimDraft
from bot.importers.x835_envelope import Envelope, outside_transaction
from bot.importers.x835_header import HeaderDraft
from bot.importers.x835_values import NEXT_STEP, amount, element, parse_date, shown, split_composite

Record = ClaimRecord | ProviderAdjustment

MAX_WARNINGS: Final = 200  # a broken file must not flood the user or memory
_PLB_PAIRS: Final = range(3, 15, 2)  # PLB03/04 … PLB13/14: up to six adjustments


class Remittance835(X12File[Record]):
    """One 835 file being read. Iterate once for the records; `warnings` fill meanwhile."""

    named = "an 835"

    def _records(self, segments: SegmentReader) -> Iterator[Record]:
        return _Reader(segments, self.warnings).records()


def read_835(stream: BinaryIO, *, file_name: str = "") -> Remittance835:
    """Read an 835 from a binary stream; nothing is read until the result is iterated."""
    return Remittance835(stream, file_name=file_name)


class _Reader:
    """The loop state of one pass over the segments: header, open claim and line."""

    def __init__(self, segments: SegmentReader, warnings: list[ImportWarning]) -> None:
        self._segments = segments
        self._warnings = warnings
        self._suppressed = 0
        self._ready: list[Record] = []
        self._envelope = envelope = Envelope(self.warn)
        self._header = HeaderDraft()
        self._remittance: RemittanceInfo | None = None
        self._claim: ClaimDraft | None = None
        self._header_repeat_warned = False
        self._handlers: dict[str, Callable[[int, list[str]], None]] = {
            "ISA": envelope.isa,
            "IEA": envelope.iea,
            "GS": envelope.gs,
            "GE": envelope.ge,
            "ST": self._st,
            "SE": self._se,
            "BPR": self._bpr,
            "TRN": self._trn,
            "N1": self._n1,
            "LX": self._lx,
            "CLP": self._clp,
            "CAS": self._cas,
            "NM1": self._nm1,
            "MIA": self._mia,
            "MOA": self._moa,
            "REF": self._ref,
            "DTM": self._dtm,
            "SVC": self._svc,
            "LQ": self._lq,
            "PLB": self._plb,
        }
        self._stops = frozenset(self._handlers) - BODY_SEGMENTS  # they end a claim's body

    def warn(self, message: str, number: int, segment_id: str) -> None:
        if len(self._warnings) < MAX_WARNINGS:
            self._warnings.append(ImportWarning(message, number, segment_id))
        else:
            self._suppressed += 1

    def records(self) -> Iterator[Record]:
        handlers, ready, stops = self._handlers, self._ready, self._stops
        segments = iter(self._segments)
        number, segment_id = 0, ""
        segment = next(segments, None)
        while segment is not None:
            number, segment_id, fields = segment
            handler = handlers.get(segment_id)
            if handler is None:
                # AMT, QTY, PER, N3, N4, TS3, … carry nothing the denial rules use.
                if self._envelope.st is None:
                    self._check_shape(number, segment_id)
            else:
                handler(number, fields)
                if ready:
                    yield from ready
                    ready.clear()
            claim = self._claim
            if claim is None:
                segment = next(segments, None)
            else:  # the claim reads its own segments, up to the next one the reader handles
                segment = claim.read_body(segments, stops)
                if claim.end is not None:
                    number, segment_id = claim.end
        self._envelope.finish(
            number, segment_id, unterminated_tail=self._segments.unterminated_tail
        )
        if self._suppressed:
            self._warnings.append(ImportWarning(f"{self._suppressed} more warnings not shown."))

    # -- transaction ------------------------------------------------------------------------

    def _st(self, number: int, fields: list[str]) -> None:
        self._envelope.open_transaction(number, fields)
        self._header = HeaderDraft()
        self._remittance = None
        self._claim = None
        self._header_repeat_warned = False

    def _se(self, number: int, fields: list[str]) -> None:
        if self._envelope.st is not None:
            self._close_claim()
        self._envelope.close_transaction(number, fields)

    def _check_shape(self, number: int, segment_id: str) -> None:
        # Unknown but well-formed segments (TA1 between interchanges) are fine to skip.
        if not (len(segment_id) in (2, 3) and segment_id.isalnum()):
            self.warn("a piece of text that is not an X12 segment was ignored.", number, "")

    # -- header -----------------------------------------------------------------------------

    def _in_transaction(self, number: int, segment_id: str) -> bool:
        """True in the header of a transaction; refuses outside one; False after the claims."""
        if self._envelope.st is None:
            raise outside_transaction(number, segment_id)
        return self._remittance is None

    def _repeated_header(self, number: int, segment_id: str) -> None:
        # pyx12_bad_header_looping_4010.txt repeats N1*PR… after the claims: the payer was
        # already read, and changing it half-way would split one remittance in two.
        self._close_claim()
        if not self._header_repeat_warned:
            self._header_repeat_warned = True
            self.warn("header segments repeated after the claims were ignored.", number, segment_id)

    def _bpr(self, number: int, fields: list[str]) -> None:
        if self._in_transaction(number, "BPR"):
            self._header.bpr(fields, number, self.warn)
        else:
            self._repeated_header(number, "BPR")

    def _trn(self, number: int, fields: list[str]) -> None:
        if self._in_transaction(number, "TRN"):
            self._header.trn(fields)
        else:
            self._repeated_header(number, "TRN")

    def _n1(self, number: int, fields: list[str]) -> None:
        if self._in_transaction(number, "N1"):
            self._header.n1(fields)
        else:
            self._repeated_header(number, "N1")

    def _remittance_info(self) -> RemittanceInfo:
        if self._remittance is None:
            envelope = self._envelope
            self._remittance = self._header.build(
                file_date=envelope.file_date,
                version=envelope.version,
                transaction=envelope.st_control,
            )
        return self._remittance

    # -- claims -----------------------------------------------------------------------------

    def _close_claim(self) -> None:
        if self._claim is not None:
            self._ready.append(self._claim.build(self._remittance_info()))
            self._claim = None

    def _lx(self, number: int, fields: list[str]) -> None:
        self._in_transaction(number, "LX")
        self._close_claim()

    def _clp(self, number: int, fields: list[str]) -> None:
        self._in_transaction(number, "CLP")
        self._close_claim()
        self._remittance_info()
        separators = self._segments.separators
        assert separators is not None  # set before the first segment is yielded
        self._claim = ClaimDraft(
            fields, number, self.warn, (separators.component, separators.element)
        )

    def _no_claim(self, number: int, segment_id: str) -> InputError:
        self._in_transaction(number, segment_id)  # refuses outside ST..SE
        return InputError(
            f"{segment_id} appears before any claim (CLP), so it cannot be tied to one. "
            f"{NEXT_STEP}",
            segment_number=number,
            segment_id=segment_id,
        )

    # With a claim open, its segments go to `ClaimDraft.read_body`; these handlers see them
    # only outside a claim, where they refuse the file or belong to the header.

    def _cas(self, number: int, fields: list[str]) -> None:
        if self._claim is None:
            raise self._no_claim(number, "CAS")
        self._claim.cas(number, fields)

    def _svc(self, number: int, fields: list[str]) -> None:
        if self._claim is None:
            raise self._no_claim(number, "SVC")
        self._claim.svc(number, fields)

    def _nm1(self, number: int, fields: list[str]) -> None:
        if self._claim is not None:
            self._claim.nm1(number, fields)
        else:
            self._in_transaction(number, "NM1")

    def _mia(self, number: int, fields: list[str]) -> None:
        if self._claim is not None:
            self._claim.mia(number, fields)
        else:
            self._in_transaction(number, "MIA")

    def _moa(self, number: int, fields: list[str]) -> None:
        if self._claim is not None:
            self._claim.moa(number, fields)
        else:
            self._in_transaction(number, "MOA")

    def _ref(self, number: int, fields: list[str]) -> None:
        if self._claim is not None:
            self._claim.ref(number, fields)
        elif self._in_transaction(number, "REF"):
            self._header.ref(fields)

    def _dtm(self, number: int, fields: list[str]) -> None:
        if self._claim is not None:
            self._claim.dtm(number, fields)
        elif self._in_transaction(number, "DTM"):
            self._header.dtm(fields, number, self.warn)

    def _lq(self, number: int, fields: list[str]) -> None:
        if self._claim is not None:
            self._claim.lq(number, fields)
        else:
            self._in_transaction(number, "LQ")

    def _plb(self, number: int, fields: list[str]) -> None:
        self._in_transaction(number, "PLB")
        self._close_claim()
        remittance = self._remittance_info()
        provider = element(fields, 1)
        written = element(fields, 2)
        period = parse_date(written)
        if written and period is None:
            self.warn(f'PLB02 date "{shown(written)}" is not a real date; ignored.', number, "PLB")
        separators = self._segments.separators
        assert separators is not None
        for position in _PLB_PAIRS:
            composite, value = element(fields, position), element(fields, position + 1)
            if not value and not composite:
                continue
            if not value:
                # affect_sample_835.txt writes `resnCode>adjID>5`, the amount inside the
                # composite and PLB04 empty: an adjustment without its amount is not whole.
                raise InputError(
                    f"PLB{position + 1:02d} (amount) is empty for the provider adjustment "
                    f'"{shown(composite)}". {NEXT_STEP}',
                    segment_number=number,
                    segment_id="PLB",
                )
            parts = split_composite(composite, separators.component, separators.element)
            self._ready.append(
                ProviderAdjustment(
                    provider_id=provider,
                    fiscal_period=period,
                    reason=parts[0],
                    reference=parts[1] if len(parts) > 1 and parts[1] else None,
                    amount=amount(value, "PLB", position + 1, number),
                    remittance=remittance,
                )
            )
