"""The rules in force: root-cause crosswalk and payer appeal windows, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from bot.domain.denial_rules import classify_claim
from bot.domain.findings import Deadline, DenialFinding
from bot.domain.payer_rules import PayerRule, PayerRules, compute_deadline, is_medicare
from bot.domain.records import ClaimRecord
from bot.domain.root_causes import RootCauseTable


class RuleFiles(Protocol):
    """Where the practice's overrides are (`Settings` has both): None for the built-in rules."""

    @property
    def root_cause_table(self) -> Path | None: ...

    @property
    def payer_rules(self) -> Path | None: ...


@dataclass(frozen=True)
class Rulebook:
    root_causes: RootCauseTable
    payer_rules: PayerRules

    @classmethod
    def from_settings(cls, settings: RuleFiles) -> Rulebook:
        return cls(
            root_causes=RootCauseTable.load(settings.root_cause_table),
            payer_rules=PayerRules.load(settings.payer_rules),
        )

    def judge(
        self, claim: ClaimRecord, *, imported_on: date
    ) -> tuple[DenialFinding, Deadline, PayerRule] | None:
        """The denial finding and its deadline, or None when the claim is not a denial."""
        payer = claim.remittance.payer
        medicare = is_medicare(payer, self.payer_rules)
        finding = classify_claim(claim, table=self.root_causes, medicare=medicare)
        if finding is None:
            return None
        rule = self.payer_rules.match(payer)
        return finding, compute_deadline(finding, claim, rule, imported_on=imported_on), rule
