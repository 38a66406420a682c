"""Which row is the header and which column holds each field, from headers and values.

Three kinds of evidence, strongest first:

1. the synonym table (csv_headers.csv): header texts seen in real exports, in priority order;
2. the header's words (csv_words, csv_header_rules): `Adj Rsn Cd`, `PRIMARYINSURANCE`;
3. the values under the header (csv_evidence), sampled from the data rows: they confirm a
   header, veto one that lies (`Remarks` holding sentences is no RARC column) and name a
   column whose header says nothing (`Code` holding `CO-45` is the reason code).

A column the user named (`--columns`, a mapping remembered in the database, the Slack modal)
serves only its field; the other fields are still detected. Pure: records in, Detection out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Final

from bot.importers.csv_columns import (
    CLAIM_KEYS,
    PHI_FIELDS,
    SLOTS,
    ColumnMapping,
    Field,
    Header,
    NeededField,
    lookup_synonym,
    needed_fields,
    normalise,
)
from bot.importers.csv_evidence import Kind, Profile, profile
from bot.importers.csv_header_rules import UNLESS, word_scores
from bot.importers.csv_preamble import payer_above
from bot.importers.csv_values import clean
from bot.importers.csv_words import FILLER, content_words, header_words

MONEY_KINDS: Final = (Kind.MONEY, Kind.NUMBER)
# What the values of a field look like; fields not listed hold anything (ids, names of
# people) and are not checked.
VALUE_KINDS: Final[dict[Field, tuple[Kind, ...]]] = {
    **{
        name: MONEY_KINDS
        for name in (
            Field.BILLED,
            Field.ALLOWED,
            Field.PAID,
            Field.ADJUSTMENT,
            Field.ADJUSTMENT2,
            Field.ADJUSTMENT3,
            Field.ADJUSTMENT4,
            Field.ADJUSTMENT5,
            Field.ADJUSTMENT6,
            Field.DEDUCTIBLE,
            Field.COINSURANCE,
            Field.COPAY,
            Field.PATIENT_RESPONSIBILITY,
        )
    },
    **{
        name: (Kind.DATE,)
        for name in (Field.SERVICE_DATE, Field.NOTICE_DATE, Field.POSTED_DATE, Field.DOB)
    },
    **{name: (Kind.CARC, Kind.BARE_CARC) for _, name, _ in SLOTS},
    **{name: (Kind.GROUP,) for name, _, _ in SLOTS},
    Field.RARC: (Kind.RARC,),
    Field.RENDERING_NPI: (Kind.NPI,),
    Field.PROCEDURE: (Kind.PROCEDURE,),
    Field.MODIFIERS: (Kind.MODIFIER,),
    Field.MODIFIER1: (Kind.MODIFIER,),
    Field.MODIFIER2: (Kind.MODIFIER,),
    Field.MODIFIER3: (Kind.MODIFIER,),
    Field.MODIFIER4: (Kind.MODIFIER,),
    Field.UNITS: (Kind.NUMBER, Kind.MONEY),
    Field.PAYER: (Kind.NAME,),
    Field.PAYER_ID: (Kind.PAYER_ID,),
    Field.RENDERING_PROVIDER: (Kind.NAME, Kind.NUMBER),  # DrChrono's `doctor` is an id
    # The payer's reason: words, words with codes in them, or the codes alone (a `Reason`
    # column of `CO-197`: codes a reader finds all the same).
    Field.REASON_TEXT: (Kind.TEXT, Kind.NAME, Kind.CODES_IN_TEXT, Kind.CODES),
}
# Fields a column's values can name without help from its header (kind, weight): values so
# particular that nothing else holds them.
VALUE_ONLY: Final[dict[Field, tuple[Kind, float]]] = {
    Field.CARC: (Kind.CARC, 0.55),
    Field.RARC: (Kind.RARC, 0.55),
    Field.RENDERING_NPI: (Kind.NPI, 0.45),
    Field.PROCEDURE: (Kind.PROCEDURE, 0.45),
    Field.GROUP: (Kind.GROUP, 0.45),
    Field.REASON_TEXT: (Kind.CODES_IN_TEXT, 0.45),
    Field.STATUS: (Kind.STATUS, 0.4),
}
VALUES_ONLY_SHARE: Final = 0.8  # of the sampled cells, to name a column by its values alone
VETO_SHARE: Final = 0.5  # below this share of fitting values, the header is not believed
# Fields whose values' shape only tells an ambiguous header apart (`Ins ID`: short payer ids
# or long member ids); a column plainly named `Payer ID` holds payer ids of any length.
SHAPELESS_WHEN_NAMED: Final = frozenset({Field.PAYER_ID})
# ... once there are this many values: on fewer, a bad value is the row's problem (the row is
# refused naming its line), not the header's.
VETO_MIN_CELLS: Final = 3
MIN_SCORE: Final = 0.3
SURE_SCORE: Final = 0.75
SCAN_RECORDS: Final = 50  # where the header may be
SAMPLE_ROWS: Final = 120  # data rows read for value evidence
HEADER_CANDIDATES: Final = 4  # records examined with their values, best header words first
CANDIDATE_SHARE: Final = 0.6  # ... when their header words score near the best one's


class Confidence(StrEnum):
    SURE = "sure"
    LIKELY = "likely"
    UNSURE = "unsure"


@dataclass(frozen=True, slots=True)
class Choice:
    """One column chosen for one field, and why."""

    field: Field
    column: int
    header: str
    score: float
    why: str
    sample: str  # "" when the field is patient data or the sample is blank
    confidence: Confidence
    rank: int = 0  # among the synonym table's headers of the field (lower first)
    given: bool = False  # named by the user (--columns, a remembered mapping, Slack)


@dataclass(slots=True)
class Detection:
    """The header and the columns of every field found, best column first per field."""

    header: Header
    choices: dict[Field, list[Choice]] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)  # first non-blank cell per column
    payer_above: str = ""  # no payer column, but a line above the header names the payer

    def chosen(self, name: Field) -> Choice | None:
        found = self.choices.get(name)
        return found[0] if found else None

    def missing(self) -> list[NeededField]:
        """Needs the file does not meet (claim, payer, an amount, a reason code or status)."""
        return [
            need
            for need in needed_fields()
            if not any(self.has(f) for f in need.fields)
            and not (self.payer_above and Field.PAYER in need.fields)
        ]

    def has(self, name: Field) -> bool:
        if name is Field.REASON_TEXT:  # a reason text serves as outcome only with codes in it
            return any(CODES_IN_TEXT_WHY in c.why for c in self.choices.get(name, []))
        return bool(self.choices.get(name))

    def uncertain(self) -> list[Field]:
        """Fields that matter whose column was a guess (staff should confirm them)."""
        return [
            need_field
            for need in needed_fields()
            for need_field in need.fields
            if (c := self.chosen(need_field)) is not None
            and c.confidence is Confidence.UNSURE
            and not c.given
        ]

    def claim_from_account(self) -> bool:
        """No claim number column: the patient account column stands for it."""
        claim = self.chosen(Field.CLAIM)
        return claim is not None and ACCOUNT_AS_CLAIM_WHY in claim.why

    def denial_reasons(self) -> bool:
        """The reason text column says it holds denial reasons (`Denial Reason`), so its rows
        are denials even when their status is a worklist's (`Open`)."""
        reason = self.chosen(Field.REASON_TEXT)
        return reason is not None and bool(content_words(reason.header) & DENIAL_WORDS)

    def inferred(self) -> bool:
        """Some field was found by header words or values, not by a known header name."""
        return any(not c.given and c.rank < 0 for cs in self.choices.values() for c in cs)


CODES_IN_TEXT_WHY: Final = "with reason codes in the text"
ACCOUNT_AS_CLAIM_WHY: Final = (
    "the patient account, for want of a claim number column (claims told apart by date of service)"
)
DENIAL_WORDS: Final = frozenset({"denial", "denied", "deny", "reason"})


def detect(
    records: Sequence[Sequence[str]], mapping: ColumnMapping | None = None
) -> Detection | None:
    """The best header among the first records and its columns; None when no record reads
    as a header (or, with a mapping, when no record holds every header it names)."""
    head = list(records[:SCAN_RECORDS])
    if mapping is not None:
        for index, cells in enumerate(head):
            found = _with_mapping(records, index, cells, mapping)
            if found is not None:
                return found
        return None
    ranked = sorted(
        ((_word_total(cells), index) for index, cells in enumerate(head)),
        key=lambda item: (-item[0], item[1]),
    )
    best: tuple[float, Detection] | None = None
    top = ranked[0][0] if ranked else 0.0
    for words_total, index in ranked[:HEADER_CANDIDATES]:
        if words_total < max(1.0, top * CANDIDATE_SHARE):
            break
        found = _columns(records, index, None)
        total = _total(found)
        if best is None or total > best[0]:
            best = (total, found)
    if best is None or len([c for cs in best[1].choices.values() for c in cs]) < 2:
        return None
    return best[1]


def detect_at(
    records: Sequence[Sequence[str]], index: int = 0, mapping: ColumnMapping | None = None
) -> Detection | None:
    """Record `index` read as the header (None when it lacks a header `mapping` names)."""
    if mapping is not None:
        return _with_mapping(records, index, records[index], mapping)
    return _columns(records, index, None)


def _word_total(cells: Sequence[str]) -> float:
    """How header-like a record is by its words alone: the best score per field, summed."""
    best: dict[Field, float] = {}
    for cell in cells:
        text = cell.strip()
        if not text or len(text) > 80:
            continue
        for name, score in _header_scores(text).items():
            best[name] = max(best.get(name, 0.0), score)
    return sum(best.values())


def _total(found: Detection) -> float:
    return sum(cs[0].score for cs in found.choices.values() if cs)


def _with_mapping(
    records: Sequence[Sequence[str]], index: int, cells: Sequence[str], mapping: ColumnMapping
) -> Detection | None:
    keys = [normalise(cell) for cell in cells]
    wanted = {name: normalise(text) for name, text in mapping.headers.items()}
    if any(key not in keys for key in wanted.values()):
        return None
    return _columns(records, index, {name: keys.index(key) for name, key in wanted.items()})


def _columns(
    records: Sequence[Sequence[str]], index: int, given: dict[Field, int] | None
) -> Detection:
    texts = [str(cell) for cell in records[index]]
    profiles = _profiles(records, index, len(texts))
    choices: dict[Field, list[Choice]] = {}
    taken = set((given or {}).values())
    for name, column in (given or {}).items():
        choices[name] = [_given_choice(name, column, texts[column], profiles[column])]
    for column, text in enumerate(texts):
        if column in taken:
            continue  # a column the user named serves only the field it was named for
        choice = _best_choice(column, text.strip(), profiles[column])
        if choice is not None and choice.field not in (given or {}):
            choices.setdefault(choice.field, []).append(choice)
    for found in choices.values():
        found.sort(key=lambda c: (not c.given, c.rank < 0, c.rank, -c.score, c.column))
    choices = _account_as_claim(_numbered_slots(choices))
    header = Header(index, texts, {name: [c.column for c in cs] for name, cs in choices.items()})
    above = "" if Field.PAYER in choices else payer_above(records[:index])
    return Detection(header, choices, [p.sample for p in profiles], above)


def _numbered_slots(choices: dict[Field, list[Choice]]) -> dict[Field, list[Choice]]:
    """Numbered repeats of the CAS triplet (`Adj Rsn 1`, `Adj Rsn 2` …) are slots, not
    fallbacks of one another: the column numbered n goes to slot n's field (an unnumbered
    one beside them is slot 1)."""
    for position in range(3):  # group, carc, amount
        first = SLOTS[0][position]
        found = choices.get(first, [])
        numbers = [_slot_number(c.header) or 1 for c in found]
        if len(found) < 2 or len(set(numbers)) != len(numbers):
            continue  # one column, or no numbering that tells them apart
        base = min(numbers)
        kept = []
        for choice, number in zip(found, numbers, strict=True):
            if number - base >= len(SLOTS):
                continue
            target = SLOTS[number - base][position]
            if target is first:
                kept.append(choice)
            else:
                choices[target] = [replace(choice, field=target), *choices.get(target, [])]
        choices[first] = kept
    return {name: found for name, found in choices.items() if found}


def _account_as_claim(choices: dict[Field, list[Choice]]) -> dict[Field, list[Choice]]:
    """A report keyed by patient account only (`Acct #`) is imported with the account as the
    claim number, as many PM systems write it in CLP01 too; no question asked."""
    account = choices.get(Field.PATIENT_ACCOUNT)
    if not account or any(choices.get(key) for key in CLAIM_KEYS):
        return choices
    best = account[0]
    claim = replace(
        best,
        field=Field.CLAIM,
        why=f"{best.why}; {ACCOUNT_AS_CLAIM_WHY}",
        confidence=Confidence.LIKELY,
        rank=-1,
        given=False,
    )
    return {**choices, Field.CLAIM: [claim]}


def _slot_number(header: str) -> int | None:
    """The number in a header such as `Adj Rsn Cd 2` or `CAS2 Reason` (1 to 6), else None."""
    numbers = [int(w) for w in header_words(header) if w.isdigit() and 1 <= int(w) <= len(SLOTS)]
    return numbers[0] if len(numbers) == 1 else None


def _profiles(records: Sequence[Sequence[str]], index: int, width: int) -> list[Profile]:
    rows: list[Sequence[str]] = []
    header_keys = [normalise(str(c)) for c in records[index]]
    for cells in records[index + 1 :]:
        if len(rows) >= SAMPLE_ROWS:
            break
        if not any(clean(str(c)) for c in cells) or [normalise(str(c)) for c in cells] == (
            header_keys
        ):
            continue
        rows.append(cells)
    return [
        profile(str(r[column]) if column < len(r) else "" for r in rows) for column in range(width)
    ]


def _header_scores(text: str) -> dict[Field, float]:
    """Field → header score: a known header name scores 1, header words their share."""
    known = lookup_synonym(text)
    scores = dict(word_scores(text)) if len(text) <= 80 else {}
    if known is not None:
        scores[known[0]] = 1.0
    return scores


def _best_choice(column: int, text: str, found: Profile) -> Choice | None:
    """The field a column holds, from its header and values; None when nothing fits."""
    candidates, overruled = _header_candidates(column, text, found)
    candidates += _value_candidates(column, text, found)
    candidates = [c for c in candidates if c.score >= MIN_SCORE]
    if not candidates:
        # A known header name whose values do not fit, and nothing else fits either: the
        # header stands for the fields every import needs (its bad rows are refused naming
        # their lines); other fields are dropped (`Remarks` holding sentences is no RARC).
        needed = {f for need in needed_fields() for f in need.fields}
        return overruled if overruled is not None and overruled.field in needed else None
    # A known name first, then the score; the enum's order breaks ties (claim before payer…).
    order = list(Field)
    return max(candidates, key=lambda c: (c.rank >= 0, c.score, -order.index(c.field)))


def _header_candidates(
    column: int, text: str, found: Profile
) -> tuple[list[Choice], Choice | None]:
    """Fields the header names, checked against the values; and a known name they overrule."""
    known = lookup_synonym(text) if text else None
    candidates: list[Choice] = []
    overruled: Choice | None = None
    for name, header_score in (_header_scores(text) if text else {}).items():
        kinds = VALUE_KINDS.get(name)
        share = found.share(*kinds) if kinds and found.filled else None
        is_known = known is not None and known[0] is name
        score = header_score * (0.6 + 0.4 * share if share is not None else 0.8)
        why = f'header "{text}" is a known name' if is_known else _words_why(text)
        if share is not None and kinds:
            why += f", {_values_why(name, kinds, found, share)}"
        choice = Choice(
            name,
            column,
            text,
            max(score, 0.9) if is_known else score,
            why,
            _shown(name, found.sample),
            _confidence(max(score, 0.9) if is_known else score, is_known),
            rank=known[1] if is_known and known is not None else -1,
        )
        vetoed = share is not None and found.filled >= VETO_MIN_CELLS and share < VETO_SHARE
        if vetoed and not (is_known and name in SHAPELESS_WHEN_NAMED):
            if is_known:  # the values say the header is wrong
                overruled = replace(choice, confidence=Confidence.UNSURE)
            continue
        candidates.append(choice)
    return candidates, overruled


def _value_candidates(column: int, text: str, found: Profile) -> list[Choice]:
    """Fields whose values are so particular that the values alone name the column."""
    candidates = []
    words = content_words(text)
    for name, (kind, weight) in VALUE_ONLY.items():
        if words & UNLESS[name]:
            continue  # `Billing NPI` holds NPIs, but its header rules out the rendering one
        share = found.share(kind)
        if found.filled and share >= VALUES_ONLY_SHARE:
            candidates.append(
                Choice(
                    name,
                    column,
                    text,
                    weight * share,
                    _values_why(name, (kind,), found, share),
                    _shown(name, found.sample),
                    Confidence.UNSURE,
                    rank=-1,
                )
            )
    return candidates


def _confidence(score: float, known: bool) -> Confidence:
    if known or score >= SURE_SCORE:
        return Confidence.SURE
    return Confidence.LIKELY if score >= 0.5 else Confidence.UNSURE


def _given_choice(name: Field, column: int, text: str, found: Profile) -> Choice:
    return Choice(
        name,
        column,
        text,
        2.0,
        "named for this layout",
        _shown(name, found.sample),
        Confidence.SURE,
        given=True,
    )


def _words_why(text: str) -> str:
    words = " ".join(dict.fromkeys(w for w in header_words(text) if w not in FILLER))
    return f'header words "{words}"' if words else "no header"


_KIND_WORDS: Final = {
    Kind.MONEY: "amounts",
    Kind.NUMBER: "numbers",
    Kind.DATE: "dates",
    Kind.CARC: "reason codes",
    Kind.BARE_CARC: "reason codes",
    Kind.RARC: "remark codes",
    Kind.CODES_IN_TEXT: "text " + CODES_IN_TEXT_WHY,
    Kind.CODES: "codes, or text " + CODES_IN_TEXT_WHY,
    Kind.GROUP: "group codes",
    Kind.NPI: "NPIs",
    Kind.PROCEDURE: "CPT/HCPCS codes",
    Kind.MODIFIER: "modifiers",
    Kind.STATUS: "statuses",
    Kind.NAME: "names",
    Kind.TEXT: "text",
    Kind.IDENTIFIER: "identifiers",
    Kind.PAYER_ID: "payer ids",
}


def _values_why(name: Field, kinds: Sequence[Kind], found: Profile, share: float) -> str:
    best = max(kinds, key=lambda k: found.share(k))
    if name is Field.REASON_TEXT and found.share(Kind.CODES_IN_TEXT) >= VETO_SHARE:
        best = Kind.CODES_IN_TEXT
    return f"values are {_KIND_WORDS[best]} ({round(share * 100)}% of {found.filled})"


def _shown(name: Field, sample: str) -> str:
    return "" if name in PHI_FIELDS else sample[:40]


def claim_key_found(found: Detection) -> bool:
    return any(found.has(name) for name in CLAIM_KEYS)
