"""Grouping parsed CSV rows into one ClaimRecord per claim per remittance.

A remittance in a CSV is what the 835 would have sent at once: same claim number, payer,
check and notice date. The row's kind is part of the key because a reversal and its
correction share all of those (NextGen rows 7 and 8 of its sample, DrChrono's `claim_status`
22 and 1 on one trace number) and are two adjudications.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Final

from bot.domain.records import (
    ClaimKind,
    ClaimRecord,
    ImportWarning,
    RejectedRow,
    RemittanceInfo,
    ServiceLine,
)
from bot.importers.csv_columns import Field, Header
from bot.importers.csv_rows import ParsedRow
from bot.importers.csv_values import date_in_name

ZERO: Final = Decimal("0.00")
# CSV exports have no CLP02; these are the codes an 835 would have carried for the same news.
KIND_STATUS: Final = {
    ClaimKind.ADJUDICATED: "1",
    ClaimKind.REVERSAL: "22",
    ClaimKind.FORWARDED: "23",
    ClaimKind.PREDETERMINATION: "25",
    ClaimKind.REJECTION: "",
    ClaimKind.PENDING: "",
}

GroupKey = tuple[str, str, str, date | None, ClaimKind, date | None]


@dataclass(slots=True)
class ClaimGroups:
    """Collects rows in file order and builds the claims when asked."""

    # The claim number is a patient account (the report has no other): a patient's rows of
    # one date of service are one claim, and those of another date another claim.
    by_service_date: bool = False
    _groups: dict[GroupKey, list[ParsedRow]] = field(default_factory=dict)

    def add(self, row: ParsedRow) -> None:
        key = (
            row.claim_number,
            row.payer.name.casefold(),
            row.check_number or "",
            row.notice_date,
            row.kind,
            _service_date(row) if self.by_service_date else None,
        )
        self._groups.setdefault(key, []).append(row)

    def claims(self) -> list[ClaimRecord]:
        return [_claim(rows) for rows in self._groups.values()]

    def rows(self) -> int:
        return sum(len(rows) for rows in self._groups.values())

    def rows_of(self, claims: set[tuple[str, str]]) -> int:
        """Rows of the claims `claims` ((claim number, payer) as `claim_of` gives them)."""
        return sum(len(rows) for key, rows in self._groups.items() if key[:2] in claims)

    def drop(self, claims: set[tuple[str, str]], *, why: str) -> list[RejectedRow]:
        """Leave out every row of the claims `claims`; the rows left out, saying `why`."""
        gone = [key for key in self._groups if key[:2] in claims]
        return [
            RejectedRow(row.line, f"line {row.line}: {why}")
            for key in gone
            for row in self._groups.pop(key)
        ]

    def warnings(self, header: Header) -> list[ImportWarning]:
        found: list[ImportWarning] = []
        rows = [row for group in self._groups.values() for row in group]
        named = sorted(row.line for row in rows if row.reason_named)
        if named:
            codes = ", ".join(dict.fromkeys(r.reason_named or "" for r in rows if r.reason_named))
            found.append(
                ImportWarning(
                    f"{lines_text(named)}: no reason code, but the reason's words name one "
                    f"(CARC {codes}); it was used"
                )
            )
        guessed = sorted(row.line for row in rows if row.guessed_split)
        if guessed:
            found.append(
                ImportWarning(
                    f"{lines_text(guessed)}: one adjustment amount for several reason codes that "
                    "the other columns could not split; the amount was given to the main code"
                )
            )
        if not header.has(Field.NOTICE_DATE) and rows:
            if header.has(Field.ERA_FILE):
                found.append(
                    ImportWarning(
                        "no check or adjudication date column; the date in the ERA file name is "
                        "used as the notice date where there is one, else the import date"
                    )
                )
            else:
                found.append(
                    ImportWarning(
                        "no check or adjudication date column; appeal deadlines count from the "
                        "import date"
                    )
                )
        if not header.has(Field.BILLED) and rows:
            found.append(
                ImportWarning(
                    "no billed amount column; claims are stored with a billed amount of 0.00"
                )
            )
        return found


def _claim(rows: list[ParsedRow]) -> ClaimRecord:
    first = rows[0]
    lines = _merge_lines(rows)
    has_codes = any(row.has_codes for row in rows)
    by_status = (
        first.kind is ClaimKind.ADJUDICATED
        and not has_codes
        and any(row.status.denied or row.open_denial for row in rows)
    )
    explicit = next((row.status.clp02 for row in rows if row.status.clp02), None)
    # A PM "Denied" is not CLP02 4 (which X12 keeps for an unrecognised patient, and the
    # denial rules read as eligibility): a status-only denial says so by `denied_by_status`.
    status = explicit or KIND_STATUS[first.kind]
    dates = [line.service_date for line in lines if line.service_date]
    return ClaimRecord(
        remittance=RemittanceInfo(
            payer=first.payer,
            check_number=first.check_number,
            report_date=first.notice_date or _era_file_date(rows),
        ),
        claim_number=first.claim_number,
        status_code=status,
        kind=first.kind,
        billed=sum((line.billed for line in lines), ZERO),
        paid=sum((line.paid for line in lines), ZERO),
        patient_responsibility=_patient_share(rows),
        payer_claim_number=next((r.payer_claim_number for r in rows if r.payer_claim_number), None),
        service_date=min(dates) if dates else None,
        patient=first.patient,
        rendering_provider=next(
            (r.rendering_provider for r in rows if r.rendering_provider.name),
            first.rendering_provider,
        ),
        lines=tuple(lines),
        denied_by_status=by_status,
        source_line=first.line,
        reason_text=next((row.reason_text for row in rows if row.reason_text), None),
    )


def _merge_lines(rows: Sequence[ParsedRow]) -> list[ServiceLine]:
    """One ServiceLine per row, except rows of one line id (DrChrono: one row per transaction;
    an 835 flattened to one row per adjustment).

    Such rows repeat the line's billed amount and units, so those are taken once; adjustments
    and remarks add up, and so do payments, unless every row repeats the same payment (the
    line's, printed beside each of its adjustments): then it is taken once too.
    """
    lines: list[ServiceLine] = []
    by_id: dict[str, int] = {}
    payments: dict[str, list[Decimal]] = {}
    for row in rows:
        head, *rest = row.lines
        if row.line_id is not None and row.line_id in by_id:
            index = by_id[row.line_id]
            kept = lines[index]
            payments[row.line_id].append(head.paid)
            lines[index] = replace(
                kept,
                paid=kept.paid + head.paid,
                adjustments=kept.adjustments + head.adjustments,
                remarks=tuple(dict.fromkeys(kept.remarks + head.remarks)),
                modifiers=tuple(dict.fromkeys(kept.modifiers + head.modifiers)),
            )
        else:
            if row.line_id is not None:
                by_id[row.line_id] = len(lines)
                payments[row.line_id] = [head.paid]
            lines.append(head)
        lines.extend(rest)
    for line_id, paid in payments.items():
        if len(paid) > 1 and paid[0] and len(set(paid)) == 1:
            lines[by_id[line_id]] = replace(lines[by_id[line_id]], paid=paid[0])
    return lines


def _patient_share(rows: Sequence[ParsedRow]) -> Decimal | None:
    seen: set[str] = set()
    shares: list[Decimal] = []
    for row in rows:
        if row.patient_responsibility is None:
            continue
        if row.line_id is not None:  # a per-line balance repeated on each transaction row
            if row.line_id in seen:
                continue
            seen.add(row.line_id)
        shares.append(row.patient_responsibility)
    return sum(shares, ZERO) if shares else None


def _service_date(row: ParsedRow) -> date | None:
    return next((line.service_date for line in row.lines if line.service_date), None)


def _era_file_date(rows: Sequence[ParsedRow]) -> date | None:
    return next((d for d in (date_in_name(r.era_file) for r in rows if r.era_file) if d), None)


def lines_text(lines: Sequence[int]) -> str:
    if len(lines) > 10:
        return f"{len(lines)} lines (first: {', '.join(map(str, lines[:10]))}, …)"
    return ("line " if len(lines) == 1 else "lines ") + ", ".join(map(str, lines))
