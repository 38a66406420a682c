"""What a repeat pattern covers: payer + root cause + CARC, refined by rendering provider and
CPT when that is where its denials concentrate.

A scope is written as one key, `p12|authorization|197|1497758544|97110`, whose first four parts
are a denial's `pattern_key` (payer token, root cause, main CARC, provider: NPI, else name, else
`-`). `*` stands for "any": `p12|authorization|197|*|*` is every provider and CPT. A grouped
card's pattern key (four parts) reads as that provider and any CPT, so fixes recorded on grouped
cards and on alerts are measured the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

ANY = "*"
NONE = "-"  # a denial with no rendering provider on its claim
SEPARATOR = "|"
# A pattern names a provider (or a CPT) when at least two thirds of its denials share it: a
# trickle from one provider's authorizations is that provider's pattern, while a payer-wide
# policy change spread over five providers stays one payer pattern instead of five small ones
# that would each stay under the alert threshold.
CONCENTRATION = Fraction(2, 3)


@dataclass(frozen=True, slots=True, order=True)
class Scope:
    payer: str  # payer token, "p12"
    category: str  # root cause slug
    code: str  # main CARC, "-" when none
    provider: str = ANY  # NPI or name; "-" none; "*" any
    cpt: str = ANY  # CPT without modifiers; "*" any

    @property
    def key(self) -> str:
        return SEPARATOR.join((self.payer, self.category, self.code, self.provider, self.cpt))

    @property
    def base(self) -> str:
        """Payer + root cause + CARC: one alert per base, however it is refined later."""
        return SEPARATOR.join((self.payer, self.category, self.code))

    @property
    def payer_id(self) -> int:
        return int(self.payer[1:])

    @classmethod
    def parse(cls, key: str) -> Scope:
        """A scope key, or a grouped card's pattern key; ValueError on anything else."""
        parts = key.split(SEPARATOR)
        if len(parts) == 4:
            parts.append(ANY)
        if len(parts) != 5 or not _payer_token(parts[0]) or not all(parts):
            raise ValueError(f"not a pattern key: {key!r}")
        return cls(*parts)

    @classmethod
    def of_pattern_key(cls, pattern_key: str) -> Scope | None:
        """The base scope (any provider, any CPT) of a denial's pattern key; None for a key
        of another form (it is then in no pattern, rather than stopping an import)."""
        try:
            whole = cls.parse(pattern_key)
        except ValueError:
            return None
        return cls(whole.payer, whole.category, whole.code)

    def names_provider(self) -> bool:
        return self.provider not in (ANY, NONE)

    def covers(self, pattern_key: str, cpt: str) -> bool:
        """Whether a denial with this pattern key and first CPT is one of the pattern's."""
        payer, category, code, provider = _four(pattern_key)
        return (
            (payer, category, code) == (self.payer, self.category, self.code)
            and self.provider in (ANY, provider)
            and self.cpt in (ANY, cpt)
        )

    def refined(self, provider: str, cpt: str) -> Scope:
        return Scope(self.payer, self.category, self.code, provider, cpt)


def covers(fix_key: str, pattern_key: str) -> bool:
    """Whether a fix recorded against `fix_key` (a grouped card's pattern key or a scope key)
    is a fix for denials with `pattern_key`, whatever their CPT."""
    try:
        scope = Scope.parse(fix_key)
    except ValueError:  # a key of an older form: only itself
        return fix_key == pattern_key
    return scope.covers(pattern_key, scope.cpt)


def provider_of(pattern_key: str) -> str:
    """The provider part of a denial's pattern key."""
    return _four(pattern_key)[3]


def cpt_of(cpts: Iterable[str]) -> str:
    """The first CPT without its modifiers (97110-GP and 97110 are one service), or "-"."""
    for cpt in cpts:
        return str(cpt).split("-")[0] or NONE
    return NONE


def refine(base: Scope, members: Iterable[tuple[str, str]]) -> Scope:
    """`base` narrowed to the provider, then the CPT, that hold at least `CONCENTRATION` of
    `members` (each a denial's `(provider, cpt)`)."""
    members = list(members)
    provider = _dominant(p for p, _ in members)
    if provider is None or provider == NONE:  # no provider on the claims: the payer's pattern
        return base
    narrowed = [c for p, c in members if p == provider]
    cpt = _dominant(narrowed)
    return base.refined(provider, cpt if cpt is not None and cpt != NONE else ANY)


def _dominant(values: Iterable[str]) -> str | None:
    counts = Counter(values)
    total = sum(counts.values())
    if not total:
        return None
    value, count = counts.most_common(1)[0]
    return value if Fraction(count, total) >= CONCENTRATION else None


def _four(pattern_key: str) -> tuple[str, str, str, str]:
    payer, category, code, provider = [*pattern_key.split(SEPARATOR, 3), "", "", ""][:4]
    return payer, category, code, provider or NONE


def _payer_token(token: str) -> bool:
    return token.startswith("p") and token[1:].isdigit()
