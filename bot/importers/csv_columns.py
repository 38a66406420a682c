"""Canonical CSV fields, the header texts PM systems use for them, and header detection.

Header texts come from the synonym table of samples/csv/README.md (section B) and the six
sample exports. Matching ignores case, spaces and punctuation (`Check/EFT #` = `checkeft`),
and compares whole headers: a substring match would read `Patient Balance` as a balance of
the payer's.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Final

import yaml

from bot.errors import InputError


class Field(StrEnum):
    """Canonical fields; the values are the names `--columns field=Header` accepts."""

    CLAIM = "claim"
    PAYER_CLAIM = "payer_claim"
    CLEARINGHOUSE_REF = "clearinghouse_ref"
    ENCOUNTER = "encounter"
    LINE = "line"
    PATIENT_ACCOUNT = "patient_account"
    PATIENT_NAME = "patient_name"
    DOB = "dob"
    MEMBER_ID = "member_id"
    PAYER = "payer"
    PAYER_ID = "payer_id"
    PLAN = "plan"
    SERVICE_DATE = "service_date"
    PROCEDURE = "procedure"
    MODIFIERS = "modifiers"
    MODIFIER1 = "modifier1"
    MODIFIER2 = "modifier2"
    MODIFIER3 = "modifier3"
    MODIFIER4 = "modifier4"
    UNITS = "units"
    BILLED = "billed"
    ALLOWED = "allowed"
    PAID = "paid"
    ADJUSTMENT = "adjustment"
    ADJUSTMENT2 = "adjustment2"
    ADJUSTMENT3 = "adjustment3"
    ADJUSTMENT4 = "adjustment4"
    ADJUSTMENT5 = "adjustment5"
    ADJUSTMENT6 = "adjustment6"
    DEDUCTIBLE = "deductible"
    COINSURANCE = "coinsurance"
    COPAY = "copay"
    PATIENT_RESPONSIBILITY = "patient_responsibility"
    GROUP = "group"
    CARC = "carc"
    CARC2 = "carc2"
    CARC3 = "carc3"
    CARC4 = "carc4"
    CARC5 = "carc5"
    CARC6 = "carc6"
    GROUP2 = "group2"
    GROUP3 = "group3"
    GROUP4 = "group4"
    GROUP5 = "group5"
    GROUP6 = "group6"
    RARC = "rarc"
    REASON_TEXT = "reason_text"
    CHECK = "check"
    NOTICE_DATE = "notice_date"
    POSTED_DATE = "posted_date"
    RENDERING_PROVIDER = "rendering_provider"
    RENDERING_NPI = "rendering_npi"
    LOCATION = "location"
    STATUS = "status"
    ERA_FILE = "era_file"


# Header texts per field live in csv_headers.csv (field, header, seen_in), in priority order:
# when a file has two headers for one field, the first listed wins and the later one fills in
# rows where the first is blank (NextGen `CAGC/CARC`, then the bare `Reason Cd`; generic
# `Check Date`, then `Date Denied`). Every status column is read, not only the first (see
# csv_codes.read_status). DrChrono's `patient` is an id and BAS's `Patient` a name: both only
# ever reach the (PHI) patient party, so reading it as the name is harmless.
HEADERS_FILE: Final = "csv_headers.csv"


@cache
def synonyms() -> dict[Field, tuple[str, ...]]:
    """Header texts per field, in priority order, from the package's csv_headers.csv."""
    text = resources.files("bot.importers").joinpath(HEADERS_FILE).read_text(encoding="utf-8")
    table: dict[Field, list[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        table.setdefault(Field(row["field"]), []).append(row["header"])
    return {name: tuple(texts) for name, texts in table.items()}


# Exports flattened from the 835 repeat the CAS triplet in numbered columns (`Adj Grp 1`,
# `Adj Rsn 1`, `Adj Amt 1`, `Adj Grp 2` …): slot n is (group n, CARC n, amount n); the first
# slot is the plain group, carc and adjustment fields.
SLOTS: Final = (
    (Field.GROUP, Field.CARC, Field.ADJUSTMENT),
    (Field.GROUP2, Field.CARC2, Field.ADJUSTMENT2),
    (Field.GROUP3, Field.CARC3, Field.ADJUSTMENT3),
    (Field.GROUP4, Field.CARC4, Field.ADJUSTMENT4),
    (Field.GROUP5, Field.CARC5, Field.ADJUSTMENT5),
    (Field.GROUP6, Field.CARC6, Field.ADJUSTMENT6),
)
CLAIM_KEYS: Final = (Field.CLAIM, Field.ENCOUNTER, Field.CLEARINGHOUSE_REF, Field.PAYER_CLAIM)
AMOUNT_FIELDS: Final = (Field.BILLED, Field.ADJUSTMENT, Field.PAID)
OUTCOME_FIELDS: Final = (Field.CARC, Field.STATUS, Field.REASON_TEXT)
# Patient data: never shown as a sample value (in `denials columns`, the Slack modal).
PHI_FIELDS: Final = frozenset(
    {Field.PATIENT_NAME, Field.DOB, Field.MEMBER_ID, Field.PATIENT_ACCOUNT}
)


@dataclass(frozen=True, slots=True)
class NeededField:
    """Something every import needs, and the fields any one of which provides it."""

    what: str  # "the claim number (e.g. Claim ID)"
    fields: tuple[Field, ...]


def needed_fields() -> tuple[NeededField, ...]:
    return (
        NeededField("the claim number (e.g. Claim ID)", CLAIM_KEYS),
        NeededField("the payer (e.g. Payer Name)", (Field.PAYER,)),
        NeededField("an amount (billed, paid or adjustment)", AMOUNT_FIELDS),
        NeededField("reason codes (CARC) or a claim status", OUTCOME_FIELDS),
    )


NEEDED: Final = tuple(need.what for need in needed_fields())
MAPPING_HINT: Final = (
    "If the report names them differently, name the columns with "
    "--columns claim=<header>,payer=<header>,billed=<header>,carc=<header> "
    "(or a YAML mapping file)."
)
_ALIASES: Final = {
    "claim_id": Field.CLAIM,
    "cpt": Field.PROCEDURE,
    "check_date": Field.NOTICE_DATE,
    "group_code": Field.GROUP,
    "npi": Field.RENDERING_NPI,
    "remark": Field.RARC,
    "remarks": Field.RARC,
    "reason": Field.CARC,
    "billed_amount": Field.BILLED,
    "paid_amount": Field.PAID,
    "patient": Field.PATIENT_NAME,
    "date_of_service": Field.SERVICE_DATE,
    "dos": Field.SERVICE_DATE,
    "adjustment_amount": Field.ADJUSTMENT,
}


def normalise(header: str) -> str:
    """`Check/EFT #` → `checkeft`: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", header.lower())


def lookup_synonym(header: str) -> tuple[Field, int] | None:
    """(field, rank among its headers) when the header is in the synonym table."""
    return _lookup().get(normalise(header))


@cache
def _lookup() -> dict[str, tuple[Field, int]]:
    """Normalised header → (field, rank among the field's headers)."""
    return {
        normalise(text): (name, rank)
        for name, texts in synonyms().items()
        for rank, text in enumerate(texts)
    }


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Header text per canonical field, given by the user when auto-detection fails."""

    headers: Mapping[Field, str]

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ColumnMapping:
        """From a parsed YAML mapping; raises InputError naming unknown fields."""
        unknown = [str(name) for name in data if field_named(str(name)) is None]
        if unknown:
            raise InputError(
                f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                f"known fields: {', '.join(f.value for f in Field)}"
            )
        headers: dict[Field, str] = {}
        for name, header in data.items():
            target = field_named(str(name))
            assert target is not None  # checked above
            if not isinstance(header, str) or not header.strip():
                raise InputError(f"no header text given for {name}")
            if target in headers:
                raise InputError(f"{target.value} is given twice")
            headers[target] = header.strip()
        if not headers:
            raise InputError("no columns given; write field=Header,field=Header")
        return cls(headers)


def field_named(name: str) -> Field | None:
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Field(key)
    except ValueError:
        return _ALIASES.get(key)


def parse_mapping_option(text: str) -> ColumnMapping:
    """`claim=Clm Nbr,payer=Pyr Nam` → ColumnMapping: InputError names unknown fields.

    A comma belongs to a header text unless `field=` follows it, so `reason=Code, Group`
    stays one header.
    """
    items = re.split(r",(?=\s*[A-Za-z_][A-Za-z0-9_ -]*=)", text.strip())
    pairs: dict[str, str] = {}
    for item in items:
        if not item.strip():
            continue
        name, sep, header = item.partition("=")
        if not sep:
            raise InputError(f'"{item.strip()}" is not field=Header')
        if name.strip() in pairs:
            raise InputError(f"{name.strip()} is given twice")
        pairs[name.strip()] = header.strip().strip("\"'")
    return ColumnMapping.from_dict(pairs)


def mapping_from_yaml(text: str) -> ColumnMapping:
    """A mapping file's text (`claim: Clm Nbr` per line) → ColumnMapping; InputError if bad."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InputError(f"the mapping file is not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise InputError("the mapping file must hold lines of the form `field: Header`")
    return ColumnMapping.from_dict({str(key): value for key, value in data.items()})


@dataclass(slots=True)
class Header:
    """Where the header is and which columns hold each field (priority order)."""

    index: int  # index of the header record among the file's records
    texts: list[str]
    columns: dict[Field, list[int]] = field(default_factory=dict)

    def has(self, name: Field) -> bool:
        return bool(self.columns.get(name))


# Which system a header looks like: (layout name, normalised headers that all must be there).
LAYOUTS: Final = (
    ("Tebra/Kareo service-line payments", ("primaryinsuranceadjudicationdate",)),
    ("Tebra/Kareo service-line payments", ("encounterid", "contractadjustmentreason")),
    ("NextGen ERA import posting", ("clmnbr", "cagccarc")),
    ("NextGen ERA import posting", ("clmnbr", "pyrnam")),
    ("CollaborateMD adjustment reasons", ("adjustmentcodes", "statuswpayer")),
    ("DrChrono line-item transactions", ("lineitem", "adjustmentgroupcode")),
    ("SimplePractice insurance claims", ("clearinghousereference", "client")),
)


def layout_name(header: Header, mapping: ColumnMapping | None, grid: str = "") -> str:
    """`NextGen ERA import posting`, or `generic denial export (tab-separated)`."""
    present = {normalise(text) for text in header.texts}
    name = next(
        (name for name, needed in LAYOUTS if all(key in present for key in needed)),
        "columns named for this layout" if mapping else "generic denial export",
    )
    return name if grid in ("", "comma-separated") else f"{name} ({grid})"
