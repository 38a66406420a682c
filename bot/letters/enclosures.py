"""What to enclose with an appeal, per root cause and level (`templates/enclosures.yaml`).

A practice's `enclosures.yaml` in `DENIALS_TEMPLATES` replaces the lists it names and keeps the
others. Every problem is a ValueError naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from bot.domain.findings import RootCause
from bot.letters.facts import LetterFacts

FILE_NAME = "enclosures.yaml"
ALWAYS = "always"  # every letter
NEXT_LEVEL = "next_level"  # a second or later level, after a decision against us
MEDICARE_RECONSIDERATION = "medicare_reconsideration"
KEYS = frozenset(
    {ALWAYS, NEXT_LEVEL, MEDICARE_RECONSIDERATION, *(cause.value for cause in RootCause)}
)


@dataclass(frozen=True, slots=True)
class Enclosures:
    lists: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls, folder: Path | None = None) -> Enclosures:
        built_in = resources.files("bot.letters.templates").joinpath(FILE_NAME)
        lists = read_enclosures(built_in.read_text("utf-8"), source=FILE_NAME)
        override = folder / FILE_NAME if folder is not None else None
        if override is not None and override.is_file():
            try:
                text = override.read_text("utf-8-sig")
            except OSError as error:
                raise ValueError(f"{override}: cannot read the file ({error})") from error
            lists.update(read_enclosures(text, source=str(override)))
        return cls(lists)

    def for_letter(self, facts: LetterFacts) -> tuple[str, ...]:
        """The root cause's list after what every letter encloses, and the level's additions."""
        keys = [ALWAYS, facts.cause.value]
        if facts.level.number > 1:
            medicare_qic = facts.level.medicare and facts.level.number == 2
            keys.append(MEDICARE_RECONSIDERATION if medicare_qic else NEXT_LEVEL)
        items: dict[str, None] = {}
        for key in keys:
            items.update((item, None) for item in self.lists.get(key, ()))
        return tuple(items)


def read_enclosures(text: str, *, source: str) -> dict[str, tuple[str, ...]]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(f"{source}: not valid YAML ({error})") from error
    if not isinstance(document, dict):
        raise ValueError(f"{source}: expected lists under keys like 'always:' or 'coding:'")
    lists: dict[str, tuple[str, ...]] = {}
    for key, items in document.items():
        if key not in KEYS:
            allowed = ", ".join(sorted(KEYS))
            raise ValueError(f"{source}: key '{key}' is not known (allowed: {allowed})")
        if not isinstance(items, list) or not all(
            isinstance(item, str) and item.strip() for item in items
        ):
            raise ValueError(f"{source}: '{key}' must be a list of text lines")
        lists[str(key)] = tuple(" ".join(item.split()) for item in items)
    return lists
