"""Early warning across imports, and the effect of recorded fixes, over one payer's history.

Pure: `PayerHistory` holds the payer's denials (by denial date) and claims (by notice date
and rendering provider) for the days the rules look at; `warnings` says which patterns an
import pushed over a threshold (`bot.domain.pattern_rates`), `effect` how a fix is doing.
Whether an alert was sent already is the caller's business (`bot.services.pattern_watch`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from bot.domain.pattern_rates import (
    BASELINE,
    NEW_LOOKBACK,
    WINDOW,
    Counts,
    FixEffect,
    Trigger,
    early_warning,
    fix_effect,
    measure_windows,
    quiet_since,
)
from bot.domain.pattern_scope import SEPARATOR, Scope, provider_of, refine

DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DenialFact:
    day: date  # denial date
    pattern_key: str  # payer|cause|CARC|provider
    cpt: str  # first CPT without modifiers (pattern_scope.cpt_of)
    amount: Decimal
    import_id: int
    claim: str = ""  # the practice's claim number, for the alert's list


@dataclass(frozen=True, slots=True)
class PayerHistory:
    denials: tuple[DenialFact, ...]
    claims: dict[tuple[date, str], int] = field(default_factory=dict)  # (day, provider) -> n
    # Denials by pattern base and by CARC, so each pattern reads only its own (a billing
    # company's payer holds thousands of denials and hundreds of patterns).
    _by_base: dict[str, list[DenialFact]] = field(init=False, repr=False, compare=False)
    _by_code: dict[str, list[date]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_base: dict[str, list[DenialFact]] = defaultdict(list)
        by_code: dict[str, list[date]] = defaultdict(list)
        for fact in self.denials:
            parts = fact.pattern_key.split(SEPARATOR)
            by_base[SEPARATOR.join(parts[:3])].append(fact)
            by_code[parts[2] if len(parts) > 2 else ""].append(fact.day)
        object.__setattr__(self, "_by_base", dict(by_base))
        object.__setattr__(self, "_by_code", dict(by_code))

    def matching(self, scope: Scope, first: date, last: date) -> list[DenialFact]:
        """The scope's denials dated `first` to `last`, both included, oldest first."""
        return sorted(
            (
                d
                for d in self._by_base.get(scope.base, ())
                if first <= d.day <= last and scope.covers(d.pattern_key, d.cpt)
            ),
            key=lambda d: (d.day, d.claim),
        )

    def code_seen(self, code: str, first: date, last: date) -> bool:
        """Whether the payer sent this CARC (as a pattern's main code) in those days."""
        return any(first <= day <= last for day in self._by_code.get(code, ()))

    def claims_between(self, first: date, last: date, provider: str | None = None) -> int:
        return sum(
            n
            for (day, who), n in self.claims.items()
            if first <= day <= last and (provider is None or who == provider)
        )

    def counts(self, scope: Scope, first: date, last: date) -> Counts:
        """The scope's denials, dollars and the claims they are a rate of (its payer's, or its
        provider's when it names one)."""
        found = self.matching(scope, first, last)
        provider = scope.provider if scope.names_provider() else None
        return Counts(
            len(found),
            self.claims_between(first, last, provider),
            sum((d.amount for d in found), Decimal(0)),
        )

    def last_claim_day(self) -> date | None:
        return max((day for day, _ in self.claims), default=None)


@dataclass(frozen=True, slots=True)
class PatternWarning:
    scope: Scope
    trigger: Trigger
    window_start: date
    as_of: date
    window: Counts
    baseline: Counts
    denials: tuple[DenialFact, ...]  # the window's, oldest first
    imports: int  # how many imports brought them
    quiet_before: bool  # no denial of the pattern in the quiet period before the window


def window_of(as_of: date) -> tuple[date, date]:
    return as_of - WINDOW + DAY, as_of


def warnings(history: PayerHistory, bases: Iterable[Scope], as_of: date) -> list[PatternWarning]:
    """The patterns among `bases` (payer + cause + CARC, any provider and CPT) whose rolling
    window up to `as_of` is over an early-warning threshold.

    A pattern whose window denials all came in one import is left to the grouped card that
    import posts: the early warning is for what builds up across imports.
    """
    start, _ = window_of(as_of)
    found = []
    for base in sorted(set(bases)):
        members = history.matching(base, start, as_of)
        if len({d.import_id for d in members}) < 2:
            continue
        scope = refine(base, ((provider_of(d.pattern_key), d.cpt) for d in members))
        window = history.counts(scope, start, as_of)
        baseline = history.counts(scope, start - BASELINE, start - DAY)
        trigger = early_warning(
            window,
            baseline,
            code_seen=history.code_seen(base.code, start - NEW_LOOKBACK, start - DAY),
            history_claims=history.claims_between(start - NEW_LOOKBACK, start - DAY),
        )
        if trigger is None:
            continue
        scoped = history.matching(scope, start, as_of)
        earlier = [d.day for d in history.matching(base, date.min, start - DAY)]
        found.append(
            PatternWarning(
                scope=scope,
                trigger=trigger,
                window_start=start,
                as_of=as_of,
                window=window,
                baseline=baseline,
                denials=tuple(scoped),
                imports=len({d.import_id for d in scoped}),
                quiet_before=quiet_since(max(earlier, default=None), start),
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class Effect:
    """A fix's effect as of a day: the verdict and the windows it was read from."""

    result: FixEffect
    before_start: date
    after_start: date
    until: date
    denials_after: tuple[DenialFact, ...]


def effect(history: PayerHistory, scope: Scope, effective: date, until: date) -> Effect:
    """The fix's pattern in equal windows before and after `effective`, up to `until` (the
    newest day with claims from the payer: no data is no evidence either way)."""
    before_start, after_start, days = measure_windows(effective, until)
    if days == 0:
        nothing = Counts(0, 0)
        return Effect(fix_effect(nothing, nothing, 0), effective, effective, until, ())
    before = history.counts(scope, before_start, effective - DAY)
    after = history.counts(scope, after_start, until)
    return Effect(
        fix_effect(before, after, days),
        before_start,
        after_start,
        until,
        tuple(history.matching(scope, after_start, until)),
    )
