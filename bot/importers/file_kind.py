"""What a file is, from its first bytes, before any reader is chosen.

An import is handed whatever staff pick or drop: the 835, but also the payer's PDF of the same
remittance renamed `.835`, a scanned EOB, a zipped download. Such a file must be named for what
it is, not read as a CSV whose header cannot be found. Workbooks (.xlsx, a zip container; .xls,
an OLE2 one) are reports: they go to the report reader, which reads or names them.
"""

from __future__ import annotations

import codecs
from enum import StrEnum
from typing import Final

from bot.errors import InputError

HEAD_BYTES: Final = 4096  # enough to tell text from binary and to find ISA and ST


class FileKind(StrEnum):
    TEXT = "text"  # an X12 interchange, a CSV, TSV or other delimited text
    WORKBOOK = "workbook"  # a spreadsheet container: the report reader decides


# Signatures of the binary files people mistake for a remittance or a report.
_BINARY: Final = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image (a scan?)"),
    (b"MM\x00*", "a TIFF image (a scan?)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"{\\rtf", "a Word (RTF) document"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
)
_LAYOUT: Final = b" \t\r\n"
_X12_STARTS: Final = (b"ISA", b"ST*", b"ST|")
_WORKBOOKS: Final = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
_TEXT_BOMS: Final = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Bytes that never appear in text a PM system or clearinghouse writes (tab, CR, LF, FF and
# ESC-free C0 controls); more than a few of them in the first bytes is a binary file.
_CONTROL: Final = frozenset(range(32)) - {9, 10, 12, 13, 26, 27}
_MOST_CONTROLS: Final = 0.02
NOT_IMPORTABLE: Final = (
    "this is {what}, not an 835 remittance, a 277 or a denial report. Nothing from this file "
    "was stored; download the 835 (ERA) file from the payer or clearinghouse, or export the "
    "report as CSV or .xlsx, and import that."
)


def file_kind(head: bytes) -> FileKind:
    """Text or a workbook; any other binary file is refused, named for what it is."""
    if head.lstrip(_LAYOUT).removeprefix(codecs.BOM_UTF8).lstrip(_LAYOUT)[:3] in _X12_STARTS:
        return FileKind.TEXT  # X12 may use control characters as separators (0x1D, 0x1F)
    if head.startswith(_WORKBOOKS):
        return FileKind.WORKBOOK
    for magic, what in _BINARY:
        if head.startswith(magic):
            raise InputError(NOT_IMPORTABLE.format(what=what))
    if head.startswith(_TEXT_BOMS):
        return FileKind.TEXT  # UTF-16 text has a NUL in every other byte: its BOM says so
    controls = sum(byte in _CONTROL for byte in head)
    if b"\x00" in head or controls > len(head) * _MOST_CONTROLS:
        raise InputError(NOT_IMPORTABLE.format(what="a binary file"))
    return FileKind.TEXT
