"""Read and validate a payer rules YAML file (the built-in one or a practice's override).

Every problem is an InputError that names the file, the row and the field, so a practice
manager can fix an override file without reading code.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from bot.domain.payer_rule import Anchor, AppealAddress, PayerRule
from bot.errors import InputError

ROW_FIELDS = frozenset(
    {
        "key",
        "name",
        "match",
        "anchor",
        "appeal_days",
        "next_level_days",
        "resubmission_days",
        "presumed_receipt_days",
        "source",
        "note",
        "records_days",
        "records_source",
        "appeals",
    }
)
APPEALS_FIELDS = frozenset({"mail", "fax", "portal", "source", "note"})
MATCH_FIELDS = frozenset({"ids", "names", "not_names"})
KEY_PATTERN = re.compile(r"[a-z0-9_]+")
# A row that does not say: the shortest initial filing limit in the reference (BCBS MA,
# 90 days from DOS), so a resubmission deadline is never later than the real one.
DEFAULT_RESUBMISSION_DAYS = 90
# A row that does not say how long a documentation request may take to answer: commercial
# payers state 30 to 45 days in their manuals (reference/x12-277.md), so the shorter one.
DEFAULT_RECORDS_DAYS = 30
# libyaml's safe loader when PyYAML was built with it: the same rows, eight times faster (the
# rules are read at every start of the `denials` command).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _bad_field(field: str, problem: str) -> InputError:
    """What is wrong with one field of a row (`read_rules` adds which file and row)."""
    return InputError(f"field '{field}' {problem}")


def read_rules(text: str, *, source: str) -> list[PayerRule]:
    """Rows of a rules file: a mapping with a `rules:` list (or a bare list of rows)."""
    try:
        document = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        raise InputError(f"{source}: not valid YAML ({error})") from error
    rows = document.get("rules") if isinstance(document, dict) else document
    if not isinstance(rows, list):
        raise InputError(f"{source}: expected a 'rules:' list of payer rows")
    rules: list[PayerRule] = []
    for number, row in enumerate(rows, start=1):
        key = row.get("key") if isinstance(row, dict) else None
        where = f"{source}, row {number}" + (f" (key '{key}')" if isinstance(key, str) else "")
        try:
            rule = _read_row(row)
        except InputError as error:
            raise InputError(f"{where}: {error}") from None
        if any(r.key == rule.key for r in rules):
            raise InputError(f"{where}: field 'key' repeats an earlier row's key")
        rules.append(rule)
    return rules


def _read_row(row: object) -> PayerRule:
    if not isinstance(row, dict):
        raise _bad_field("key", "missing: each row is a mapping with key, appeal_days, source, …")
    unknown = sorted(str(name) for name in row if name not in ROW_FIELDS)
    if unknown:
        raise _bad_field(unknown[0], f"is not known (allowed: {', '.join(sorted(ROW_FIELDS))})")
    key = row.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise _bad_field("key", f"must be lower-case letters, digits or _, got {key!r}")
    match = row.get("match") or {}
    if not isinstance(match, dict):
        raise _bad_field("match", "must be a mapping with ids, names, not_names")
    unknown = sorted(str(name) for name in match if name not in MATCH_FIELDS)
    if unknown:
        raise _bad_field(f"match.{unknown[0]}", "is not known (allowed: ids, names, not_names)")
    ids = _strings(match, "ids", prefix="match.", allow_numbers=True)
    names = _patterns(match, "names")
    if key != "default" and not ids and not names:
        raise _bad_field("match", "needs ids or names, or the row could never be used")
    try:
        anchor = Anchor(str(row.get("anchor", Anchor.EARLIEST.value)).lower())
    except ValueError:
        allowed = ", ".join(a.value for a in Anchor)
        raise _bad_field("anchor", f"must be one of {allowed}, got {row['anchor']!r}") from None
    sources = _strings(row, "source")
    if not sources:
        raise _bad_field("source", "is required: say where the window comes from (URL, contract)")
    next_levels = row.get("next_level_days") or []
    if not isinstance(next_levels, list):
        raise _bad_field("next_level_days", f"must be a list of days, got {next_levels!r}")
    return PayerRule(
        key=key,
        name=str(row.get("name") or key),
        appeal_days=_days(row, "appeal_days", required=True),
        resubmission_days=_days(row, "resubmission_days", default=DEFAULT_RESUBMISSION_DAYS),
        source=sources,
        anchor=anchor,
        next_level_days=tuple(_day_value(v, "next_level_days") for v in next_levels),
        presumed_receipt_days=_days(row, "presumed_receipt_days", default=0, minimum=0),
        ids=ids,
        names=names,
        not_names=_patterns(match, "not_names"),
        note=" ".join(str(row.get("note") or "").split()),
        records_days=_days(row, "records_days", default=DEFAULT_RECORDS_DAYS),
        records_source=_strings(row, "records_source"),
        appeals=_appeals(row.get("appeals")),
    )


def _appeals(section: object) -> AppealAddress:
    """Where the payer takes appeals; every value needs a source, like the windows do."""
    if section is None:
        return AppealAddress()
    if not isinstance(section, dict):
        raise _bad_field("appeals", "must be a mapping with mail, fax, portal, source")
    unknown = sorted(str(name) for name in section if name not in APPEALS_FIELDS)
    if unknown:
        allowed = ", ".join(sorted(APPEALS_FIELDS))
        raise _bad_field(f"appeals.{unknown[0]}", f"is not known (allowed: {allowed})")
    mail = _strings(section, "mail", prefix="appeals.")
    fax = _strings(section, "fax", prefix="appeals.", allow_numbers=True)
    portal = _strings(section, "portal", prefix="appeals.")
    sources = _strings(section, "source", prefix="appeals.")
    if (mail or fax or portal) and not sources:
        raise _bad_field("appeals.source", "is required: say where the address comes from")
    return AppealAddress(
        mail=mail,
        fax=fax[0] if fax else None,
        portal=portal[0] if portal else None,
        source=sources,
        note=" ".join(str(section.get("note") or "").split()),
    )


def _days(
    row: dict[str, Any], name: str, *, required: bool = False, default: int = 0, minimum: int = 1
) -> int:
    if name not in row or row[name] is None:
        if required:
            raise _bad_field(name, "is required (a whole number of days)")
        return default
    return _day_value(row[name], name, minimum=minimum)


def _day_value(value: object, name: str, *, minimum: int = 1) -> int:
    # bool is an int in Python; `appeal_days: yes` is a mistake, not 1 day.
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _bad_field(name, f"must be a whole number of days ≥ {minimum}, got {value!r}")
    return value


def _strings(
    mapping: dict[str, Any], name: str, *, prefix: str = "", allow_numbers: bool = False
) -> tuple[str, ...]:
    value = mapping.get(name)
    values = [] if value is None else value if isinstance(value, list) else [value]
    kinds: tuple[type, ...] = (str, int) if allow_numbers else (str,)
    result = []
    for item in values:
        if isinstance(item, bool) or not isinstance(item, kinds) or not str(item).strip():
            raise _bad_field(f"{prefix}{name}", f"must be text (or a list of text), got {item!r}")
        result.append(str(item).strip())
    return tuple(result)


def _patterns(match: dict[str, Any], name: str) -> tuple[str, ...]:
    patterns = _strings(match, name, prefix="match.")
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise _bad_field(f"match.{name}", f"has a bad pattern {pattern!r}: {error}") from None
    return patterns
