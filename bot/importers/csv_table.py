"""A report file → its candidate grids of cells: each delimiter of a text file, each sheet of
an Excel workbook. Detection then picks the grid whose header it understands best.

Text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (what Excel on Windows
saves as "CSV"). Excel: `.xlsx` read with openpyxl in read-only mode (defusedxml guards its
XML parser), cached formula values, dates as ISO dates, whole numbers without `.0`.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Final

from bot.domain.records import ImportWarning
from bot.errors import InputError
from bot.importers.csv_columns import normalise

DELIMITERS: Final = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}
OLE2_MAGIC: Final = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other Office binaries)
ZIP_MAGIC: Final = b"PK\x03\x04"
MAX_SHEET_ROWS: Final = 1_000_000  # an .xlsx with more rows than Excel allows is not a report
HEAD_RECORDS: Final = 250  # what detection reads: the header's place and a value sample

Record = tuple[int, list[str]]  # (line in the file or row in the sheet, cells)


@dataclass(slots=True)
class Grid:
    """One way of reading the file as rows of cells."""

    description: str  # "comma-separated", "tab-separated", "sheet “Denials”"
    text: str | None = None
    delimiter: str = ","
    rows: list[Record] | None = None  # a sheet, read whole
    _head: list[Record] | None = field(default=None, repr=False)

    def head(self) -> list[Record]:
        """The first records: enough to find the header and sample values under it."""
        if self._head is None:
            self._head = (
                self.rows[:HEAD_RECORDS]
                if self.rows is not None
                else _split(self.text or "", self.delimiter, limit=HEAD_RECORDS)
            )
        return self._head

    def records(self) -> list[Record]:
        if self.rows is not None:
            return self.rows
        return _split(self.text or "", self.delimiter)


def read_grids(raw: bytes | str, file_name: str, warnings: list[ImportWarning]) -> list[Grid]:
    """Every grid the file could be; raises InputError for what is no table at all."""
    if isinstance(raw, bytes) and _is_xlsx(raw, file_name):
        return _sheets(raw)
    if isinstance(raw, bytes) and (
        raw.startswith(OLE2_MAGIC) or file_name.lower().endswith(".xls")
    ):
        raise InputError(
            "this is an old-style Excel workbook (.xls); open it in Excel and save it as "
            ".xlsx or CSV (UTF-8), then import that file"
        )
    if isinstance(raw, bytes) and raw.startswith(ZIP_MAGIC):
        raise InputError(
            "this is a ZIP archive, not a report; unzip it and import the files inside"
        )
    text = decode(raw, warnings)
    return [
        Grid(f"{name}-separated", text=text, delimiter=delimiter)
        for delimiter, name in DELIMITERS.items()
    ]


def decode(raw: bytes | str, warnings: list[ImportWarning]) -> str:
    if isinstance(raw, str):
        text = raw.removeprefix("\ufeff")
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # an odd byte or a broken pair is replaced, not a crash: the rows say what is wrong
        text = raw.decode("utf-16", errors="replace")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel on Windows saves "CSV (Comma delimited)" in the ANSI code page.
            text = raw.decode("cp1252", errors="replace")
            warnings.append(ImportWarning("the file is not UTF-8; it was read as Windows-1252"))
    if not text.strip():
        raise InputError("the file is empty; export the report again from the PM system")
    return text.replace("\x00", "")


def header_signature(cells: Sequence[str]) -> str | None:
    """The same for every file of one layout: its header texts, whatever their order, case
    and punctuation. None for a record with fewer than two header texts."""
    keys = sorted({key for key in (normalise(str(c)) for c in cells) if key})
    if len(keys) < 2:
        return None
    return hashlib.sha256("\x1f".join(keys).encode()).hexdigest()[:32]


def signatures(grids: Sequence[Grid], scan: int = 50) -> list[str]:
    """The signature of every record that could be the header, in every grid."""
    found: dict[str, None] = {}
    for grid in grids:
        for _, cells in grid.head()[:scan]:
            signature = header_signature(cells)
            if signature:
                found[signature] = None
    return list(found)


def _split(text: str, delimiter: str, limit: int | None = None) -> list[Record]:
    """(first physical line, cells) of each record; blank lines are records with no cells."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    found: list[Record] = []
    start = 1
    try:
        for cells in itertools.islice(reader, limit):
            found.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        refusal = InputError(f"the file is not a readable CSV ({error})", line_number=start)
        raise refusal from None
    return found


def _is_xlsx(raw: bytes, file_name: str) -> bool:
    if not raw.startswith(ZIP_MAGIC):
        return False
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _sheets(raw: bytes) -> list[Grid]:
    # openpyxl is imported here: only an Excel upload pays for loading it.
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            grids = [
                Grid(f"sheet “{sheet.title}”", rows=_sheet_records(sheet))
                for sheet in book.worksheets
            ]
        finally:
            book.close()
    except InputError:
        raise
    except Exception as error:  # whatever a damaged workbook makes openpyxl raise
        raise InputError(
            f"the Excel workbook could not be read ({type(error).__name__}); open it in Excel, "
            "save it again as .xlsx or CSV (UTF-8), and import that file"
        ) from None
    grids = [grid for grid in grids if grid.rows]
    if not grids:
        raise InputError("the Excel workbook has no filled sheet; export the report again")
    return grids


def _sheet_records(sheet: Any) -> list[Record]:
    return list(_sheet_rows(sheet.iter_rows(values_only=True)))


def _sheet_rows(rows: Iterator[tuple[object, ...]]) -> Iterator[Record]:
    for number, values in enumerate(rows, start=1):
        if number > MAX_SHEET_ROWS:
            raise InputError(
                f"the sheet has more than {MAX_SHEET_ROWS:,} rows; export a shorter period"
            )
        cells = [cell_text(value) for value in values]
        while cells and not cells[-1]:
            cells.pop()
        yield number, cells


def cell_text(value: object) -> str:
    """An Excel cell as the text a CSV export would have held."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value).strip()
