"""Streaming X12 tokenizer: bytes in, `(segment_number, id, elements)` out.

Separators are not fixed by the standard: each interchange declares its own in ISA
(element separator = the character after "ISA", repetition separator = ISA11 in 5010,
component separator = ISA16, segment terminator = the character after ISA16). Real files
bend this, so the tokenizer is tolerant where a careful reader can still be sure:

* ISA is found by counting 16 element separators, not by offsets, because some senders strip
  the fixed-width padding (`affect_nevada_medicaid.txt`).
* CR/LF, spaces and indentation around terminators are layout, not data.
* A newline right after ISA16 followed by a segment id means the newline *is* the terminator
  (no `~` at all); a newline followed by `~` means the `~` starts each next line
  (`tigershark_835-example_pipe_4010.txt`).
* Every ISA re-declares the separators (files with many interchanges concatenated).
* A file may start at ST without an envelope: separators are then guessed, with a warning.

The stream is read in chunks and split with `str.split`, so memory stays flat however large
the file is and there is no per-character Python loop.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Final, Generic, TypeVar

from bot.domain.records import ImportWarning
from bot.errors import InputError

# Read a megabyte at a time. Each read releases the GIL, and a thread waiting for the GIL
# only forces a switch after a full switch interval (5 ms) without one: reading every few
# milliseconds (64 KB) kept the import's writer thread waiting until the reader blocked, so
# its inserts never overlapped the parsing (about 10% of a 20k-claim import). Memory stays
# bounded: a megabyte of text and its segments.
CHUNK_SIZE: Final = 1024 * 1024
# Layout characters allowed around segments; never meaningful at a segment's edges.
_LAYOUT: Final = " \t\r\n\x00"
_BOM: Final = "\ufeff"
# Enough characters to hold an ISA even with generous padding and a CRLF after it.
_ISA_WINDOW: Final = 256
_MAX_TAIL: Final = 1024 * 1024  # a "segment" longer than this means the terminator is wrong

# (segment_number, segment id, elements) where elements[0] is the id, so elements[n] is
# element n as the implementation guides number it (CLP04 is elements[4]).
Segment = tuple[int, str, list[str]]

NOT_X12: Final = (
    "this is not an X12 file: it does not start with ISA or ST. Nothing from this file was "
    "stored; check that you picked the 835 remittance file (not a PDF or a spreadsheet)."
)
EMPTY_FILE: Final = "the file is empty. Nothing from this file was stored; download it again."
BAD_ISA: Final = (
    "the ISA header is cut short or damaged, so its separators cannot be read. Nothing from "
    "this file was stored; ask the payer or clearinghouse for a new copy."
)
LOST_TERMINATOR: Final = (
    "no segment terminator found for more than 1 MB: the file is damaged or not X12. Nothing "
    "from this file was stored; ask the payer or clearinghouse for a new copy."
)
NO_ENVELOPE: Final = (
    "the file has no ISA/GS envelope (it starts at ST); separators were guessed and the file "
    "date (GS04) is unknown."
)


@dataclass(frozen=True, slots=True)
class Separators:
    element: str
    component: str
    terminator: str
    repetition: str | None = None


def _is_separator_char(char: str) -> bool:
    return len(char) == 1 and not char.isalnum() and char not in _LAYOUT


def parse_isa(text: str) -> tuple[Separators, list[str], int] | None:
    """Read the separators from an ISA at the start of `text`.

    Returns (separators, ISA elements, index just after the ISA's terminator), or None when
    `text` is too short to tell. Raises InputError when the ISA is damaged.
    """
    element = text[3:4]
    if not _is_separator_char(element):
        raise InputError(NOT_X12)
    position = 3
    for _ in range(15):  # ISA16 sits right after the 16th separator (the 1st is at 3)
        position = text.find(element, position + 1)
        if position < 0:
            return None
    isa16 = position + 1
    after = isa16 + 1
    rest = text[after:]
    stripped = rest.lstrip(_LAYOUT)
    if not stripped:
        return None  # the character(s) after ISA16 decide the terminator
    component = text[isa16]
    layout = rest[: len(rest) - len(stripped)]
    if not layout:
        terminator, end = rest[0], after + 1
    elif _is_separator_char(stripped[0]) and stripped[0] != element:
        # "…*:\n~GS*…": the terminator opens the next line; the newline is layout.
        terminator, end = stripped[0], after + len(layout) + 1
    else:
        # "…*:\nGS*…": no terminator character at all, the newline ends each segment.
        terminator = "\n" if "\n" in layout else "\r"
        end = after + len(layout)
    if not _is_separator_char(component) or len({element, component, terminator}) < 3:
        raise InputError(BAD_ISA, segment_id="ISA")
    elements = text[:after].split(element)
    return Separators(element, component, terminator, _repetition(elements)), elements, end


def _repetition(isa: list[str]) -> str | None:
    # ISA11 is the repetition separator from 5010 on; in 4010 it is the standards id "U".
    return isa[11] if _is_separator_char(isa[11]) else None


def _same_layout(fields: list[str], terminator: str) -> bool:
    """An ISA split with the current separators that ends cleanly at ISA16 keeps them."""
    return (
        fields[0] == "ISA"
        and len(fields) == 17
        and _is_separator_char(fields[16])
        and fields[16] != terminator
    )


def _guess_without_envelope(text: str) -> Separators:
    """Separators for a file that starts at ST (no ISA to declare them)."""
    element = text[2:3] if _is_separator_char(text[2:3]) else "*"
    # `~` is the usual terminator; a file without any `~` ends its segments with newlines.
    terminator = "\n" if "~" not in text and "\n" in text else "~"
    return Separators(element=element, component=":", terminator=terminator)


class SegmentReader:
    """Iterates the segments of an X12 byte stream, chunk by chunk.

    After iteration: `warnings` holds what was odd but readable, `bytes_read` the bytes
    consumed so far, `unterminated_tail` whether the last segment had no terminator (a sign
    of a cut file unless it is the closing IEA), `separators` the current separators.
    """

    def __init__(
        self,
        stream: BinaryIO,
        *,
        chunk_size: int = CHUNK_SIZE,
        warnings: list[ImportWarning] | None = None,
    ) -> None:
        self._stream = stream
        self._chunk_size = chunk_size
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._eof = False
        self.bytes_read = 0
        self.warnings: list[ImportWarning] = [] if warnings is None else warnings
        self.separators: Separators | None = None
        self.unterminated_tail = False

    def _read(self) -> str:
        if self._eof:
            return ""
        data = self._stream.read(self._chunk_size)
        if not data:
            self._eof = True
            return self._decoder.decode(b"", final=True)
        self.bytes_read += len(data)
        return self._decoder.decode(data)

    def _fill(self, buffer: str, size: int) -> str:
        while len(buffer) < size and not self._eof:
            buffer += self._read()
        return buffer

    def _start(self) -> str:
        """The text from the first ISA or ST on; refuses empty and non-X12 files."""
        buffer = self._fill("", _ISA_WINDOW)
        if buffer.startswith(_BOM):
            buffer = buffer[1:]
        buffer = buffer.lstrip(_LAYOUT)
        while not buffer and not self._eof:
            buffer = self._read().lstrip(_LAYOUT)
        if not buffer:
            raise InputError(EMPTY_FILE)
        buffer = self._fill(buffer, _ISA_WINDOW)
        if buffer.startswith("ST") and _is_separator_char(buffer[2:3]):
            self.separators = _guess_without_envelope(buffer)
            self.warnings.append(ImportWarning(NO_ENVELOPE, segment_number=1, segment_id="ST"))
        elif not buffer.startswith("ISA"):
            raise InputError(NOT_X12)
        return buffer

    def _interchange(self, buffer: str, number: int) -> tuple[Separators, list[str], str]:
        """Separators of the ISA at the start of `buffer`, its elements and the text after."""
        size = _ISA_WINDOW
        while True:
            buffer = self._fill(buffer, size)
            parsed = parse_isa(buffer)
            if parsed is not None:
                seps, elements, end = parsed
                return seps, elements, buffer[end:]
            if self._eof or size > 16 * _ISA_WINDOW:
                raise InputError(BAD_ISA, segment_number=number, segment_id="ISA")
            size *= 2

    def __iter__(self) -> Iterator[Segment]:
        number = 0
        buffer = self._start()
        seps = self.separators
        while True:
            if seps is None:  # at an ISA: every interchange declares its own separators
                number += 1
                seps, isa, buffer = self._interchange(buffer, number)
                self.separators = seps
                yield number, "ISA", isa
            terminator, element = seps.terminator, seps.element
            chunk = buffer
            pieces = chunk.split(terminator)
            buffer = pieces.pop()  # the unfinished last segment waits for the next chunk
            if "ISA" not in chunk:  # no next interchange in this chunk: the plain loop
                for raw in pieces:
                    text = raw.strip(_LAYOUT)
                    if text:
                        fields = text.split(element)
                        number += 1
                        yield number, fields[0], fields
            else:  # an interchange may start: check each segment
                for index, raw in enumerate(pieces):
                    text = raw.strip(_LAYOUT)
                    if not text:
                        continue
                    fields = text.split(element)
                    segment_id = fields[0]
                    if segment_id == "ISA" or (len(segment_id) > 3 and segment_id[:3] == "ISA"):
                        if _same_layout(fields, terminator):
                            # Next interchange, same separators (the usual case): no re-split.
                            seps = Separators(element, fields[16], terminator, _repetition(fields))
                            self.separators = seps
                        else:
                            # Next interchange with other separators: give the rest back.
                            pieces.append(buffer)
                            buffer = terminator.join(pieces[index:]).lstrip(_LAYOUT)
                            seps = None
                            break
                    number += 1
                    yield number, segment_id, fields
            if seps is None:
                continue
            tail = buffer.lstrip(_LAYOUT)
            if tail.startswith("ISA") and len(tail) > 3:
                buffer, seps = tail, None  # it may use another terminator: detect it now
                continue
            if self._eof:
                tail = tail.rstrip(_LAYOUT)
                if tail:
                    self.unterminated_tail = True
                    number += 1
                    fields = tail.split(element)
                    yield number, fields[0], fields
                return
            if len(buffer) > _MAX_TAIL:
                raise InputError(LOST_TERMINATOR, segment_number=number + 1)
            buffer += self._read()


R = TypeVar("R")


class X12File(Generic[R]):
    """One X12 file being read. Iterate once for its records; `warnings` fill meanwhile.

    Nothing is read until the iteration starts, and the stream is read once, a chunk at a time,
    so memory does not grow with the file. A reader of one transaction set subclasses it.
    """

    named = "an X12"  # "an 835", "a 277": in the refusal to read it twice

    def __init__(self, stream: BinaryIO, *, file_name: str = "") -> None:
        self.file_name = file_name
        self.warnings: list[ImportWarning] = []
        self._segments = SegmentReader(stream, warnings=self.warnings)
        self._started = False

    @property
    def bytes_read(self) -> int:
        """Bytes consumed from the stream so far (for a progress bar)."""
        return self._segments.bytes_read

    def __iter__(self) -> Iterator[R]:
        if self._started:
            raise RuntimeError(f"{self.named} stream can be read once; open the file again")
        self._started = True
        return self._records(self._segments)

    def _records(self, segments: SegmentReader) -> Iterator[R]:
        raise NotImplementedError


def read_segments(stream: BinaryIO, *, chunk_size: int = CHUNK_SIZE) -> Iterator[Segment]:
    """Shortcut when warnings and progress are not needed."""
    return iter(SegmentReader(stream, chunk_size=chunk_size))
