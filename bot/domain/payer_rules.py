"""Appeal windows per payer and the deadline of a denial (denial-facts.md sections 1 and 3).

The table is package data (`bot/domain/data/payer_rules.yaml`); a practice overrides rows with
its own YAML file. Pure: dates are passed in, nothing reads the clock.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path

from bot.domain.findings import AnchorSource, Deadline, DeadlineKind, DenialFinding
from bot.domain.payer_rule import Anchor, PayerRule
from bot.domain.payer_rules_file import read_rules
from bot.domain.records import ClaimRecord, Payer, RemittanceInfo
from bot.errors import InputError

__all__ = [
    "Anchor",
    "PayerRule",
    "PayerRules",
    "compute_deadline",
    "default_rules",
    "format_rules_table",
    "is_medicare",
    "next_level_deadline",
    "notice_date",
]

PACKAGE_DATA = "payer_rules.yaml"
DEFAULT_KEY = "default"
MEDICARE_KEY = "medicare"  # Medicare fee-for-service: CO-29 carries no appeal rights

# BPR16 may be a future EFT effective date (section 1), but a notice dated over a month after
# the file reached us is a typo (e.g. a wrong year): ignore it and use the other dates.
FUTURE_NOTICE_TOLERANCE = timedelta(days=31)
_MATCH_CACHE_SIZE = 4096
_MATCH_CACHE_CHARS = 200  # payer names are short; a damaged file's long garbage is not kept


class PayerRules:
    """Rules in matching order; the `default` row is always last."""

    def __init__(self, rules: Sequence[PayerRule]) -> None:
        default = [r for r in rules if r.key == DEFAULT_KEY]
        if not default:
            raise InputError(f"payer rules: a '{DEFAULT_KEY}' row is required")
        self.rules: tuple[PayerRule, ...] = (
            *(r for r in rules if r.key != DEFAULT_KEY),
            default[-1],
        )
        # Every claim of a remittance asks for the same payer: remember the answers.
        self._matched: dict[Payer, PayerRule] = {}

    @classmethod
    def load(cls, override_path: Path | None = None) -> PayerRules:
        """Built-in rules; rows of `override_path` replace rows with the same key (in place) and
        new rows are tried before the built-in ones. Bad input raises InputError naming the
        file, the row and the field."""
        text = resources.files("bot.domain.data").joinpath(PACKAGE_DATA).read_text("utf-8")
        rules = read_rules(text, source=PACKAGE_DATA)
        if override_path is not None:
            try:
                override_text = override_path.read_text("utf-8-sig")
            except OSError as error:
                raise InputError(f"{override_path}: cannot read the file ({error})") from error
            overrides = {r.key: r for r in read_rules(override_text, source=str(override_path))}
            built_in = {r.key for r in rules}
            added = [r for key, r in overrides.items() if key not in built_in]
            rules = added + [overrides.get(r.key, r) for r in rules]
        return cls(rules)

    @property
    def default(self) -> PayerRule:
        return self.rules[-1]

    def get(self, key: str) -> PayerRule | None:
        return next((r for r in self.rules if r.key == key), None)

    def match(self, payer: Payer) -> PayerRule:
        """By payer id first, then by name (rules in order), else the default row."""
        matched = self._matched.get(payer)
        if matched is None:
            matched = self._match(payer)
            if len(payer.name) + len(payer.identifier or "") <= _MATCH_CACHE_CHARS:
                if len(self._matched) >= _MATCH_CACHE_SIZE:
                    self._matched.clear()
                self._matched[payer] = matched
        return matched

    def _match(self, payer: Payer) -> PayerRule:
        candidates = [r for r in self.rules[:-1] if not r.excludes(payer)]
        for rule in candidates:
            if rule.matches_id(payer):
                return rule
        for rule in candidates:
            if rule.matches_name(payer):
                return rule
        return self.default


@lru_cache(maxsize=1)
def default_rules() -> PayerRules:
    return PayerRules.load()


def is_medicare(payer: Payer, rules: PayerRules | None = None) -> bool:
    """Medicare fee-for-service (not Medicare Advantage): pass as `classify_claim(medicare=)`."""
    return (rules or default_rules()).match(payer).key == MEDICARE_KEY


def notice_date(
    remittance: RemittanceInfo, anchor: Anchor, *, imported_on: date
) -> tuple[date, AnchorSource]:
    """The date the appeal clock starts on, and where it came from (section 1 proposal).

    Earliest valid of DTM*405 and BPR16 unless the rule pins one (and it is present); only
    when both are missing, the earliest of GS04 and a CSV report date; else the import day.
    """
    latest_valid = imported_on + FUTURE_NOTICE_TOLERANCE

    def valid(day: date | None) -> date | None:
        return day if day is not None and day <= latest_valid else None

    production, payment = valid(remittance.production_date), valid(remittance.payment_date)
    if anchor is Anchor.DTM405 and production is not None:
        return production, AnchorSource.PRODUCTION_DATE
    if anchor is Anchor.BPR16 and payment is not None:
        return payment, AnchorSource.PAYMENT_DATE
    notices = [
        (day, source)
        for day, source in (
            (production, AnchorSource.PRODUCTION_DATE),
            (payment, AnchorSource.PAYMENT_DATE),
        )
        if day is not None
    ]
    if notices:
        return min(notices, key=lambda notice: notice[0])  # ties: DTM*405 (listed first)
    # GS04 only when both 835 notice dates are missing; a CSV has its report date (and maybe
    # the ERA file's date): again the earliest, so the deadline is never later than the real one.
    fallbacks = [
        (day, source)
        for day, source in (
            (valid(remittance.file_date), AnchorSource.FILE_DATE),
            (valid(remittance.report_date), AnchorSource.REPORT_DATE),
        )
        if day is not None
    ]
    if fallbacks:
        return min(fallbacks, key=lambda fallback: fallback[0])
    return imported_on, AnchorSource.IMPORT_DATE


def service_date(claim: ClaimRecord) -> date | None:
    """DTM*232, else the earliest line date."""
    if claim.service_date is not None:
        return claim.service_date
    dates = [line.service_date for line in claim.lines if line.service_date is not None]
    return min(dates, default=None)


def compute_deadline(
    finding: DenialFinding, claim: ClaimRecord, rule: PayerRule, *, imported_on: date
) -> Deadline:
    """Appeal deadline, or for no-appeal denials the resubmission (timely filing) deadline."""
    if finding.no_appeal:
        dos = service_date(claim)
        if dos is not None:
            return Deadline(
                due=dos + timedelta(days=rule.resubmission_days),
                kind=DeadlineKind.RESUBMISSION,
                anchor=dos,
                anchor_source=AnchorSource.SERVICE_DATE,
                rule_key=rule.key,
                days=rule.resubmission_days,
            )
        # No date of service: count from the notice, with the shorter of the two windows, since
        # the service was before the notice and the real limit counts from the service.
        anchor, source = notice_date(claim.remittance, rule.anchor, imported_on=imported_on)
        days = min(rule.resubmission_days, rule.appeal_days)
        return Deadline(
            due=anchor + timedelta(days=days),
            kind=DeadlineKind.RESUBMISSION,
            anchor=anchor,
            anchor_source=source,
            rule_key=rule.key,
            days=days,
        )
    anchor, source = notice_date(claim.remittance, rule.anchor, imported_on=imported_on)
    days = rule.presumed_receipt_days + rule.appeal_days
    return Deadline(
        due=anchor + timedelta(days=days),
        kind=DeadlineKind.APPEAL,
        anchor=anchor,
        anchor_source=source,
        rule_key=rule.key,
        days=days,
    )


def next_level_deadline(rule: PayerRule, level: int, decided_on: date) -> date | None:
    """Deadline to file level `level + 1` after the level-`level` appeal was decided on
    `decided_on` (level 1 = the first appeal / reconsideration). None when the rule knows no
    further level."""
    if level < 1:
        raise ValueError(f"appeal level starts at 1, got {level}")
    if level > len(rule.next_level_days):
        return None
    days = rule.presumed_receipt_days + rule.next_level_days[level - 1]
    return decided_on + timedelta(days=days)


# --- `denials rules`: the table as terminal text ----------------------------------------------

TABLE_WIDTH = 100
TABLE_INTRO = (
    "Appeal windows in days: the first level counts from the anchor date (the notice),\n"
    "each next level from the previous decision. Rows are matched by payer id, then by name."
)
TABLE_OUTRO = "Override or add rows with a YAML file of the same shape (DENIALS_PAYER_RULES)."
_COLUMNS = (("PAYER", 26), ("APPEAL", 7), ("NEXT LEVELS", 16), ("ANCHOR", 9), ("MATCHED BY", 34))
_ANCHOR_TEXT = {Anchor.EARLIEST: "earliest", Anchor.DTM405: "DTM*405", Anchor.BPR16: "BPR16"}


def format_rules_table(rules: PayerRules) -> str:
    """The rules as a table that reads in a 100-column terminal (URLs may run longer)."""
    lines = [TABLE_INTRO, "", _table_row([title for title, _ in _COLUMNS])]
    lines.append(_table_row(["-" * width for _, width in _COLUMNS]))
    for rule in rules.rules:
        lines.extend(_rule_lines(rule))
    lines.append(TABLE_OUTRO)
    return "\n".join(lines)


def _rule_lines(rule: PayerRule) -> list[str]:
    appeal = f"{rule.appeal_days}"
    if rule.presumed_receipt_days:
        appeal += f"+{rule.presumed_receipt_days}"
    cells = [
        f"{rule.name} ({rule.key})",
        appeal,
        ", ".join(str(d) for d in rule.next_level_days) or "-",
        _ANCHOR_TEXT[rule.anchor],
        _matched_by(rule),
    ]
    wrapped = [
        textwrap.wrap(text, width) or [""] for text, (_, width) in zip(cells, _COLUMNS, strict=True)
    ]
    height = max(len(cell) for cell in wrapped)
    lines = [
        _table_row([cell[i] if i < len(cell) else "" for cell in wrapped]) for i in range(height)
    ]
    detail = f"no appeal rights: resubmit within {rule.resubmission_days} days of the service date"
    if rule.presumed_receipt_days:
        detail += f"; +{rule.presumed_receipt_days} days presumed receipt of each notice"
    detail += f"; records requests without a due date: {rule.records_days} days"
    lines.extend(textwrap.wrap(detail, TABLE_WIDTH, initial_indent="  ", subsequent_indent="    "))
    lines.extend(f"  source: {url}" for url in (*rule.source, *rule.records_source))
    lines.append("")
    return lines


def _matched_by(rule: PayerRule) -> str:
    if rule.key == DEFAULT_KEY:
        return "any payer no other row matches"
    parts = []
    if rule.ids:
        parts.append("ids " + ", ".join(rule.ids))
    if rule.names:
        parts.append("names " + ", ".join(_readable(p) for p in rule.names))
    if rule.not_names:
        parts.append("but not " + ", ".join(_readable(p) for p in rule.not_names))
    return "; ".join(parts)


def _readable(pattern: str) -> str:
    return pattern.replace(r"\b", "")


def _table_row(cells: Sequence[str]) -> str:
    padded = [cell.ljust(width) for cell, (_, width) in zip(cells, _COLUMNS, strict=True)]
    return "  ".join(padded).rstrip()
