"""How a detected mapping is said to people: the summary note, the --columns text, the
refusal's proposal. One wording for the CLI, the Slack thread and `denials columns`."""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping
from typing import Final

from bot.importers.csv_columns import CLAIM_KEYS, Field
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


def proposal_text(detection: Detection) -> str:
    """What was understood and the --columns line that completes it."""
    found = pairs(detection)
    wanted = dict(found)
    for need in detection.missing():
        wanted[need.fields[0]] = "<header>"
    headers = [t.strip() for t in detection.header.texts if t.strip()]
    shown = ", ".join(f'"{h}"' for h in headers[:MAX_HEADERS_SHOWN])
    if len(headers) > MAX_HEADERS_SHOWN:
        shown += f" and {len(headers) - MAX_HEADERS_SHOWN} more"
    understood = ", ".join(f"{n.value}={h}" for n, h in found.items()) or "nothing"
    return (
        f"Understood: {understood}. The header has {shown}. Name the missing column(s) with "
        f"{columns_option(wanted)}"
    )
