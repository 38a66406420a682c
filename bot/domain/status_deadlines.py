"""The dates that matter for documentation requests and front-end rejections.

* A documentation request is due on the date the payer gave (277RFAI DTP*106, or typed by staff
  from the letter); else the payer rule's `records_days` from the request (Medicare ADRs: 45
  days, Program Integrity Manual ch. 3; others: 30, the short end of what manuals state).
* A rejected claim never reached adjudication: what limits it is the payer's filing limit, the
  rule's `resubmission_days` from the date of service. Without a date of service the limit is
  counted from the rejection, with the shorter of the rule's windows, since the service came
  before it (the same reasoning as the 835's no-appeal denials).

Pure: dates in, dates out; each answer says where it came from, for the card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.payer_rule import PayerRule


class DueSource(StrEnum):
    PAYER = "payer"  # the payer's own date (DTP*106, or the letter)
    RULE = "rule"  # the payer rule's window from the request / the service
    RULE_FROM_NOTICE = "rule_from_notice"  # no date of service: counted from the rejection


@dataclass(frozen=True, slots=True)
class DueDate:
    on: date
    source: DueSource
    rule_key: str
    days: int | None = None  # the window used, when a rule set the date

    def explained(self, rule_name: str) -> str:
        """Where the date comes from, in the words of the card: "Medicare …: 45 days"."""
        if self.source is DueSource.PAYER:
            return "the date the payer gave"
        if self.source is DueSource.RULE_FROM_NOTICE:
            return f"{rule_name}: {self.days} days from the rejection (no date of service)"
        return f"{rule_name}: {self.days} days"

    def provenance(self, rule_name: str) -> dict[str, object]:
        """Where the date comes from, as a records request or a rejection keeps it (beside the
        date itself)."""
        return {
            "due_source": self.source.value,
            "due_note": self.explained(rule_name),
            "rule_key": self.rule_key,
            "due_days": self.days,
        }


def request_due(*, given: date | None, received_on: date, rule: PayerRule) -> DueDate:
    if given is not None:
        return DueDate(given, DueSource.PAYER, rule.key)
    days = rule.records_days
    return DueDate(received_on + timedelta(days=days), DueSource.RULE, rule.key, days)


def resubmit_by(*, service_date: date | None, rejected_on: date, rule: PayerRule) -> DueDate:
    if service_date is not None:
        days = rule.resubmission_days
        return DueDate(service_date + timedelta(days=days), DueSource.RULE, rule.key, days)
    days = min(rule.resubmission_days, rule.appeal_days)
    return DueDate(rejected_on + timedelta(days=days), DueSource.RULE_FROM_NOTICE, rule.key, days)
