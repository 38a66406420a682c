"""Turn importer records into database rows by column name, ready for `BulkInsert`.

A row is built once per claim, so its values are converted here for the driver (each column
type's own bind processor, the JSON columns as text: `claim_json`) and `BulkInsert.row` puts
them in the order of the table's definition, which is the one list of its columns.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any, Final

from sqlalchemy import Connection

from bot.domain.findings import Deadline, DenialFinding
from bot.domain.records import ClaimRecord
from bot.domain.statuses import DenialStatus
from storage.bulk.claim_json import adjustments_json, lines_json, reasons_json, strings_json
from storage.bulk.insert import BulkInsert, column_names, table_of
from storage.models import Claim, Denial
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

_CLAIMS: Final = table_of(Claim)
_DENIALS: Final = table_of(Denial)
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
_CLAIM_JSON: Final = ("adjustments", "remarks", "lines")
_DENIAL_JSON: Final = ("cpts", "carcs", "rarcs", "reasons")


def claims_insert(connection: Connection) -> BulkInsert:
    """The `claims` rows `ClaimRows.claim` makes, with their `id` and `fingerprint`."""
    columns = column_names(_CLAIMS)
    return BulkInsert(_CLAIMS, columns, connection, converted=columns, json_text=_CLAIM_JSON)


def denials_insert(connection: Connection) -> BulkInsert:
    """The `denials` rows `ClaimRows.denial` makes, with their `id` and `claim_id`; the
    version is the ORM's first (the column's default)."""
    columns = [name for name in column_names(_DENIALS) if name != "version"]
    return BulkInsert(_DENIALS, columns, connection, converted=columns, json_text=_DENIAL_JSON)


class ClaimRows:
    """The `claims` and `denials` rows of one import by column name, less the ids drawn when
    their batch is written (and the claim's fingerprint, the writer's).

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
        self._identity = itemgetter(*IDENTITY_COLUMNS)

    def identity(self, row: dict[str, Any]) -> tuple[Any, ...]:
        """The parts of a claims row its fingerprint is made of."""
        parts: tuple[Any, ...] = self._identity(row)
        return parts

    def claim(
        self,
        claim: ClaimRecord,
        finding: DenialFinding | None,
        remittance_id: int,
        payer: int,
        notice: Any,
    ) -> dict[str, Any]:
        """The claims row but `id` and `fingerprint`. `payer` is its payer's id and `notice`
        its notice_date as converted by `claim_date`: both are the same for every claim of a
        remittance."""
        money, day = self._claim_money, self._claim_date
        provider, patient = claim.rendering_provider, claim.patient
        if finding is None:
            is_denied, denied = self._no_denial
        else:
            is_denied, denied = self._claim_flag(True), money(finding.denied_amount)
        return {
            "import_id": self._import_id,
            "remittance_id": remittance_id,
            "payer_id": payer,
            "claim_number": claim.claim_number,
            "payer_claim_number": claim.payer_claim_number,
            "status_code": claim.status_code,
            "kind": claim.kind.value,
            "billed": money(claim.billed),
            "paid": money(claim.paid),
            "patient_responsibility": money(claim.patient_responsibility),
            "service_date": day(claim.service_date),
            "notice_date": notice,
            "rendering_npi": provider.identifier,
            "rendering_name": provider.name or None,
            "patient_name": patient.name or None,
            "member_id": patient.identifier,
            "original_reference": claim.original_reference,
            "adjustments": adjustments_json(claim.adjustments),
            "remarks": strings_json(claim.remarks),
            "lines": lines_json(claim.lines),
            "is_denied": is_denied,
            "denied_amount": denied,
            "reversed_by_id": None,
            "source_line": claim.source_line,
        }

    def claim_date(self, value: date) -> Any:
        return self._claim_date(value)

    def denial(
        self,
        claim: ClaimRecord,
        finding: DenialFinding,
        deadline: Deadline,
        payer: int,
    ) -> dict[str, Any]:
        """The denials row but `id` and `claim_id`; `payer` is the claim's payer id."""
        money, day = self._denial_money, self._denial_date
        provider = claim.rendering_provider
        category = finding.category.value
        main_code = finding.carcs[0] if finding.carcs else "-"
        return {
            "import_id": self._import_id,
            "post_id": None,
            "claim_number": claim.claim_number,
            "payer_claim_number": claim.payer_claim_number,
            "payer_id": payer,
            "provider_npi": provider.identifier,
            "provider_name": provider.name or None,
            "service_date": day(claim.service_date),
            "denial_date": day(deadline.anchor),
            "anchor_source": deadline.anchor_source.value,
            "deadline": day(deadline.due),
            "deadline_kind": deadline.kind.value,
            "rule_key": deadline.rule_key,
            "cpts": strings_json(finding.cpts),
            "carcs": strings_json(finding.carcs),
            "rarcs": strings_json(finding.rarcs),
            "reasons": reasons_json(finding.reasons),
            "explanation": finding.explanation,
            "billed_amount": money(claim.billed),
            "paid_amount": money(claim.paid),
            "denied_amount": money(finding.denied_amount),
            "recovered_amount": self._recovered,
            "suggested_category": category,
            "category": category,
            "category_source": "auto",
            "category_set_by": None,
            "no_appeal_reason": finding.no_appeal_reason if finding.no_appeal else None,
            "patient_liable": self._denial_flag(finding.patient_liable),
            "status": DenialStatus.NEW.value,
            "closed": self._open,
            "assignee": None,
            "pattern_key": pattern_key(
                payer, category, main_code, provider.identifier or provider.name
            ),
            "superseded_by_id": None,
            "created_at": self._created,
            "updated_at": self._updated,
            "closed_at": self._closed_at,
        }
