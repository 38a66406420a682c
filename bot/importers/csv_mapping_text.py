"""How a detected mapping is said to people: the summary note, the --columns text, the
refusal's proposal. One wording for the CLI, the Slack thread and `denials columns`."""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping
from typing import Final

from bot.importers.csv_columns import CLAIM_KEYS, PHI_FIELDS, Field
from bot.importers.csv_detect import Detection

# The fields people check first, in the order they read a denial.
MAIN_FIELDS: Final = (
    *CLAIM_KEYS,
    Field.PAYER,
    Field.SERVICE_DATE,
    Field.PROCEDURE,
    Field.BILLED,
    Field.PAID,
    Field.ADJUSTMENT,
    Field.GROUP,
    Field.CARC,
    Field.RARC,
    Field.REASON_TEXT,
    Field.STATUS,
    Field.NOTICE_DATE,
    Field.RENDERING_NPI,
)
MAX_HEADERS_SHOWN: Final = 40


def pairs(detection: Detection, fields: Iterable[Field] = MAIN_FIELDS) -> dict[Field, str]:
    """Field → header of its chosen column, for the fields found."""
    found: dict[Field, str] = {}
    for name in fields:
        choice = detection.chosen(name)
        if choice is not None and choice.header:
            found[name] = choice.header
    return found


def columns_option(headers: Mapping[Field, str]) -> str:
    """`--columns 'claim=CLAIMID,payer=Carrier'`, quoted for a POSIX shell."""
    text = ",".join(f"{name.value}={header}" for name, header in headers.items())
    return f"--columns {shlex.quote(text)}"


def inferred_text(detection: Detection) -> str:
    """`claim=CLAIMID, payer=PRIMARYINSURANCE, …` when some field was inferred from header
    words or values; "" when every column was a known header name or named by the user."""
    if not detection.inferred():
        return ""
    return ", ".join(f"{name.value}={header}" for name, header in pairs(detection).items())


def proposed_columns(detection: Detection) -> dict[Field, str]:
    """The main fields found, and `<header>` for each one missing."""
    wanted = pairs(detection)
    for need in detection.missing():
        wanted[need.fields[0]] = "<header>"
    return wanted


def proposal_text(detection: Detection) -> str:
    """What was understood and the --columns line that completes it."""
    found = pairs(detection)
    wanted = proposed_columns(detection)
    headers = [t.strip() for t in detection.header.texts if t.strip()]
    shown = ", ".join(f'"{h}"' for h in headers[:MAX_HEADERS_SHOWN])
    if len(headers) > MAX_HEADERS_SHOWN:
        shown += f" and {len(headers) - MAX_HEADERS_SHOWN} more"
    understood = ", ".join(f"{n.value}={h}" for n, h in found.items()) or "nothing"
    return (
        f"Understood: {understood}. The header has {shown}. Name the missing column(s) with "
        f"{columns_option(wanted)}"
    )


def mapping_table(detection: Detection) -> list[str]:
    """One line per field found: field, column, why, a sample value (never patient data)."""
    rows = [("field", "column", "why", "sample")]
    for name in Field:
        for rank, choice in enumerate(detection.choices.get(name, [])):
            label = name.value if rank == 0 else f"  (then {name.value})"
            where = f"{choice.header or '(no header)'} [col {choice.column + 1}]"
            sample = "(patient data)" if name in PHI_FIELDS else choice.sample
            rows.append((label, where, choice.why, sample))
    widths = [min(max(len(row[i]) for row in rows), cap) for i, cap in enumerate((24, 34, 70))]
    return [
        "  ".join(
            [*(cell[:w].ljust(w) for cell, w in zip(row[:3], widths, strict=True)), row[3]]
        ).rstrip()
        for row in rows
    ]


def unused_headers(detection: Detection) -> list[str]:
    """Headers of columns no field reads."""
    used = {c.column for cs in detection.choices.values() for c in cs}
    return [t.strip() for i, t in enumerate(detection.header.texts) if t.strip() and i not in used]
