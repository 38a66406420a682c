"""Reading codes out of CSV cells: CARC/RARC lists, procedures with modifiers, statuses.

Exports write adjustment codes in every shape the 835 allows and a few it does not:
`CO-45`, `"CO-45, PR-3"`, `CO16;N290` (group, CARC and RARC glued in one cell), a bare `45`
with the group in another column, `CO/45` (Valant's "GRP/RC"). The tokens are read one by
one so each shape needs no special case.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Final

from bot.domain.records import ClaimKind
from bot.errors import InputError
from bot.importers.csv_values import quoted

GROUPS: Final = frozenset({"CO", "OA", "PI", "PR", "CR"})
_SEPARATORS: Final = re.compile(r"[\s,;|/+]+")
_GROUP_CARC: Final = re.compile(r"(CO|OA|PI|PR|CR)[-:]?([ABDPWY]\d{1,2}|\d{1,3})")
# RARCs are M…, MA… and N…; no CARC starts with those letters, so the prefix decides.
RARC_CODE: Final = re.compile(r"MA\d{1,3}|M\d{1,3}|N\d{1,4}")
_CARC: Final = re.compile(r"[ABDPWY]\d{1,2}|\d{1,3}")
_PROCEDURE: Final = re.compile(r"[A-Z0-9]{4,7}")
_MODIFIER: Final = re.compile(r"[A-Z0-9]{2}")
_DESCRIPTION: Final = re.compile(r"[A-Z][A-Z'()]{2,}")  # a word, after the codes


@dataclass(frozen=True, slots=True)
class Code:
    group: str  # "" when the export gives a bare CARC and no group column
    carc: str

    def __str__(self) -> str:
        return f"{self.group}-{self.carc}" if self.group else self.carc


@dataclass(slots=True)
class Codes:
    carcs: list[Code] = field(default_factory=list)
    rarcs: list[str] = field(default_factory=list)


def reason_codes(value: str, label: str, *, group: str = "") -> Codes:
    """All CARCs (with their groups) and RARCs written in one cell.

    `group` comes from a separate group-code column and applies to bare CARCs only; a group
    written next to the CARC in the cell wins.
    """
    codes = Codes()
    pending_group = ""
    for piece in _SEPARATORS.split(value.upper()):
        token = piece.rstrip(":-–")  # `PR-2:` and `CO 45 -` are followed by words
        if not token:
            if piece and (codes.carcs or codes.rarcs):
                break
            continue
        if token in GROUPS:  # "CO 45" / "CO/45": the group stands alone before its CARC
            pending_group = token
            continue
        if found := _GROUP_CARC.fullmatch(token):
            codes.carcs.append(Code(found.group(1), found.group(2)))
        elif RARC_CODE.fullmatch(token):
            codes.rarcs.append(token)
        elif _CARC.fullmatch(token):
            codes.carcs.append(Code(pending_group or group.upper(), token))
        elif (codes.carcs or codes.rarcs) and not pending_group and _DESCRIPTION.fullmatch(token):
            break  # `CO-197 Precert absent`, `CO 45 - Charges exceed …`: the rest describes it
        else:
            raise InputError(f"{label}{quoted(token)} is not a CARC or RARC")
        pending_group = ""
    if pending_group:
        raise InputError(f"{label} has the group code {pending_group} without a CARC")
    return codes


def remark_codes(value: str, label: str) -> list[str]:
    """RARCs of a remark-code column (`"MA130, N290"`)."""
    remarks = []
    for token in _SEPARATORS.split(value.upper()):
        if not token:
            continue
        if not RARC_CODE.fullmatch(token):
            raise InputError(f"{label}{quoted(token)} is not a RARC")
        remarks.append(token)
    return remarks


# Group codes written out in words (Epic's remittance tables, some clearinghouse viewers).
GROUP_WORDS: Final = {
    "contractual obligation": "CO",
    "contractual obligations": "CO",
    "other adjustment": "OA",
    "other adjustments": "OA",
    "payer initiated reductions": "PI",
    "payor initiated reductions": "PI",
    "payer initiated": "PI",
    "payor initiated": "PI",
    "patient responsibility": "PR",
    "correction and reversal": "CR",
    "corrections and reversals": "CR",
}


def group_code(value: str, label: str) -> str:
    """`CO`, or `Contractual Obligation` → CO; "" when blank."""
    text = " ".join(value.split()).upper()
    text = GROUP_WORDS.get(text.lower(), text)
    if text and text not in GROUPS:
        raise InputError(f"{label}{quoted(text)} is not a group code (CO, OA, PI, PR, CR)")
    return text


@dataclass(frozen=True, slots=True)
class Procedure:
    code: str
    modifiers: tuple[str, ...] = ()


def procedures(value: str, label: str) -> list[Procedure]:
    """`99213`, `99214-25`, `"90837, 90785"` (several codes for one claim row)."""
    found = []
    for token in re.split(r"[,;|\s]+", value.upper()):
        if not token:
            continue
        code, *mods = re.split(r"[-:]", token)
        if not _PROCEDURE.fullmatch(code) or not all(_MODIFIER.fullmatch(m) for m in mods):
            raise InputError(f"{label}{quoted(token)} is not a CPT/HCPCS code")
        found.append(Procedure(code, tuple(mods)))
    return found


def modifiers(value: str, label: str) -> list[str]:
    """`25`, `"25, 59"`, `25 59`, or DrChrono's JSON list `["59", "GP"]`."""
    text = value.strip()
    items: list[str]
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            parsed = None
        if not isinstance(parsed, list):
            raise InputError(f"{label}{quoted(text)} is not a list of modifiers")
        items = [str(item) for item in parsed]
    else:
        items = re.split(r"[,;|\s]+", text)
    mods = [item.strip().upper() for item in items if item.strip()]
    for mod in mods:
        if not _MODIFIER.fullmatch(mod):
            raise InputError(f"{label}{quoted(mod)} is not a modifier")
    return mods


# --- statuses -------------------------------------------------------------------------------

# CLP02 codes and the X12 descriptions NextGen prints in `Clm Sts Cod` (element 1029).
CLP02_DESCRIPTIONS: Final = {
    "processed as primary": "1",
    "processed as secondary": "2",
    "processed as tertiary": "3",
    "denied": "4",
    "processed as primary, forwarded to additional payer(s)": "19",
    "processed as secondary, forwarded to additional payer(s)": "20",
    "processed as tertiary, forwarded to additional payer(s)": "21",
    "reversal of previous payment": "22",
    "not our claim, forwarded to additional payer(s)": "23",
    "predetermination pricing only - no payment": "25",
}
CLP02_CODES: Final = frozenset(CLP02_DESCRIPTIONS.values())
_CLP02_KINDS: Final = {
    "22": ClaimKind.REVERSAL,
    "23": ClaimKind.FORWARDED,
    "25": ClaimKind.PREDETERMINATION,
}
# PM status words. "Received" is left out: DrChrono's "ERA Received" means adjudicated.
# Status columns abbreviate too: `DEN`, `DND`, `RJ`, `REJ`, `PEND`, `RVSL`.
_REVERSAL: Final = re.compile(r"\b(revers(al|ed|e)|rvsl|takeback|recoup(ed|ment)?)\b")
_REJECTION: Final = re.compile(r"\b(reject(ed|ion)?|rej|rjct?|rj)\b")
_PENDING: Final = re.compile(
    r"\b(pending|pend|pnd|accepted|prepared|downloaded|submitted|unsubmitted|draft|queued|"
    r"ready to (send|submit|bill)|acknowledged|awaiting|in process)\b"
)
_DENIED: Final = re.compile(r"\b(den(ied|ial|y)?|dnd|dnl)\b")
# A denial worklist's own status: the work on the denial, not the payer's decision.
_OPEN_WORK: Final = re.compile(
    r"\b(open|new|in progress|working|assigned|re-?opened|unresolved|follow[- ]?up|to do|"
    r"needs? (review|work|action))\b"
)


def clp02(value: str) -> str | None:
    """The CLP02 code a status cell stands for, when it is a code or an X12 description."""
    text = " ".join(value.lower().split())
    if text in CLP02_CODES:
        return text
    return CLP02_DESCRIPTIONS.get(text)


@dataclass(frozen=True, slots=True)
class StatusFacts:
    kind: ClaimKind = ClaimKind.ADJUDICATED
    clp02: str | None = None  # when a column carries real CLP02 codes/descriptions
    denied: bool = False  # some status says denied
    open_work: bool = False  # a worklist's status of work still to do (Open, In Progress …)


def read_status(clp02_text: str, status_text: str) -> StatusFacts:
    """What a row's status columns say, strongest first: reversal, rejection, pending.

    `clp02_text` comes from columns holding CLP02 codes or X12 descriptions, `status_text`
    joins the PM's own status columns. A reversal wins over everything (DrChrono keeps
    `billing_status` "ERA Denied" on the row whose `claim_status` is 22); "Processed as
    Primary" is not "pending" ("in process").
    """
    code = clp02(clp02_text) if clp02_text else None
    text = " ".join(status_text.lower().split())
    denied = code == "4" or bool(_DENIED.search(text))
    if code in _CLP02_KINDS:
        return StatusFacts(_CLP02_KINDS[code], code, denied)
    if _REVERSAL.search(text):
        return StatusFacts(ClaimKind.REVERSAL, code, denied)
    if _REJECTION.search(text):
        return StatusFacts(ClaimKind.REJECTION, code, denied)
    if _PENDING.search(text) and not denied:
        return StatusFacts(ClaimKind.PENDING, code, denied)
    return StatusFacts(ClaimKind.ADJUDICATED, code, denied, bool(_OPEN_WORK.search(text)))
