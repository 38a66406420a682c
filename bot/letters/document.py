"""The filled-in template read as a document: paragraphs, headings, bullets, tables, blanks.

Templates are plain text a practice can edit, with four conventions (see `templates/README.md`):
a blank line between paragraphs (a paragraph's own line breaks are kept, as in an address),
`## ` for a heading, `- ` for a bullet, and `| a | b |` rows for a table (a `|---|` row after the
first makes it a header). `**words**` are bold. A blank for staff to fill comes from `blank()`
in the template and is carried by two private-use characters no database value can contain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

BLANK_OPEN, BLANK_CLOSE = "\ue000", "\ue001"
STAR = "\ue002"  # a literal * from the database, so it never turns text bold
PIPE = "\ue003"  # a literal | from the database, so it never splits a table cell
_BLANK_SHOWN = "[[{label}]]"
_RUN = re.compile(rf"{BLANK_OPEN}([^{BLANK_CLOSE}]*){BLANK_CLOSE}|\*\*(.+?)\*\*", re.DOTALL)
_RULE = re.compile(r"^\|\s*:?-{3,}")

Style = Literal["title", "heading", "body", "bullet"]
_MARKERS: dict[str, Style] = {"#": "title", "##": "heading", "-": "bullet"}


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False
    blank: bool = False  # a marked blank: staff fill it in

    @property
    def shown(self) -> str:
        return _BLANK_SHOWN.format(label=self.text) if self.blank else self.text


@dataclass(frozen=True, slots=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: Style = "body"

    @property
    def text(self) -> str:
        return "".join(run.shown for run in self.runs)


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    header: bool = False


Block = Paragraph | Table


@dataclass(frozen=True, slots=True)
class Document:
    blocks: tuple[Block, ...]

    @property
    def blanks(self) -> tuple[str, ...]:
        """Every blank left for staff, in reading order, once each."""
        found: dict[str, None] = {}
        for block in self.blocks:
            rows = block.rows if isinstance(block, Table) else ((block.runs,),)
            for row in rows:
                for cell in row:
                    found.update((run.text, None) for run in cell if run.blank)
        return tuple(found)


def blank(label: str) -> str:
    """What a template's `blank("authorization number")` puts in the text."""
    return f"{BLANK_OPEN}{label}{BLANK_CLOSE}"


def shown_text(filled: str) -> str:
    """The filled template as a person reads it: blanks as `[[label]]` (the golden files)."""
    text = re.sub(
        rf"{BLANK_OPEN}([^{BLANK_CLOSE}]*){BLANK_CLOSE}",
        lambda m: _BLANK_SHOWN.format(label=m.group(1)),
        filled,
    )
    return _plain(text)


def read_document(filled: str) -> Document:
    """The blocks of a filled template; blank lines separate them."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", filled.strip("\n")):
        lines = [line.rstrip() for line in chunk.strip("\n").splitlines() if line.strip()]
        if lines:
            blocks.extend(_blocks(lines))
    return Document(tuple(blocks))


def _blocks(lines: list[str]) -> list[Block]:
    """One chunk may hold a heading, bullets and a table one after another."""
    blocks: list[Block] = []
    prose: list[str] = []

    def flush() -> None:
        if prose:
            blocks.append(Paragraph(runs("\n".join(prose))))
            prose.clear()

    index = 0
    while index < len(lines):
        line = lines[index].lstrip()
        if line.startswith("|"):
            flush()
            end = index
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            blocks.append(_table([row.strip() for row in lines[index:end]]))
            index = end
            continue
        if line.startswith(("# ", "## ", "- ")):
            flush()
            marker, _, rest = line.partition(" ")
            blocks.append(Paragraph(runs(rest.strip()), _MARKERS[marker]))
        else:
            prose.append(lines[index])
        index += 1
    flush()
    return blocks


def _table(rows: list[str]) -> Table:
    header = len(rows) > 1 and bool(_RULE.match(rows[1]))
    kept = [row for number, row in enumerate(rows) if not (header and number == 1)]
    cells = tuple(tuple(runs(cell.strip()) for cell in row.strip("|").split("|")) for row in kept)
    return Table(cells, header=header)


def runs(text: str) -> tuple[Run, ...]:
    """Plain text, `**bold**` and blanks, in order."""
    found: list[Run] = []
    position = 0
    for match in _RUN.finditer(text):
        if match.start() > position:
            found.append(Run(_plain(text[position : match.start()])))
        if match.group(1) is not None:
            found.append(Run(_plain(match.group(1)), blank=True))
        else:
            found.extend(Run(run.text, bold=True, blank=run.blank) for run in runs(match.group(2)))
        position = match.end()
    if position < len(text):
        found.append(Run(_plain(text[position:])))
    return tuple(found)


def as_value(text: str) -> str:
    """A database value made inert: it can never open a blank, turn bold or split a cell."""
    for mark in (BLANK_OPEN, BLANK_CLOSE, STAR, PIPE):
        text = text.replace(mark, "")
    return text.replace("*", STAR).replace("|", PIPE)


def _plain(text: str) -> str:
    return text.replace(STAR, "*").replace(PIPE, "|")
