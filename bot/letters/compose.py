"""Pick the templates for a denial and fill them: facts in, the letter's text and document out.

The practice's folder (`DENIALS_TEMPLATES`) is searched before the built-in templates, file by
file, so a practice can replace one root cause's letter, a frame, or `enclosures.yaml` alone.
Templates run in Jinja's sandbox with undefined names refused: a typo in a practice's template is
reported with its file and line, never printed as an empty string in a letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.blocks.text import long_date, money
from bot.domain.findings import RootCause
from bot.errors import InputError
from bot.letters.document import Document, as_value, blank, read_document, shown_text
from bot.letters.enclosures import Enclosures
from bot.letters.facts import MEDICARE_LEVELS, LetterFacts

BUILT_IN = "built-in"
PRACTICE = "DENIALS_TEMPLATES"
GENERAL = "general"
FRAME_FIRST = "frame_appeal.txt"
FRAME_NEXT = "frame_next_level.txt"
FRAME_MEDICARE_1 = "frame_medicare_redetermination.txt"
FRAME_MEDICARE_2 = "frame_medicare_reconsideration.txt"
MEDICARE_TOO_HIGH = (
    "Medicare's level {level} is not a letter: after a QIC reconsideration the next step is a "
    "hearing request to OMHA on its own form. Use the QIC's decision letter for the address."
)
TEMPLATE_BROKEN = (
    "The letter template {name} ({source}) has a problem at line {line}: {problem}. Fix it in "
    "{where}, or remove the file to use the built-in one."
)
TEMPLATE_MISSING = "No letter template {name} in {where} or the built-in set."


@dataclass(frozen=True, slots=True)
class Composed:
    text: str  # what a person reads: blanks as [[label]] (the golden files compare this)
    document: Document
    template: str  # the root cause's template file
    frame: str  # the level's frame file
    source: str  # "built-in", or "DENIALS_TEMPLATES" when the practice's file was used
    enclosures: tuple[str, ...]


class LetterTemplates:
    """The template set in force: the built-in files, with a practice's folder in front."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._environment: Any = None
        self._enclosures: Enclosures | None = None

    def compose(self, facts: LetterFacts) -> Composed:
        frame = frame_for(facts)
        environment = self._jinja()
        names = template_names(facts.cause, facts.level.number)
        import jinja2  # here: commands that never draft a letter do not pay for Jinja

        try:
            body = environment.select_template(names)
        except jinja2.TemplatesNotFound:
            raise InputError(TEMPLATE_MISSING.format(name=names[-1], where=PRACTICE)) from None
        except jinja2.TemplateSyntaxError as error:
            raise self._broken(error) from None
        enclosures = self.enclosures().for_letter(facts)
        try:
            filled = body.render(**context(facts, frame=frame, enclosures=enclosures))
        except jinja2.TemplateSyntaxError as error:
            raise self._broken(error) from None
        except (jinja2.TemplateError, TypeError, ValueError) as error:
            raise self._broken(error, name=str(body.name)) from None
        source = PRACTICE if self._from_practice(str(body.name)) else BUILT_IN
        return Composed(
            text=shown_text(filled).strip() + "\n",
            document=read_document(filled),
            template=str(body.name),
            frame=frame,
            source=source,
            enclosures=enclosures,
        )

    def enclosures(self) -> Enclosures:
        if self._enclosures is None:
            self._enclosures = Enclosures.load(self.folder)
        return self._enclosures

    def _from_practice(self, name: str) -> bool:
        return self.folder is not None and (self.folder / name).is_file()

    def _jinja(self) -> Any:
        if self._environment is None:
            from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, StrictUndefined
            from jinja2.sandbox import ImmutableSandboxedEnvironment

            loaders: list[Any] = [PackageLoader("bot.letters", "templates")]
            if self.folder is not None:
                loaders.insert(0, FileSystemLoader(str(self.folder)))
            environment = ImmutableSandboxedEnvironment(
                loader=ChoiceLoader(loaders),
                undefined=StrictUndefined,
                autoescape=False,
                keep_trailing_newline=True,
                trim_blocks=True,
                lstrip_blocks=True,
                finalize=_finalize,
            )
            environment.globals.update(blank=_Blank.of, money=money, long_date=long_date)
            self._environment = environment
        return self._environment

    def _broken(self, error: Exception, name: str | None = None) -> InputError:
        name = name or str(getattr(error, "name", None) or getattr(error, "filename", "") or "?")
        line = getattr(error, "lineno", None) or _line_of(error)
        problem = str(getattr(error, "message", None) or error).rstrip(".")
        where = f"{PRACTICE} ({self.folder})" if self.folder else "the built-in templates"
        source = PRACTICE if self._from_practice(Path(name).name) else BUILT_IN
        return InputError(
            TEMPLATE_BROKEN.format(
                name=Path(name).name, source=source, line=line or "?", problem=problem, where=where
            )
        )


def frame_for(facts: LetterFacts) -> str:
    """The level's frame: what the request is called and what the payer requires in it."""
    level = facts.level
    if level.medicare:
        if level.number > MEDICARE_LEVELS:
            raise InputError(MEDICARE_TOO_HIGH.format(level=level.number))
        return FRAME_MEDICARE_1 if level.number == 1 else FRAME_MEDICARE_2
    return FRAME_FIRST if level.number == 1 else FRAME_NEXT


def template_names(cause: RootCause, level: int) -> list[str]:
    """`authorization.level2.txt`, then `authorization.txt`, then `general.txt`."""
    body = GENERAL if cause is RootCause.OTHER else cause.value
    names = [f"{body}.level{level}.txt", f"{body}.txt"]
    return names if body == GENERAL else [*names, f"{GENERAL}.txt"]


def context(facts: LetterFacts, *, frame: str, enclosures: tuple[str, ...]) -> dict[str, Any]:
    """The names a template sees (documented in `templates/README.md`)."""
    return {
        "frame": frame,
        "facts": facts,
        "today": facts.today,
        "level": facts.level,
        "cause": facts.cause,
        "claim": facts,
        "payer": _Payer(facts),
        "patient": facts.patient,
        "rendering": facts.rendering,
        "billing": facts.billing,
        "lines": facts.lines,
        "reasons": facts.reasons,
        "remarks": facts.remarks,
        "prior_appeals": facts.prior_appeals,
        "last_decision": facts.last_decision,
        "enclosures": enclosures,
        "has_code": facts.has_code,
    }


@dataclass(frozen=True, slots=True)
class _Payer:
    facts: LetterFacts

    @property
    def name(self) -> str:
        return self.facts.payer_name

    @property
    def id(self) -> str | None:
        return self.facts.payer_id

    @property
    def mail(self) -> tuple[str, ...]:
        return self.facts.appeal_to.mail

    @property
    def fax(self) -> str | None:
        return self.facts.appeal_to.fax

    @property
    def portal(self) -> str | None:
        return self.facts.appeal_to.portal


class _Blank(str):
    """A blank for staff: the one kind of text `_finalize` leaves its markers on."""

    __slots__ = ()

    @classmethod
    def of(cls, label: str) -> _Blank:
        return cls(blank(str(label)))


def _finalize(value: object) -> object:
    """Every `{{ value }}`: dates and money in a letter's words, database text made inert."""
    if isinstance(value, _Blank):
        return value
    if value is None:
        raise ValueError("a value is empty: write `{{ value or blank('what staff fill in') }}`")
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, date):
        return long_date(value)
    return as_value(str(value))


def _line_of(error: Exception) -> int | None:
    """The template line a render error came from (Jinja keeps it in the traceback)."""
    traceback = error.__traceback__
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename.endswith(".txt"):
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line
