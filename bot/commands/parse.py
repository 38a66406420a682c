"""One parser per subcommand: the words after the subcommand name in, a typed request out.

`words` are what `split_words` made of the whole command text (so a note keeps its spacing);
a parser raises `InputError` with what was wrong, and the table adds the usage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.commands.requests import (
    AppealRequest,
    AssignRequest,
    CategorizeRequest,
    DueRequest,
    FindRequest,
    HelpRequest,
    LetterRequest,
    OutcomeRequest,
    PatternsRequest,
    Result,
    TrendsRequest,
    Who,
)
from bot.commands.words import (
    BAD_LEVEL,
    Word,
    is_mention,
    looks_like_date,
    parse_amount,
    parse_cause,
    parse_date,
    parse_days,
    parse_level,
    parse_mention,
    parse_method,
    parse_period,
    unescape,
)
from bot.domain.bounds import (
    MAX_NOTE_CHARS,
    MAX_REFERENCE_CHARS,
    check_claim,
    check_length,
)
from bot.domain.trend_periods import DIMENSIONS, Dimension, Span
from bot.errors import InputError

UNKNOWN_WORD = "I didn't understand `{word}`."
PATTERN_TOO_LONG = "Name the pattern in at most {limit} characters: its number, or a few words."
MAX_PATTERN_WORDS = 200
NEED_CLAIM = "Which claim? Give the claim number or the denial id from the card (`D-1042`)."
NOT_A_CLAIM = "`{word}` is a person, not a claim."
ONE_WHO = "Say one of `mine`, `unassigned` or `@someone`, not several."
TWO_OF = "You gave two {what}: `{first}` and `{second}`."
NEED_RESULT = "Say how it ended: `won`, `lost` or `partial`."
PARTIAL_NEEDS_AMOUNT = "A partial win needs the amount the payer paid, like `partial 210.00`."
LOST_HAS_NO_AMOUNT = "A lost appeal recovers nothing: leave the amount off."
NEED_WHO = "Assign to whom? Give `@someone`, `me`, or `nobody`."
NEED_CAUSE = "Which root cause? For example `authorization` or `coding`."
BAD_LETTER_LEVEL = "`{word}` is not an appeal level: give a number from 1 to 5, like `2`."
BAD_DIMENSION = (
    "I can't break trends down by `{word}`. Use `category`, `payer`, `cpt`, `provider` or `carc`."
)

DEFAULT_SPAN = Span(30, "d")
CONFIRM_WORDS = ("confirm", "confirmed")  # an amount above what was billed is right
MAX_LETTER_LEVEL = 5
RESULTS: dict[str, Result] = {
    **dict.fromkeys(("won", "win", "overturned", "paid"), "won"),
    **dict.fromkeys(("lost", "lose", "upheld", "denied"), "lost"),
    **dict.fromkeys(("partial", "partially", "part"), "partial"),
}
DIMENSION_WORDS: dict[str, Dimension] = {
    **{d: d for d in DIMENSIONS},
    **dict.fromkeys(("categories", "cause", "causes", "root_cause", "reason"), "category"),
    **dict.fromkeys(("payers", "insurer", "insurance"), "payer"),
    **dict.fromkeys(("cpts", "code", "codes", "procedure", "procedures", "hcpcs"), "cpt"),
    **dict.fromkeys(("providers", "npi", "doctor", "doctors", "rendering"), "provider"),
    **dict.fromkeys(("carcs", "carc_code", "adjustment"), "carc"),
}
PERIOD_WORDS = {"month": Span(30, "d"), "quarter": Span(90, "d"), "year": Span(12, "m")}


def parse_due(words: list[Word], text: str, today: date) -> DueRequest:
    days: int | None = None
    who: Who = None
    for word in words:
        lower = word.text.lower()
        if lower.isdigit() or (lower.endswith("d") and lower[:-1].isdigit()):
            if days is not None:
                raise InputError(TWO_OF.format(what="numbers of days", first=days, second=lower))
            days = parse_days(lower.removesuffix("d"))
            continue
        if lower in ("mine", "me", "my"):
            found: Who = "mine"
        elif lower in ("unassigned", "nobody", "none"):
            found = "unassigned"
        elif is_mention(word.text) or word.text.startswith("<"):
            found = parse_mention(word.text)
        else:
            raise InputError(UNKNOWN_WORD.format(word=word.text))
        if who is not None and who != found:
            raise InputError(ONE_WHO)
        who = found
    return DueRequest(days=14 if days is None else days, who=who)


def parse_appeal(words: list[Word], text: str, today: date) -> AppealRequest:
    """`CLAIM`, then level, method, date and `corrected` in any order, then the reference
    (`-` for none) and a note: the rest of the text, as typed. A method word right after the
    reference is the method when none came before (`appeal CLAIM 88-2231 portal`): a note
    never starts with the one word the form would have asked for."""
    claim, rest = _claim(words)
    said = _AppealDetails()
    taken = 0
    while taken < len(rest) and (step := said.take(rest[taken:], today)):
        taken += step
    after = rest[taken:]
    if len(after) > 1 and said.method is None and (how := parse_method(after[1].text)):
        said.method = how
        after = after[:1] + after[2:]
    reference, note = _reference_and_note(after, text)
    check_length(reference, MAX_REFERENCE_CHARS, "reference")
    check_length(note, MAX_NOTE_CHARS, "note")
    return AppealRequest(
        claim=claim,
        level=said.level,
        method=said.method,
        reference=reference,
        note=note,
        sent_on=said.sent_on,
        corrected=said.corrected,
    )


@dataclass
class _AppealDetails:
    """What the words after the claim said so far; each is said once."""

    level: str | None = None
    method: str | None = None
    sent_on: date | None = None
    corrected: bool = False

    def take(self, words: list[Word], today: date) -> int:
        """Read one detail from the start of `words`: how many words it took (0: none)."""
        word = words[0].text
        if word.lower() == "corrected" and self.level is None and not self.corrected:
            self.corrected = True
            return 1
        if word.lower() in ("level", "lvl") and self.level is None and len(words) > 1:
            self.level = parse_level(words[1].text)
            if self.level is None:
                raise InputError(BAD_LEVEL.format(word=words[1].text))
            return 2
        if self.level is None and not self.corrected and (named := parse_level(word)):
            self.level = named
        elif self.method is None and (how := parse_method(word)):
            self.method = how
        elif self.sent_on is None and looks_like_date(word):
            self.sent_on = parse_date(word, today)
        else:
            return 0
        return 1


def _reference_and_note(rest: list[Word], text: str) -> tuple[str | None, str | None]:
    """The reference (`-` when there is none) and the note after it, as typed."""
    if not rest:
        return None, None
    reference = rest[0].text if rest[0].text != "-" else None
    note = unescape(text[rest[1].start :]).strip() if len(rest) > 1 else ""
    return reference, note or None


def parse_outcome(words: list[Word], text: str, today: date) -> OutcomeRequest:
    claim, rest = _claim(words)
    if not rest or rest[0].text.lower() not in RESULTS:
        raise InputError(NEED_RESULT if not rest else UNKNOWN_WORD.format(word=rest[0].text))
    result = RESULTS[rest[0].text.lower()]
    amount = decided_on = None
    confirmed = False
    for word in rest[1:]:
        if word.text.lower() in CONFIRM_WORDS and not confirmed:
            confirmed = True
        elif looks_like_date(word.text) and decided_on is None:
            decided_on = parse_date(word.text, today)
        elif amount is None:
            amount = parse_amount(word.text)
        else:
            raise InputError(UNKNOWN_WORD.format(word=word.text))
    if result == "partial" and amount is None:
        raise InputError(PARTIAL_NEEDS_AMOUNT)
    if result == "lost" and amount is not None:
        raise InputError(LOST_HAS_NO_AMOUNT)
    return OutcomeRequest(
        claim=claim, result=result, amount=amount, decided_on=decided_on, confirmed=confirmed
    )


def parse_trends(words: list[Word], text: str, today: date) -> TrendsRequest:
    span: Span | None = None
    dimension: Dimension | None = None
    for word in words:
        lower = word.text.lower()
        if lower in ("by", "per", "last", "past"):
            continue
        if lower[:1].isdigit() or lower in PERIOD_WORDS:
            if span is not None:
                raise InputError(TWO_OF.format(what="periods", first=span.label, second=lower))
            span = PERIOD_WORDS.get(lower) or parse_period(lower)
        elif lower in DIMENSION_WORDS and dimension is None:
            dimension = DIMENSION_WORDS[lower]
        else:
            raise InputError(BAD_DIMENSION.format(word=word.text))
    return TrendsRequest(span=span or DEFAULT_SPAN, dimension=dimension or "category")


def parse_patterns(words: list[Word], text: str, today: date) -> PatternsRequest:
    """`patterns` lists them; `patterns 2` or `patterns aetna 197` opens one."""
    asked = " ".join(w.text for w in words).strip()
    if len(asked) > MAX_PATTERN_WORDS:
        raise InputError(PATTERN_TOO_LONG.format(limit=MAX_PATTERN_WORDS))
    return PatternsRequest(asked or None)


def parse_find(words: list[Word], text: str, today: date) -> FindRequest:
    claim, rest = _claim(words)
    if rest:
        raise InputError(UNKNOWN_WORD.format(word=rest[0].text))
    return FindRequest(claim)


def parse_letter(words: list[Word], text: str, today: date) -> LetterRequest:
    claim, rest = _claim(words)
    if rest and rest[0].text.lower() == "level":
        rest = rest[1:]
    if len(rest) > 1:
        raise InputError(UNKNOWN_WORD.format(word=rest[1].text))
    if not rest:
        return LetterRequest(claim)
    word = rest[0].text
    if not (word.isdigit() and 1 <= int(word) <= MAX_LETTER_LEVEL):
        raise InputError(BAD_LETTER_LEVEL.format(word=word))
    return LetterRequest(claim, int(word))


def parse_assign(words: list[Word], text: str, today: date) -> AssignRequest:
    claim, rest = _claim(words)
    if not rest:
        raise InputError(NEED_WHO)
    if len(rest) > 1:
        raise InputError(UNKNOWN_WORD.format(word=rest[1].text))
    lower = rest[0].text.lower()
    if lower in ("me", "myself"):
        return AssignRequest(claim, "me")
    if lower in ("nobody", "none", "unassigned", "noone"):
        return AssignRequest(claim, "nobody")
    return AssignRequest(claim, parse_mention(rest[0].text))


def parse_categorize(words: list[Word], text: str, today: date) -> CategorizeRequest:
    claim, rest = _claim(words)
    if not rest:
        raise InputError(NEED_CAUSE)
    return CategorizeRequest(claim, parse_cause([w.text for w in rest]))


def parse_help(words: list[Word], text: str, today: date) -> HelpRequest:
    return HelpRequest(topic=words[0].text.lower() if words else None)


def clean_claim(word: str) -> str:
    return word.strip("`'\"“”‘’").lstrip("#").rstrip(",;.")


def _claim(words: list[Word]) -> tuple[str, list[Word]]:
    if not words or not clean_claim(words[0].text):
        raise InputError(NEED_CLAIM)
    if is_mention(words[0].text):
        raise InputError(NOT_A_CLAIM.format(word=words[0].text))
    return check_claim(clean_claim(words[0].text)), words[1:]
