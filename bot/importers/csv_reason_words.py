"""The CARC a payer's reason names in words, when a report gives the words without the code.

Denial worklists often carry only the reason's description (`Duplicate claim/service`,
`Precertification/authorization absent`). The phrases below are our own wording of what makes
each reason recognisable (denial-facts.md section 2), not the code list's text. A reason is
read as a CARC only when exactly one CARC's phrases match: `Patient not eligible` could be 26,
27, 31, 177 or 200, so it names none and the denial keeps the payer's words with root cause
`other`.
"""

from __future__ import annotations

import re
from typing import Final

# CARC: pattern over the lower-cased text with its punctuation turned into spaces.
_PHRASES: Final[dict[str, str]] = {
    "4": r"modifier (is )?(missing|invalid|inconsistent|required)|inconsistent with the modifier",
    "5": r"inconsistent with (the )?place of service|place of service (is )?(invalid|inconsistent)",
    "11": r"diagnosis (is )?inconsistent with (the )?procedure",
    "16": r"lacks information|missing information|incomplete (claim|information)",
    "18": r"\bduplicate (claim|service|submission|bill)",
    "22": r"(another|other) (payer|insurance|plan) (is |may be )?primary|coordination of benefits",
    "26": r"before (the )?coverage (began|was effective|start)|prior to coverage",
    "27": r"after (the )?coverage (terminated|ended)|coverage (has )?(terminated|ended)",
    "29": r"timely filing|time limit for filing|filing (time )?limit",
    "31": r"cannot (be )?identif|not identified as (our |an? )?(insured|member)|member not found",
    "39": r"authorization (was |is )?denied|denied (when|after) authorization",
    "50": r"medical(ly)? necess",
    "96": r"\bnon ?covered (charge|service)",
    "97": r"included in (the )?(payment|allowance) for another|\bbundled\b",
    "109": r"not covered by this payer|(send|bill) (it )?to the correct payer",
    "119": r"benefit maximum|maximum benefit",
    "151": r"(frequency|number of (services|units)) (exceeds|is not supported)",
    "197": (
        r"(pre ?cert(ification)?|pre ?auth(orization)?|prior auth(orization)?|authorization|"
        r"notification)( [a-z]+)? (is |was )?(absent|missing|required|not (obtained|on file|"
        r"received))|"
        r"no (prior )?(auth(orization)?|pre ?cert(ification)?)( on file)?\b"
    ),
    "204": r"not covered (by|under) (the )?(patient s |current )?benefit plan",
}
_COMPILED: Final = {carc: re.compile(pattern) for carc, pattern in _PHRASES.items()}
_NOT_WORD: Final = re.compile(r"[^a-z0-9]+")
TEXT_MAX: Final = 300


def carc_named(text: str) -> str | None:
    """The one CARC `text` describes, else None (no reason, or more than one)."""
    plain = " ".join(_NOT_WORD.split(text[:TEXT_MAX].lower())).strip()
    if not plain:
        return None
    found = {carc for carc, pattern in _COMPILED.items() if pattern.search(plain)}
    return found.pop() if len(found) == 1 else None
