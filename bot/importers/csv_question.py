"""What to ask a person when a report's columns are not all understood, and how to read the
answer: one question per missing or uncertain field, the file's headers (each with a sample
value) as the choices. Pure: the Slack form is drawn from it (bot/blocks/column_mapping.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from bot.importers.csv_columns import PHI_FIELDS, ColumnMapping, Field, needed_fields
from bot.importers.csv_detect import Detection

LABELS: Final = {
    Field.CLAIM: "Claim number",
    Field.PAYER: "Payer",
    Field.BILLED: "Billed amount",
    Field.PAID: "Paid amount",
    Field.ADJUSTMENT: "Adjustment or denied amount",
    Field.CARC: "Reason codes (CARC)",
    Field.STATUS: "Claim status",
    Field.RARC: "Remark codes (RARC)",
    Field.GROUP: "Group code",
    Field.NOTICE_DATE: "Check or remit date",
    Field.SERVICE_DATE: "Date of service",
    Field.REASON_TEXT: "Denial reason (text)",
}
# For a need that any of several fields meets, the fields asked (the first is required unless
# another is answered): an amount may be billed, paid or adjusted; an outcome a code or status.
ASKED_FOR_NEED: Final = {
    "claim": (Field.CLAIM,),
    "payer": (Field.PAYER,),
    "amount": (Field.BILLED, Field.PAID, Field.ADJUSTMENT),
    "outcome": (Field.CARC, Field.STATUS),
}
NEED_KEYS: Final = ("claim", "payer", "amount", "outcome")
MISSING_ANSWER: Final = {
    "claim": "Pick the column with the claim number.",
    "payer": "Pick the column with the payer's name.",
    "amount": "Pick at least one amount column (billed, paid or adjustment).",
    "outcome": "Pick the reason-code column or the claim-status column.",
}
MAX_CHOICES: Final = 100  # Slack's limit for a static select
SAMPLE_CHARS: Final = 30


@dataclass(frozen=True, slots=True)
class Choice:
    header: str
    sample: str  # "" for patient data and blank columns


@dataclass(frozen=True, slots=True)
class Ask:
    field: Field
    label: str
    need: str  # "claim", "payer", "amount", "outcome"; "" for an uncertain optional field
    current: str | None  # the header detection proposes, if any


@dataclass(frozen=True, slots=True)
class ColumnQuestion:
    asks: tuple[Ask, ...]
    choices: tuple[Choice, ...]
    understood: tuple[tuple[Field, str], ...]  # fields already found: (field, header)


def column_question(detection: Detection) -> ColumnQuestion:
    """Ask for every need the file does not meet and for every needed field found unsure."""
    asks: list[Ask] = []
    missing = {need.what for need in detection.missing()}
    uncertain = set(detection.uncertain())
    for key, need in zip(NEED_KEYS, needed_fields(), strict=True):
        for name in ASKED_FOR_NEED[key]:
            chosen = detection.chosen(name)
            current = chosen.header if chosen is not None else None
            if need.what in missing or name in uncertain:
                asks.append(Ask(name, LABELS[name], key if need.what in missing else "", current))
    asked = {ask.field for ask in asks}
    understood = tuple(
        (name, cs[0].header)
        for name, cs in detection.choices.items()
        if cs and name not in asked and name in LABELS
    )
    return ColumnQuestion(tuple(asks), _choices(detection), understood)


def _choices(detection: Detection) -> tuple[Choice, ...]:
    phi_columns = {c.column for f in PHI_FIELDS for c in detection.choices.get(f, [])}
    seen: set[str] = set()
    found: list[Choice] = []
    for column, text in enumerate(detection.header.texts):
        header = text.strip()
        if not header or header in seen or len(header) > 150:
            continue
        seen.add(header)
        sample = "" if column in phi_columns else _sample(detection, column)
        found.append(Choice(header, sample))
    return tuple(found[:MAX_CHOICES])


def _sample(detection: Detection, column: int) -> str:
    samples = detection.samples
    value = samples[column] if column < len(samples) else ""
    return value if len(value) <= SAMPLE_CHARS else value[: SAMPLE_CHARS - 1] + "…"


def answer_problems(
    asks: Sequence[tuple[Field, str]], answers: Mapping[Field, str | None]
) -> dict[Field, str]:
    """Field → what is missing from the answers to the form's (field, need) questions: each
    need the file lacked must be met by one of its fields. Empty when they can be imported."""
    problems: dict[Field, str] = {}
    for key in NEED_KEYS:
        asked = [name for name, need in asks if need == key]
        if asked and not any(answers.get(name) for name in asked):
            problems[asked[0]] = MISSING_ANSWER[key]
    return problems


def answer_mapping(answers: Mapping[Field, str | None]) -> ColumnMapping | None:
    """The answered fields as a mapping (the rest is found again by detection at import);
    None when nothing was picked."""
    chosen = {name.value: header for name, header in answers.items() if header}
    return ColumnMapping.from_dict(chosen) if chosen else None
