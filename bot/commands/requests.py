"""Typed requests the `/denials` grammar produces, and the error that says what was wrong.

Parsers turn words into one of these or raise `InputError`; the table adds the subcommand's usage
before anyone sees it. Nothing here reads the database or talks to Slack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from bot.domain.findings import RootCause
from bot.domain.trend_periods import Dimension, Span

DEFAULT_DUE_DAYS = 14
Result = Literal["won", "lost", "partial"]


@dataclass(frozen=True, slots=True)
class Mention:
    """A Slack user id from `<@U123|name>` (or a bare id); still to be checked with users.info."""

    user_id: str


Who = Literal["mine", "unassigned"] | Mention | None


@dataclass(frozen=True, slots=True)
class DueRequest:
    days: int = DEFAULT_DUE_DAYS
    who: Who = None


@dataclass(frozen=True, slots=True)
class AppealRequest:
    """`appeal CLAIM [level] [method] [reference] [note]`; only CLAIM opens the form."""

    claim: str
    level: str | None = None  # "1".."5", "reconsideration", "redetermination"
    method: str | None = None  # portal, fax, mail, electronic, phone
    reference: str | None = None
    note: str | None = None
    sent_on: date | None = None  # today when not given
    corrected: bool = False  # `appeal CLAIM corrected`: a corrected claim was resubmitted

    @property
    def opens_form(self) -> bool:
        return (
            not (self.level or self.method or self.reference or self.note or self.sent_on)
            and not self.corrected
        )


@dataclass(frozen=True, slots=True)
class OutcomeRequest:
    claim: str
    result: Result
    amount: Decimal | None = None
    decided_on: date | None = None  # today when not given
    confirmed: bool = False  # `confirm`: an amount above what was billed is right


@dataclass(frozen=True, slots=True)
class TrendsRequest:
    span: Span
    dimension: Dimension = "category"


@dataclass(frozen=True, slots=True)
class PatternsRequest:
    pattern: str | None = None  # its number in the list, or words of its name


@dataclass(frozen=True, slots=True)
class FindRequest:
    claim: str


@dataclass(frozen=True, slots=True)
class AssignRequest:
    claim: str
    to: Literal["me", "nobody"] | Mention


@dataclass(frozen=True, slots=True)
class CategorizeRequest:
    claim: str
    cause: RootCause


@dataclass(frozen=True, slots=True)
class LetterRequest:
    """`letter CLAIM [level]`: draft the appeal letter; the level is the next one unless given."""

    claim: str
    level: int | None = None


@dataclass(frozen=True, slots=True)
class HelpRequest:
    topic: str | None = None  # a subcommand name: its usage and an example
    unknown: str | None = None  # the word we did not understand, when help is the fallback


Request = (
    DueRequest
    | AppealRequest
    | OutcomeRequest
    | TrendsRequest
    | FindRequest
    | AssignRequest
    | CategorizeRequest
    | LetterRequest
    | HelpRequest
)
