"""CSV denial reports from PM systems and clearinghouses → claim records.

Pure: bytes or text in, `CsvReport` out. The file is split into records with the csv module
(it knows each record's physical line, which rejections must name even when a quoted cell
spans lines); the header is found among the first records; the fields are laid out in a
pandas frame for the column-wise work (status columns, fill-down, skipping non-records); then
each row is read (csv_rows) and rows are grouped into one ClaimRecord per claim per
remittance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO, Final, TextIO

from bot.domain.records import ClaimRecord, ImportWarning, RejectedRow
from bot.errors import InputError
from bot.importers.csv_carry import ClaimCarry
from bot.importers.csv_claims import ClaimGroups, lines_text
from bot.importers.csv_codes import CLP02_CODES, clp02
from bot.importers.csv_columns import (
    CLAIM_KEYS,
    MAPPING_HINT,
    NEEDED,
    ColumnMapping,
    Field,
    Header,
    layout_name,
    normalise,
)
from bot.importers.csv_detect import Detection, detect
from bot.importers.csv_mapping_text import inferred_text, proposal_text
from bot.importers.csv_rows import claim_of, not_a_claim, parse_row
from bot.importers.csv_table import Grid, header_signature, read_grids, signatures
from bot.importers.csv_totals import amounts_only, totals_row
from bot.importers.csv_values import clean

if TYPE_CHECKING:  # pandas is loaded where a frame is built: an 835 import never loads it
    import pandas as pd

CLP02_COLUMN: Final = "_clp02"
STATUS_COLUMN: Final = "_status"
LINE_COLUMN: Final = "_line"


@dataclass(frozen=True, slots=True)
class CsvReport:
    claims: list[ClaimRecord]
    rejected: list[RejectedRow]
    warnings: list[ImportWarning]
    layout: str  # what the header looked like, e.g. "Tebra/Kareo service-line payments"
    data_rows: int  # rows that were records (imported, rejected or skipped as not submitted)
    columns: str = ""  # the inferred mapping (`claim=CLAIMID, payer=…`), "" when all known
    signature: str | None = None  # of the header: what a remembered mapping is saved under
    header: tuple[str, ...] = ()  # the header's texts


@dataclass(frozen=True, slots=True)
class Table:
    """A report file read as grids, before its columns are decided."""

    file_name: str
    grids: list[Grid]
    warnings: list[ImportWarning]

    def signatures(self) -> list[str]:
        """Header signatures of every record that could be the header (remembered mappings)."""
        return signatures(self.grids)


class BadRowsError(InputError):
    """Claim rows with a value that cannot be read: the report is refused whole. `rows` say
    which and why; `others` is how many rows would be imported without them (their claims'
    other rows left out too), for the `--skip-bad-rows` hint and Slack's button."""

    def __init__(self, rows: list[RejectedRow], *, others: int) -> None:
        self.rows = rows
        self.others = others
        first = rows[0].reason
        more = rows[1:]
        extra = ""
        if more:
            extra = f"; and {lines_text([r.line_number for r in more])} cannot be read either"
        super().__init__(f"{first}{extra}. A report is imported whole: no row was stored")


class MissingColumnsError(InputError):
    """The header was found but a field every import needs was not: says which, and what
    was understood, so the CLI can print a --columns line and Slack can ask."""

    def __init__(self, message: str, detection: Detection, grid: str, line: int) -> None:
        super().__init__(message, line_number=line)
        self.detection = detection
        self.grid = grid


def read_csv_report(
    stream: BinaryIO | TextIO,
    *,
    file_name: str = "",
    mapping: ColumnMapping | None = None,
    skip_bad_rows: bool = False,
) -> CsvReport:
    """Read one report (CSV, TSV, … or .xlsx); raises InputError when no usable header, and
    BadRowsError for rows that cannot be read (see `read_report`)."""
    return read_report(read_table(stream.read(), file_name), mapping, skip_bad_rows=skip_bad_rows)


def read_table(raw: bytes | str, file_name: str = "") -> Table:
    warnings: list[ImportWarning] = []
    return Table(file_name, read_grids(raw, file_name, warnings), warnings)


def detect_columns(table: Table, mapping: ColumnMapping | None = None) -> tuple[Grid, Detection]:
    """The grid whose header is understood best, and that understanding; raises
    InputError when there is no header (or none holding every header `mapping` names)."""
    candidates = []
    for order, grid in enumerate(table.grids):
        found = detect([cells for _, cells in grid.head()], mapping)
        if found is not None:
            candidates.append((_score(found), -order, grid, found))
    if not candidates:
        raise _no_header(table, mapping)
    *_, grid, detection = max(candidates, key=lambda c: (c[0], c[1]))
    return grid, detection


def read_report(
    table: Table, mapping: ColumnMapping | None = None, *, skip_bad_rows: bool = False
) -> CsvReport:
    """The report's claims. A claim row with a value that cannot be read refuses the report
    (`BadRowsError`): it is imported whole or not at all. With `skip_bad_rows` the other rows are
    imported on purpose, less every row of a claim that has a bad one (a claim is whole too),
    and those rows are the report's `rejected`. Rows that are not claims (titles, notes,
    totals, blanks: no claim number and no amount) are skipped, and the warnings name them."""
    grid, detection = detect_columns(table, mapping)
    header = detection.header
    line = grid.head()[header.index][0]
    missing = detection.missing()
    if missing:
        raise MissingColumnsError(
            f"the header has no column for {'; '.join(m.what for m in missing)}. "
            f"{proposal_text(detection)}",
            detection,
            grid.description,
            line,
        )
    warnings = list(table.warnings)
    records = grid.records()
    frame, rejected, skipped_rows = _field_frame(records, header)
    shifted = len(rejected)  # rows with more cells than the header are data rows too
    groups = ClaimGroups(by_service_date=detection.claim_from_account())
    worklist = detection.denial_reasons()
    skipped: list[int] = []
    not_claims: list[int] = []
    bad_claims: set[tuple[str, str]] = set()  # (claim number, payer) of the rows refused
    carry = ClaimCarry()
    sums = 0  # rows of amounts only: in the frame, not data rows
    for row in frame.to_dict("records"):
        line = int(row[LINE_COLUMN])
        values = carry.fill(
            {name: str(row[name.value]) for name in Field if name.value in row}, line
        )
        if not_a_claim(values):
            not_claims.append(line)
            continue
        if amounts_only(values):
            skipped_rows.totals.append(line)  # sums without a label
            sums += 1
            continue
        if detection.payer_above and not values.get(Field.PAYER):
            values[Field.PAYER] = detection.payer_above
        try:
            parsed = parse_row(
                values, str(row[CLP02_COLUMN]), str(row[STATUS_COLUMN]), line, worklist=worklist
            )
        except InputError as problem:
            rejected.append(RejectedRow(line, f"line {line}: {problem}"))
            bad_claims.add(claim_of(values))
            continue
        if parsed is None:
            skipped.append(line)  # not sent yet and no number: nothing a denial could need
        else:
            groups.add(parsed)
    data_rows = len(frame) + shifted - len(not_claims) - sums
    rejected.sort(key=lambda r: r.line_number)
    if rejected:
        if not skip_bad_rows:
            raise BadRowsError(rejected, others=groups.rows() - groups.rows_of(bad_claims))
        rejected += groups.drop(bad_claims, why="its claim has a row that cannot be read")
        rejected.sort(key=lambda r: r.line_number)
    warnings += groups.warnings(header)
    warnings += _reading_warnings(detection, carry, skipped_rows, not_claims, skipped)
    if frame.empty and not rejected:
        warnings.append(ImportWarning("the report has a header but no data rows"))
    return CsvReport(
        claims=groups.claims(),
        rejected=rejected,
        warnings=warnings,
        layout=layout_name(header, mapping, grid.description),
        data_rows=data_rows,
        columns=inferred_text(detection),
        signature=header_signature(header.texts),
        header=tuple(header.texts),
    )


def _score(found: Detection) -> float:
    return sum(choices[0].score for choices in found.choices.values() if choices)


def _no_header(table: Table, mapping: ColumnMapping | None) -> InputError:
    if mapping is not None:
        auto = next(
            (d for g in table.grids if (d := detect([c for _, c in g.head()])) is not None), None
        )
        present = {normalise(t) for t in auto.header.texts} if auto else set()
        absent = [t for t in mapping.headers.values() if normalise(t) not in present]
        shown = ", ".join(f'"{t}"' for t in absent) if auto else "the columns given"
        return InputError(
            f"{shown} not found in the header row; check the spelling in --columns "
            "against the report's header"
        )
    return InputError(
        "this does not look like a denial report: no row in the first 50 lines reads as a "
        f"header. The importer needs columns for {'; '.join(NEEDED)}. {MAPPING_HINT}"
    )


@dataclass(slots=True)
class SkippedRows:
    """Rows left out as no claims: totals and subtotals (labelled, or sums alone) and notes.
    Their labels are not repeated: `Total for <a patient>` would put a name in the message."""

    totals: list[int] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)


def _field_frame(
    records: list[tuple[int, list[str]]], header: Header
) -> tuple[pd.DataFrame, list[RejectedRow], SkippedRows]:
    """One column per field (first non-blank of its columns), for the data rows only."""
    import pandas as pd

    width = len(header.texts)
    header_key = [normalise(t) for t in header.texts]
    claim_columns = [c for key in CLAIM_KEYS for c in header.columns.get(key, [])]
    name_columns = header.columns.get(Field.PATIENT_NAME, [])
    rows: list[list[str]] = []
    lines: list[int] = []
    rejected: list[RejectedRow] = []
    skipped = SkippedRows()
    for line, cells in records[header.index + 1 :]:
        cleaned = [clean(c) for c in cells]
        if not any(cleaned) or [normalise(c) for c in cells] == header_key:
            continue
        if totals_row(cleaned, claim_columns) is not None:
            skipped.totals.append(line)
            continue
        if _lone_note(cleaned, name_columns):
            skipped.notes.append(line)
            continue
        if any(cleaned[width:]):
            rejected.append(
                RejectedRow(
                    line,
                    (
                        f"line {line}: {len(cells)} cells where the header has {width} "
                        "(an unquoted comma in a value?)"
                    ),
                )
            )
            continue
        rows.append((cleaned + [""] * width)[:width])
        lines.append(line)
    raw = pd.DataFrame(rows, columns=range(width), dtype=object).fillna("")
    frame = pd.DataFrame({LINE_COLUMN: pd.Series(lines, dtype="int64")})
    statuses = header.columns.get(Field.STATUS, [])
    codes = [c for c in statuses if _holds_clp02(raw[c])]
    frame[CLP02_COLUMN] = _first_filled(raw, codes)
    others = [raw[c] for c in statuses if c not in codes]
    joined = [" | ".join(v for v in values if v) for values in zip(*others, strict=True)]
    frame[STATUS_COLUMN] = pd.Series(joined, dtype=object) if others else ""
    for name, columns in header.columns.items():
        if name is not Field.STATUS:
            frame[name.value] = _first_filled(raw, columns)
    return _drop_headings(_fill_down_patient(frame)), rejected, skipped


def _holds_clp02(column: pd.Series) -> bool:
    """A status column of CLP02 codes/descriptions (NextGen `Clm Sts Cod`, DrChrono 22).

    A column of only "Denied" is a PM status, not evidence of CLP02: X12 uses 4 only when the
    patient was not recognised, so "4" must not be read into every PM denial.
    """
    values = [v for v in column if v]
    codes = [clp02(v) for v in values]
    return bool(values) and all(codes) and any(c != "4" for c in codes if c in CLP02_CODES)


def _first_filled(raw: pd.DataFrame, columns: Sequence[int]) -> pd.Series:
    import pandas as pd

    result = pd.Series([""] * len(raw), dtype=object)
    for column in reversed(columns):  # earlier (preferred) columns overwrite later ones
        result = raw[column].where(raw[column] != "", result)
    return result


def _fill_down_patient(frame: pd.DataFrame) -> pd.DataFrame:
    """NextGen groups rows by patient: the name is only on the patient's first row.

    The name is carried down only while the row's member id / account (when the export has
    one) is blank or the same as on the row the name came from (a heading row has none), so a
    row that merely lacks a name is never given another patient's.
    """
    import pandas as pd

    name_col = Field.PATIENT_NAME.value
    if name_col not in frame or frame.empty:
        return frame
    names = frame[name_col]
    blank = names == ""
    filled = names.mask(blank).ffill().fillna("")
    allowed = pd.Series(True, index=frame.index)
    for ident_field in (Field.MEMBER_ID, Field.PATIENT_ACCOUNT):
        if ident_field.value in frame:
            ident = frame[ident_field.value]
            source = ident.where(~blank).ffill().fillna("")
            allowed &= (ident == "") | (source == "") | (ident == source)
    frame[name_col] = names.where(~blank | ~allowed, filled)
    return frame


def _drop_headings(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows holding only a patient name (a group heading) gave their name; they are not data."""
    if Field.PATIENT_NAME.value not in frame:
        return frame
    data = frame.drop(columns=[LINE_COLUMN, Field.PATIENT_NAME.value])
    heading = (data == "").all(axis=1) & (frame[Field.PATIENT_NAME.value] != "")
    return frame[~heading].reset_index(drop=True)


def _lone_note(cells: Sequence[str], headings: Sequence[int]) -> bool:
    """One cell of words and nothing else: `Page 1 of 3`, `End of report`, `Printed by …`;
    not a patient's name heading the rows below it (`headings`: the name columns)."""
    filled = [(column, c) for column, c in enumerate(cells) if c]
    if len(filled) != 1:
        return False
    column, text = filled[0]
    return column not in headings and len(text.split()) >= 2


def _reading_warnings(
    detection: Detection,
    carry: ClaimCarry,
    rows: SkippedRows,
    not_claims: list[int],
    unsent: list[int],
) -> list[ImportWarning]:
    """What the reading assumed or skipped, one warning each, naming lines, never values."""
    header = detection.header
    said: list[str] = []
    if detection.claim_from_account():
        account = header.texts[header.columns[Field.CLAIM][0]].strip()
        said.append(
            f'no claim number column: the patient account ("{account}") stands for it, and a '
            "patient's claims are told apart by their date of service"
        )
    if detection.payer_above:
        said.append(
            f'no payer column: the payer named above the header ("{detection.payer_above}") is '
            "the payer of every row"
        )
    if carry.continued:
        said.append(
            f"{lines_text(carry.continued)}: service lines without a claim number, read as lines "
            "of the claim above them"
        )
    if rows.totals:
        said.append(f"{lines_text(sorted(rows.totals))}: totals and subtotals, not claims; skipped")
    notes = sorted(not_claims + rows.notes)
    if notes:
        kind = "not a claim row" if len(notes) == 1 else "not claim rows"
        said.append(
            f"{lines_text(notes)}: {kind} (no claim number and no amount: a title, note or "
            "total); skipped"
        )
    if unsent:
        said.append(f"{lines_text(unsent)}: not submitted yet and without a claim number; skipped")
    return [ImportWarning(text) for text in said]
