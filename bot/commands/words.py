"""Single words of the grammar: amounts, dates, people, periods, root causes, levels.

Each parser returns a typed value or raises `InputError` saying what was wrong with the word.
Slack escapes `&`, `<` and `>` in command text and sends mentions as `<@U123|name>` (the
manifest sets `should_escape: true`); `split_words` keeps those together and unescapes the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bot.commands.requests import Mention
from bot.domain.bounds import read_amount
from bot.domain.findings import RootCause
from bot.domain.trend_periods import Span
from bot.errors import InputError

BAD_DATE = "`{word}` is not a date I can read. Write it like `2026-11-30` or `11/30/2026`."
FUTURE_DATE = "{day} is in the future. Use the day it actually happened."
OLD_DATE = "{day} is more than two years ago. Check the year."
NOT_A_USER = (
    "`{word}` is not a Slack user I can see. Pick the person from the @ menu so Slack sends "
    "their id."
)
BAD_PERIOD = "`{word}` is not a period. Use `30d`, `90d` or `12m` (days, weeks or months)."
BAD_CAUSE = "`{word}` is not a root cause. Use one of: {causes}."
BAD_DAYS = "`{word}` is not a number of days between 0 and 365."
BAD_LEVEL = "Level `{word}` is not an appeal level: use 1 to 5, reconsideration or redetermination."

MAX_DAYS = 365
MAX_AGE = timedelta(days=730)
METHODS = ("portal", "fax", "mail", "electronic", "phone")
NAMED_LEVELS = ("reconsideration", "redetermination")
PERIOD_LIMITS = {"d": 730, "w": 104, "m": 24}
CAUSE_WORDS = {
    "auth": RootCause.AUTHORIZATION,
    "prior_auth": RootCause.AUTHORIZATION,
    "data": RootCause.CLAIM_DATA,
    "docs": RootCause.DOCUMENTATION,
    "records": RootCause.DOCUMENTATION,
    "timely": RootCause.TIMELY_FILING,
    "cob": RootCause.COORDINATION_OF_BENEFITS,
    "necessity": RootCause.MEDICAL_NECESSITY,
    "noncovered": RootCause.NON_COVERED,
    "enrollment": RootCause.PROVIDER_ENROLLMENT,
    "credentialing": RootCause.PROVIDER_ENROLLMENT,
}

_WORD = re.compile(r"<[^<>]*>|\S+")
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_USER_ID = re.compile(r"^@?([UW][A-Z0-9]{6,})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$")
_PERIOD = re.compile(r"^(\d{1,3})\s*(d|days?|w|weeks?|m|months?|y|years?)$")
# One or two digits are a level, in range or not: `99` is a mistyped level, never a reference.
_LEVEL = re.compile(r"^(?:l|level|lvl)?(\d{1,2})$")


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # unescaped, except `<...>` Slack entities which are kept whole
    start: int  # where it starts in the command text (notes keep the person's spacing)


def split_words(text: str) -> list[Word]:
    return [
        Word(m.group() if m.group().startswith("<") else unescape(m.group()), m.start())
        for m in _WORD.finditer(text)
    ]


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def parse_amount(word: str) -> Decimal:
    """Dollars and cents, more than zero and within what is stored (`bot.domain.bounds`)."""
    return read_amount(word)


def looks_like_date(word: str) -> bool:
    return bool(_ISO.match(word) or _US.match(word)) or word.lower() in ("today", "yesterday")


def parse_date(word: str, today: date) -> date:
    """A day that has happened (today at the latest), at most two years ago."""
    lower = word.lower()
    if lower in ("today", "yesterday"):
        return today - timedelta(days=lower == "yesterday")
    day, year_given = written_date(word, today)
    if not year_given and day > today:
        day = day.replace(year=day.year - 1)
    if day > today:
        raise InputError(FUTURE_DATE.format(day=day.isoformat()))
    if day < today - MAX_AGE:
        raise InputError(OLD_DATE.format(day=day.isoformat()))
    return day


def written_date(word: str, today: date) -> tuple[date, bool]:
    """`2026-11-30`, `11/30/2026`, `11/30/26` or `11/30` (this year), and whether the year was
    written; InputError for anything else."""
    try:
        if iso := _ISO.match(word):
            return date(int(iso[1]), int(iso[2]), int(iso[3])), True
        if us := _US.match(word):
            year = int(us[3]) if us[3] else today.year
            return date(year + 2000 if year < 100 else year, int(us[1]), int(us[2])), bool(us[3])
    except ValueError:
        pass
    raise InputError(BAD_DATE.format(word=word))


def parse_mention(word: str) -> Mention:
    """`<@U123|maria>`, `<@U123>` or a bare user id; a plain `@maria` was not resolved by Slack."""
    found = _MENTION.match(word) or _USER_ID.match(word)
    if not found:
        raise InputError(NOT_A_USER.format(word=word))
    return Mention(found.group(1))


def is_mention(word: str) -> bool:
    return word.startswith(("@", "<@"))


def parse_days(word: str) -> int:
    if not word.isdigit() or int(word) > MAX_DAYS:
        raise InputError(BAD_DAYS.format(word=word))
    return int(word)


def parse_period(word: str) -> Span:
    found = _PERIOD.match(word.lower())
    if not found:
        raise InputError(BAD_PERIOD.format(word=word))
    count, unit = int(found[1]), found[2][0]
    if unit == "y":
        count, unit = count * 12, "m"
    if not 1 <= count <= PERIOD_LIMITS[unit]:
        raise InputError(BAD_PERIOD.format(word=word))
    return Span(count, "d" if unit == "d" else "w" if unit == "w" else "m")


def parse_cause(words: list[str]) -> RootCause:
    """A slug (`claim_data`), a label (`Timely filing`), a short word (`auth`), or the start of
    exactly one slug (`coord`)."""
    wanted = "_".join(w.lower() for w in words).replace("-", "_").strip("_")
    for cause in RootCause:
        if wanted in (cause.value, _slug(cause.label)):
            return cause
    if wanted in CAUSE_WORDS:
        return CAUSE_WORDS[wanted]
    starts = [cause for cause in RootCause if cause.value.startswith(wanted)] if wanted else []
    if len(starts) == 1:
        return starts[0]
    causes = ", ".join(f"`{cause.value}`" for cause in RootCause)
    raise InputError(BAD_CAUSE.format(word=" ".join(words) or "(nothing)", causes=causes))


def parse_level(word: str) -> str | None:
    """`1`..`5`, `L2`, `level2`, `reconsideration`, `redetermination`; None when the word is not
    about levels at all; InputError for a level number out of range (`7`, `L0`, `99`)."""
    lower = word.lower()
    for named in NAMED_LEVELS:
        if len(lower) >= 5 and named.startswith(lower):
            return named
    found = _LEVEL.match(lower)
    if not found:
        return None
    if not 1 <= int(found[1]) <= 5:
        raise InputError(BAD_LEVEL.format(word=word))
    return found[1]


def parse_method(word: str) -> str | None:
    lower = word.lower()
    aliases = {"edi": "electronic", "online": "portal", "web": "portal", "call": "phone"}
    lower = aliases.get(lower, lower)
    return lower if lower in METHODS else None


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
