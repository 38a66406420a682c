"""CARC/RARC → root cause, from a readable CSV table (denial-facts.md section 2).

The table ships as package data (`bot/domain/data/root_causes.csv`) and a practice may
override rows with its own CSV of the same columns. Codes the table does not know are never
errors: they fall to `other` with an explanation that names the code.

Precedence (section 2): the group-code rules of section 1 decide *whether* an adjustment is a
denial (see `denial_rules.classify_adjustment`); for a denial, a listed CARC+RARC pair wins,
then a RARC decides when the CARC is generic (16, 96, 125, 252, 272, A1, B5: `rarc_decides`)
or the CARC by itself is not a denial reason (e.g. CO-1, PR-42: a payer reporting cost share
or a contractual amount as a denial); else the CARC's own row; else `other`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path

from bot.domain.findings import RootCause
from bot.errors import InputError

PACKAGE_DATA = "root_causes.csv"
COLUMNS = ("kind", "code", "category", "flag", "title", "explanation", "basis")
REQUIRED_COLUMNS = ("kind", "code", "category")


class CodeKind(StrEnum):
    CARC = "carc"
    RARC = "rarc"
    PAIR = "pair"  # code "CARC+RARC", e.g. "11+N115"


class NonDenialCategory(StrEnum):
    """Table categories that are not root causes: the adjustment is not a denial to work."""

    PATIENT_RESPONSIBILITY = "patient_responsibility"
    CONTRACTUAL = "contractual"
    INFORMATIONAL = "informational"


class CodeFlag(StrEnum):
    RARC_DECIDES = "rarc_decides"  # generic CARC: the RARC names the real reason
    NO_APPEAL = "no_appeal"  # MA130, N211: correct and resubmit, no appeal rights
    RESUBMIT = "resubmit"  # N517, N142: send a new claim (appeal rights not taken away)


Category = RootCause | NonDenialCategory

_CATEGORIZED_CACHE = 4096
_CATEGORIZED_CHARS = 64  # codes are short; a damaged file's long garbage is not kept

UNKNOWN_CODE = "Unrecognised reason code {code}: check the payer's remittance advice"


@dataclass(frozen=True, slots=True)
class CodeRow:
    kind: CodeKind
    code: str  # upper case; "CARC+RARC" for pairs
    category: Category
    flag: CodeFlag | None = None
    title: str = ""
    explanation: str = ""
    basis: str = ""

    @property
    def key(self) -> tuple[CodeKind, str]:
        return (self.kind, self.code)

    @property
    def root_cause(self) -> RootCause | None:
        """The root cause this row names, or None for cost share / contractual / informational."""
        return self.category if isinstance(self.category, RootCause) else None


def normalize_code(code: str) -> str:
    return code.strip().upper()


def display_code(group: str, carc: str) -> str:
    """`CO-197`, or the bare CARC when a CSV export gave no group (as DenialReason.code)."""
    group, carc = group.strip().upper(), normalize_code(carc)
    return f"{group}-{carc}" if group else carc


class RootCauseTable:
    """The crosswalk, keyed by (kind, code). Build with `load()`; immutable afterwards."""

    def __init__(self, rows: Iterable[CodeRow]) -> None:
        self._rows: dict[tuple[CodeKind, str], CodeRow] = {row.key: row for row in rows}
        # Answers of `categorize`: a remittance repeats a few code combinations many times.
        self._categorized: dict[tuple[str, str, tuple[str, ...]], tuple[RootCause, str]] = {}

    @classmethod
    def load(cls, override_path: Path | None = None) -> RootCauseTable:
        """The built-in table, with the rows of `override_path` (same columns) replacing or
        adding rows of the same kind and code. Raises InputError naming file, line and field."""
        text = resources.files("bot.domain.data").joinpath(PACKAGE_DATA).read_text("utf-8")
        rows = {row.key: row for row in parse_table(text, source=PACKAGE_DATA)}
        if override_path is not None:
            try:
                override = override_path.read_text("utf-8-sig")
            except OSError as error:
                raise InputError(f"{override_path}: cannot read the file ({error})") from error
            rows.update((row.key, row) for row in parse_table(override, source=str(override_path)))
        return cls(rows.values())

    @property
    def rows(self) -> tuple[CodeRow, ...]:
        return tuple(self._rows.values())

    def carc(self, code: str) -> CodeRow | None:
        return self._rows.get((CodeKind.CARC, normalize_code(code)))

    def rarc(self, code: str) -> CodeRow | None:
        return self._rows.get((CodeKind.RARC, normalize_code(code)))

    def pair(self, carc: str, rarc: str) -> CodeRow | None:
        code = f"{normalize_code(carc)}+{normalize_code(rarc)}"
        return self._rows.get((CodeKind.PAIR, code))

    def rarc_flag(self, code: str) -> CodeFlag | None:
        row = self.rarc(code)
        return row.flag if row else None

    def describe_rarc(self, code: str) -> str:
        """One line for a card's reason list: the RARC's explanation, or a pointer to the RA."""
        row = self.rarc(code)
        if row is None or not row.explanation:
            return f"remark {normalize_code(code)}: see the payer's remittance advice"
        return _capitalize(row.explanation)

    def categorize(self, group: str, carc: str, rarcs: Sequence[str]) -> tuple[RootCause, str]:
        """Root cause and a one-line explanation for one denial adjustment (section 2)."""
        key = (group, carc, tuple(rarcs))
        found = self._categorized.get(key)
        if found is None:
            found = self._categorize(group, carc, rarcs)
            if len(group) + len(carc) + sum(map(len, rarcs)) <= _CATEGORIZED_CHARS:
                if len(self._categorized) >= _CATEGORIZED_CACHE:
                    self._categorized.clear()
                self._categorized[key] = found
        return found

    def _categorize(self, group: str, carc: str, rarcs: Sequence[str]) -> tuple[RootCause, str]:
        code = display_code(group, carc)
        rarcs = [normalize_code(r) for r in rarcs if r.strip()]
        carc_row = self.carc(carc)
        if carc_row is None:
            return RootCause.OTHER, UNKNOWN_CODE.format(code=code)
        # A listed CARC+RARC pair is the most specific rule.
        for rarc in rarcs:
            pair = self.pair(carc, rarc)
            if pair is not None and pair.root_cause is not None:
                return pair.root_cause, self._explain(carc_row, code, pair, rarc)
        # Generic CARCs, and CARCs that are no denial reason by themselves, defer to the RARC.
        if carc_row.flag is CodeFlag.RARC_DECIDES or carc_row.root_cause is None:
            for rarc in rarcs:
                rarc_row = self.rarc(rarc)
                if rarc_row is not None and rarc_row.root_cause is not None:
                    return rarc_row.root_cause, self._explain(carc_row, code, rarc_row, rarc)
        return carc_row.root_cause or RootCause.OTHER, _line(carc_row.title, code, carc_row)

    def _explain(self, carc_row: CodeRow, code: str, decider: CodeRow, rarc: str) -> str:
        """'<CARC title> (CO-16, M127): <why, from the pair or the RARC row>'."""
        source = decider if decider.explanation else (self.rarc(rarc) or carc_row)
        return _line(carc_row.title, f"{code}, {rarc}", source)


def _line(title: str, codes: str, source: CodeRow) -> str:
    head = f"{title} ({codes})" if title else codes
    return f"{head}: {source.explanation}" if source.explanation else head


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=1)
def default_table() -> RootCauseTable:
    """The built-in table, read once per process (the file is package data, never changes)."""
    return RootCauseTable.load()


def categorize(
    group: str, carc: str, rarcs: Sequence[str], *, table: RootCauseTable | None = None
) -> tuple[RootCause, str]:
    return (table or default_table()).categorize(group, carc, rarcs)


# --- parsing -------------------------------------------------------------------------------

_CATEGORIES: dict[str, Category] = {c.value: c for c in RootCause} | {
    c.value: c for c in NonDenialCategory
}


def parse_table(text: str, *, source: str) -> list[CodeRow]:
    """Rows of a root-cause CSV. Blank lines and lines whose `kind` starts with '#' are skipped."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or ()]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise InputError(f"{source}: missing column(s) {', '.join(missing)} (need {COLUMNS})")
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise InputError(f"{source}: unknown column(s) {', '.join(unknown)} (allowed {COLUMNS})")
    reader.fieldnames = header
    rows = []
    for record in reader:
        values = {k: (v or "").strip() for k, v in record.items() if isinstance(k, str)}
        if not any(values.values()) or values.get("kind", "").startswith("#"):
            continue
        rows.append(_parse_row(values, where=f"{source}, line {reader.line_num}"))
    return rows


def _parse_row(values: dict[str, str], *, where: str) -> CodeRow:
    def bad(field: str, problem: str) -> InputError:
        return InputError(f"{where}: field '{field}' {problem}")

    try:
        kind = CodeKind(values["kind"].lower())
    except ValueError:
        raise bad("kind", f"must be one of carc, rarc, pair, got {values['kind']!r}") from None
    code = normalize_code(values.get("code", ""))
    if not code:
        raise bad("code", "is empty")
    if kind is CodeKind.PAIR:
        parts = code.split("+")
        if len(parts) != 2 or not all(p.strip() for p in parts):
            raise bad("code", f"of a pair must look like 16+M127, got {code!r}")
        code = "+".join(p.strip() for p in parts)
    category = _CATEGORIES.get(values.get("category", "").lower())
    if category is None:
        allowed = ", ".join(_CATEGORIES)
        raise bad("category", f"must be one of {allowed}, got {values.get('category')!r}")
    flag_text = values.get("flag", "").lower()
    try:
        flag = CodeFlag(flag_text) if flag_text else None
    except ValueError:
        allowed = ", ".join(f.value for f in CodeFlag)
        raise bad("flag", f"must be empty or one of {allowed}, got {flag_text!r}") from None
    return CodeRow(
        kind=kind,
        code=code,
        category=category,
        flag=flag,
        title=values.get("title", ""),
        explanation=values.get("explanation", ""),
        basis=values.get("basis", ""),
    )
