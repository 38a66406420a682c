"""One CSV data row → what it says about one service line of one claim adjudication.

The row's cells arrive already chosen per canonical field (csv_report does that); this module
reads their values and raises `InputError` for the first one it cannot read, so the caller
can reject the row with its line number and go on with the rest of the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from bot.domain.records import Adjustment, ClaimKind, Party, Payer, ServiceLine
from bot.errors import InputError
from bot.importers.csv_amounts import RowAmounts, assign_amounts
from bot.importers.csv_codes import (
    Code,
    Procedure,
    StatusFacts,
    group_code,
    modifiers,
    procedures,
    read_status,
    reason_codes,
    remark_codes,
)
from bot.importers.csv_columns import CLAIM_KEYS, SLOTS, Field
from bot.importers.csv_evidence import codes_in_text
from bot.importers.csv_reason_words import carc_named
from bot.importers.csv_values import day, money, quantity

MODIFIER_FIELDS = (
    Field.MODIFIER1,
    Field.MODIFIER2,
    Field.MODIFIER3,
    Field.MODIFIER4,
    Field.MODIFIERS,
)
# Labels name the value as staff know it; they follow "line N: " in a rejection.
LABELS: dict[Field, str] = {
    Field.BILLED: "billed amount",
    Field.PAID: "paid amount",
    Field.ALLOWED: "allowed amount",
    Field.ADJUSTMENT: "adjustment amount",
    Field.ADJUSTMENT2: "second adjustment amount",
    Field.ADJUSTMENT3: "third adjustment amount",
    Field.ADJUSTMENT4: "fourth adjustment amount",
    Field.ADJUSTMENT5: "fifth adjustment amount",
    Field.ADJUSTMENT6: "sixth adjustment amount",
    Field.DEDUCTIBLE: "deductible",
    Field.COINSURANCE: "coinsurance",
    Field.COPAY: "copay",
    Field.PATIENT_RESPONSIBILITY: "patient responsibility",
}
REASON_TEXT_MAX = 300
# Kinds that are never adjudicated: a row of these may lack a claim number or a payer.
NOT_ADJUDICATED = frozenset({ClaimKind.REJECTION, ClaimKind.PENDING})


@dataclass(frozen=True, slots=True)
class ParsedRow:
    line: int  # 1-based line of the row in the file
    claim_number: str
    kind: ClaimKind
    status: StatusFacts
    payer: Payer
    check_number: str | None
    notice_date: date | None
    payer_claim_number: str | None
    patient: Party  # PHI: never in a message
    rendering_provider: Party
    era_file: str  # NextGen `File`: the 835 name, whose date stands in for a check date
    line_id: str | None  # DrChrono `line_item`: several rows of one service line
    lines: tuple[ServiceLine, ...]
    patient_responsibility: Decimal | None
    has_codes: bool
    guessed_split: bool  # one amount for several codes that the columns could not split
    reason_text: str  # the payer's reason in words, as the export wrote it ("" when none)
    reason_named: str | None = None  # the CARC the reason's words name, when no code was given
    open_denial: bool = False  # a denial worklist's open row: a reason under work to do


# What a claim row has one of at least; a row with none of them is a title, a note or a total.
CLAIM_VALUES: Final = (*CLAIM_KEYS, *LABELS, Field.CARC, Field.CARC2)


def not_a_claim(values: Mapping[Field, str]) -> bool:
    """No claim number, no amount, no reason code: not a row about a claim."""
    return not any(values.get(name) for name in CLAIM_VALUES)


def claim_of(values: Mapping[Field, str]) -> tuple[str, str]:
    """The claim a row is about, as `ClaimGroups` keys it (claim number, payer), from the
    cells as written: also for a row whose values cannot all be read."""
    number = next((values[k] for k in CLAIM_KEYS if values.get(k)), "")
    return number, values.get(Field.PAYER, "").casefold()


def parse_row(
    values: Mapping[Field, str], clp02: str, status: str, line: int, *, worklist: bool = False
) -> ParsedRow | None:
    """Read one row; `values` holds the cleaned text of each field ("" when blank).

    None for a row not submitted yet that has no claim number: nothing a denial could need,
    so it is skipped rather than rejected. `worklist`: the reason column is a denial reason's
    (`Denial Reason`), so a row with a reason and a status of work to do (`Open`) is a denial.
    """
    facts = read_status(clp02, status)
    amounts = _amounts(values)
    kind = facts.kind
    if kind is ClaimKind.ADJUDICATED and any(
        a is not None and a < 0 for a in (amounts.billed, amounts.paid)
    ):
        kind = ClaimKind.REVERSAL  # negated amounts are how a takeback is written
    claim_number = next((values[k] for k in CLAIM_KEYS if values.get(k)), "")
    if not claim_number:
        if kind in NOT_ADJUDICATED:
            return None
        raise InputError("the claim number is empty")
    payer = values.get(Field.PAYER, "")
    if not payer and kind not in NOT_ADJUDICATED:
        raise InputError("the payer name is empty")
    slots, remarks, named = _codes(values)
    adjustments: list[Adjustment] = []
    guessed = False
    for codes, amount in slots:
        found, guess = assign_amounts(codes, amount, amounts, only_slot=len(slots) == 1)
        adjustments += found
        guessed = guessed or guess
    service_date = day(values.get(Field.SERVICE_DATE, ""), "service date")
    reason_text = " ".join(values.get(Field.REASON_TEXT, "").split())[:REASON_TEXT_MAX]
    return ParsedRow(
        line=line,
        claim_number=claim_number,
        kind=kind,
        status=facts,
        payer=Payer(payer, values.get(Field.PAYER_ID) or None),
        check_number=values.get(Field.CHECK) or None,
        notice_date=day(values.get(Field.NOTICE_DATE, ""), "check/notice date"),
        payer_claim_number=values.get(Field.PAYER_CLAIM) or None,
        patient=Party(values.get(Field.PATIENT_NAME, ""), values.get(Field.MEMBER_ID) or None),
        rendering_provider=Party(
            values.get(Field.RENDERING_PROVIDER, ""), values.get(Field.RENDERING_NPI) or None
        ),
        era_file=values.get(Field.ERA_FILE, ""),
        line_id=values.get(Field.LINE) or None,
        lines=_lines(values, amounts, adjustments, remarks, service_date),
        patient_responsibility=_patient_share(amounts),
        has_codes=bool(adjustments),
        guessed_split=guessed,
        reason_text=reason_text,
        reason_named=named,
        open_denial=worklist and bool(reason_text) and facts.open_work,
    )


def _amounts(values: Mapping[Field, str]) -> RowAmounts:
    def read(name: Field) -> Decimal | None:
        return money(values.get(name, ""), LABELS[name])

    return RowAmounts(
        billed=read(Field.BILLED),
        paid=read(Field.PAID),
        allowed=read(Field.ALLOWED),
        deductible=read(Field.DEDUCTIBLE),
        coinsurance=read(Field.COINSURANCE),
        copay=read(Field.COPAY),
        patient_responsibility=read(Field.PATIENT_RESPONSIBILITY),
    )


Slot = tuple[list[Code], Decimal | None]


def _codes(values: Mapping[Field, str]) -> tuple[list[Slot], tuple[str, ...], str | None]:
    """(codes, amount) per reason column that has codes (Kareo has two, 835-flattened
    exports up to six numbered ones), all RARCs, and the CARC read from the reason's words
    when no code was written anywhere.

    RARCs come from the remark column and from reason cells that glue them on (`CO16;N290`).
    A slot without a group column of its own uses the first one.
    """
    group = group_code(values.get(Field.GROUP, ""), "group code")
    remarks = remark_codes(values.get(Field.RARC, ""), "remark code")
    slots: list[Slot] = []
    for group_field, codes_field, amount_field in SLOTS:
        # Read even without codes, so a bad amount is reported wherever it is.
        amount = money(values.get(amount_field, ""), LABELS[amount_field])
        own_group = group_code(values.get(group_field, ""), "group code") or group
        codes = reason_codes(values.get(codes_field, ""), "reason code", group=own_group)
        remarks += codes.rarcs
        if codes.carcs:
            slots.append((codes.carcs, amount))
    if len(slots) > 1 and all(amount is None for _, amount in slots):
        # `CARC1`, `CARC2` with no amount columns: one cell of codes, split as usual
        slots = [([code for codes, _ in slots for code in codes], None)]
    named = None
    if not slots:  # a status-only export: codes written in the reason text still count
        text = values.get(Field.REASON_TEXT, "")
        found = codes_in_text(text)
        carcs = [Code(c.group or group, c.carc) for c in found.carcs]
        if not carcs and (named := carc_named(text)) is not None:
            carcs = [Code(group, named)]  # the words name one reason only
        if carcs:
            slots.append((carcs, money(values.get(Field.ADJUSTMENT, ""), LABELS[Field.ADJUSTMENT])))
        remarks += found.rarcs
    return slots, tuple(dict.fromkeys(remarks)), named


def _lines(
    values: Mapping[Field, str],
    amounts: RowAmounts,
    adjustments: list[Adjustment],
    remarks: tuple[str, ...],
    service_date: date | None,
) -> tuple[ServiceLine, ...]:
    """One line per row; a cell with several codes (`"90837, 90785"`) gives one line each.

    The row's money cannot be split between such codes, so the first line carries it all and
    the others carry none: the claim's totals stay right.
    """
    found = procedures(values.get(Field.PROCEDURE, ""), "procedure code") or [Procedure("")]
    extra: list[str] = []
    for name in MODIFIER_FIELDS:
        extra += modifiers(values.get(name, ""), "modifier")
    first = found[0]
    lines = [
        ServiceLine(
            procedure=first.code,
            modifiers=tuple(dict.fromkeys(first.modifiers + tuple(extra))),
            billed=amounts.billed or Decimal("0.00"),
            paid=amounts.paid or Decimal("0.00"),
            units=quantity(values.get(Field.UNITS, ""), "units"),
            service_date=service_date,
            line_control=values.get(Field.LINE) or None,
            adjustments=tuple(adjustments),
            remarks=remarks,
        )
    ]
    lines += [
        ServiceLine(
            procedure=p.code,
            modifiers=p.modifiers,
            billed=Decimal("0.00"),
            paid=Decimal("0.00"),
            service_date=service_date,
        )
        for p in found[1:]
    ]
    return tuple(lines)


def _patient_share(amounts: RowAmounts) -> Decimal | None:
    if amounts.patient_responsibility is not None:
        return amounts.patient_responsibility
    parts = [a for a in (amounts.deductible, amounts.coinsurance, amounts.copay) if a is not None]
    return sum(parts, Decimal("0.00")) if parts else None
