"""The identity of an adjudication: what makes two claims in two files the same news.

A payer's statement about a claim is the same whatever file brings it: the same claim number
and payer claim number, claim status, billed, paid and patient amounts, rendering provider,
patient, claim- and line-level adjustments, remarks and service lines, on the same remittance
dates (DTM*405, BPR16; a report's check or adjudication date) with the same check or EFT trace
(TRN02, a report's check number). What a re-sent file changes is left out: the envelope (ISA13
and GS06 control numbers, ISA09 and GS04 dates, ST02), the layout (line endings, segment
terminators, separators, indentation, where in the file the claim sits, how its transaction
sets are split and ordered: BPR02 is not compared), and for a CSV its quoting, column order and
number and date formats (values are compared as read). The payer is not in the fingerprint:
claims are compared within one payer entity (`payer_id`), so merging two payers keeps working.

Two claims with the same identity in one payer are one adjudication, stored once. A claim that
really appears twice differs in something the payer said: a reversal has status 22 and negated
amounts, its correction another trace or date, a re-adjudication another date or check, a claim
split in two other lines or amounts.

The parts are given as the database stores them (`storage/bulk/claim_rows.py` picks them from
a claims row, money in cents and the JSON columns as their text), so a claim stored before the
identity existed gets the same fingerprint from its row as it would from its file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from bot.domain.records import RemittanceInfo

Part = str | int | None


def fingerprint(claim: Sequence[Part], remittance: Sequence[str]) -> str:
    """32 hex characters (128 bits): `repr` of tuples of strings and integers is one text for
    one value, whatever the strings hold (quotes are escaped)."""
    text = repr((tuple(claim), tuple(remittance)))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def remittance_parts(
    production: date | str | None,
    payment: date | str | None,
    report: date | str | None,
    check: str | None,
) -> tuple[str, str, str, str]:
    """The remittance's share of a claim's identity: its dates (ISO) and its trace."""
    return (_day(production), _day(payment), _day(report), (check or "").strip())


def remittance_parts_of(info: RemittanceInfo) -> tuple[str, str, str, str]:
    return remittance_parts(
        info.production_date, info.payment_date, info.report_date, info.check_number
    )


def _day(value: date | str | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else value.isoformat()
