"""Turn importer records into database rows: tuples ready for `BulkInsert`.

A row is built once per claim, so this module trades a little generality for speed: values go
straight into a tuple in the table's column order, and the JSON columns are written as text
(`claim_json`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any, Final

from sqlalchemy import Connection, Table

from bot.domain.findings import Deadline, DenialFinding
from bot.domain.records import ClaimRecord
from bot.domain.statuses import DenialStatus
from storage.bulk.claim_json import adjustments_json, lines_json, reasons_json, strings_json
from storage.bulk.insert import BulkInsert
from storage.payers import payer_token


def pattern_key(payer_id: int, category: str, code: str, provider: str | None) -> str:
    """Repeat pattern: payer + root cause + main reason code + rendering provider."""
    return "|".join((payer_token(payer_id), category, code, provider or "-"))


def notice_date(claim: ClaimRecord, imported_on: date) -> date:
    """When the payer adjudicated the claim: earliest remittance date we can trust."""
    info = claim.remittance
    dates = [d for d in (info.production_date, info.payment_date) if d is not None]
    if dates:
        return min(dates)
    return info.file_date or info.report_date or imported_on


# -- rows ---------------------------------------------------------------------------------------

# The table's columns in its order. `id` (and a denial's `claim_id`) come first: they are drawn
# when the batch is written, so a waiting row holds the rest and is written as `(id, *rest)`.
CLAIM_COLUMNS: Final = (
    "id",
    "import_id",
    "remittance_id",
    "payer_id",
    "claim_number",
    "payer_claim_number",
    "status_code",
    "kind",
    "billed",
    "paid",
    "patient_responsibility",
    "service_date",
    "notice_date",
    "rendering_npi",
    "rendering_name",
    "patient_name",
    "member_id",
    "original_reference",
    "adjustments",
    "remarks",
    "lines",
    "is_denied",
    "denied_amount",
    "reversed_by_id",
    "source_line",
    "fingerprint",  # the last: bot.domain.identity's, of the columns before it (the writer's)
)
# What a claim's identity is made of (bot.domain.identity), as the claims row holds it: money
# in cents, the JSON columns as their text. Stored rows give the same values back.
IDENTITY_COLUMNS: Final = (
    "claim_number",
    "payer_claim_number",
    "status_code",
    "billed",
    "paid",
    "patient_responsibility",
    "rendering_npi",
    "patient_name",
    "member_id",
    "adjustments",
    "remarks",
    "lines",
)
DENIAL_COLUMNS: Final = (
    "id",
    "claim_id",
    "import_id",
    "post_id",
    "claim_number",
    "payer_claim_number",
    "payer_id",
    "provider_npi",
    "provider_name",
    "service_date",
    "denial_date",
    "anchor_source",
    "deadline",
    "deadline_kind",
    "rule_key",
    "cpts",
    "carcs",
    "rarcs",
    "reasons",
    "explanation",
    "billed_amount",
    "paid_amount",
    "denied_amount",
    "recovered_amount",
    "suggested_category",
    "category",
    "category_source",
    "category_set_by",
    "no_appeal_reason",
    "patient_liable",
    "status",
    "closed",
    "assignee",
    "pattern_key",
    "superseded_by_id",
    "version",
    "created_at",
    "updated_at",
    "closed_at",
)
_CONVERTED: Final = frozenset(
    {
        "billed",
        "paid",
        "patient_responsibility",
        "denied_amount",
        "billed_amount",
        "paid_amount",
        "recovered_amount",
        "service_date",
        "notice_date",
        "denial_date",
        "deadline",
        "is_denied",
        "patient_liable",
        "closed",
        "created_at",
        "updated_at",
        "closed_at",
    }
)


def claims_insert(table: Table, connection: Connection) -> BulkInsert:
    json_text = ("adjustments", "remarks", "lines")
    return BulkInsert(table, CLAIM_COLUMNS, connection, converted=_CONVERTED, json_text=json_text)


def denials_insert(table: Table, connection: Connection) -> BulkInsert:
    json_text = ("cpts", "carcs", "rarcs", "reasons")
    return BulkInsert(table, DENIAL_COLUMNS, connection, converted=_CONVERTED, json_text=json_text)


class ClaimRows:
    """The `claims` and `denials` rows of one import, less their leading ids.

    Each value is what the column's bind processor makes of what the ORM model would hold.
    """

    def __init__(
        self, claims: BulkInsert, denials: BulkInsert, *, import_id: int, now: datetime
    ) -> None:
        self._import_id = import_id
        self._claim_money = claims.convert("billed")  # every Money column converts alike,
        self._claim_date = claims.convert("service_date")  # every Date column too
        self._claim_flag = claims.convert("is_denied")
        self._no_denial = (self._claim_flag(False), self._claim_money(Decimal(0)))
        self._denial_money = denials.convert("billed_amount")
        self._denial_date = denials.convert("denial_date")
        self._denial_flag = denials.convert("patient_liable")
        self._created = denials.convert("created_at")(now)
        self._updated = denials.convert("updated_at")(now)
        self._open = denials.convert("closed")(False)
        self._recovered = denials.convert("recovered_amount")(None)
        self._closed_at = denials.convert("closed_at")(None)
        self._identity = itemgetter(*(CLAIM_COLUMNS.index(c) - 1 for c in IDENTITY_COLUMNS))

    def identity(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """The parts of a claims row (after `id`) its fingerprint is made of."""
        parts: tuple[Any, ...] = self._identity(row)
        return parts

    def claim(
        self,
        claim: ClaimRecord,
        finding: DenialFinding | None,
        remittance_id: int,
        payer: int,
        notice: Any,
    ) -> tuple[Any, ...]:
        """The claims row after `id`, up to its fingerprint (the writer adds it). `payer` is
        its payer's id and `notice` its notice_date as converted by `claim_date`: both are the
        same for every claim of a remittance."""
        money, day = self._claim_money, self._claim_date
        provider, patient = claim.rendering_provider, claim.patient
        if finding is None:
            is_denied, denied = self._no_denial
        else:
            is_denied, denied = self._claim_flag(True), money(finding.denied_amount)
        return (
            self._import_id,
            remittance_id,
            payer,
            claim.claim_number,
            claim.payer_claim_number,
            claim.status_code,
            claim.kind.value,
            money(claim.billed),
            money(claim.paid),
            money(claim.patient_responsibility),
            day(claim.service_date),
            notice,
            provider.identifier,
            provider.name or None,
            patient.name or None,
            patient.identifier,
            claim.original_reference,
            adjustments_json(claim.adjustments),
            strings_json(claim.remarks),
            lines_json(claim.lines),
            is_denied,
            denied,
            None,  # reversed_by_id
            claim.source_line,
        )

    def claim_date(self, value: date) -> Any:
        return self._claim_date(value)

    def denial(
        self,
        claim: ClaimRecord,
        finding: DenialFinding,
        deadline: Deadline,
        payer: int,
    ) -> tuple[Any, ...]:
        """The denials row after `id` and `claim_id`; `payer` is the claim's payer id."""
        money, day = self._denial_money, self._denial_date
        provider = claim.rendering_provider
        category = finding.category.value
        main_code = finding.carcs[0] if finding.carcs else "-"
        return (
            self._import_id,
            None,  # post_id
            claim.claim_number,
            claim.payer_claim_number,
            payer,
            provider.identifier,
            provider.name or None,
            day(claim.service_date),
            day(deadline.anchor),
            deadline.anchor_source.value,
            day(deadline.due),
            deadline.kind.value,
            deadline.rule_key,
            strings_json(finding.cpts),
            strings_json(finding.carcs),
            strings_json(finding.rarcs),
            reasons_json(finding.reasons),
            finding.explanation,
            money(claim.billed),
            money(claim.paid),
            money(finding.denied_amount),
            self._recovered,
            category,  # suggested_category
            category,
            "auto",  # category_source
            None,  # category_set_by
            finding.no_appeal_reason if finding.no_appeal else None,
            self._denial_flag(finding.patient_liable),
            DenialStatus.NEW.value,
            self._open,
            None,  # assignee
            pattern_key(payer, category, main_code, provider.identifier or provider.name),
            None,  # superseded_by_id
            1,  # version
            self._created,
            self._updated,
            self._closed_at,
        )
