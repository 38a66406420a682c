"""The editable letter: a .docx staff open in Word or LibreOffice, fill the blanks, sign.

Blanks are highlighted in yellow so none is missed; the document's properties carry the claim
and never the patient (they travel with the file and show in file browsers).
"""

from __future__ import annotations

import io

from docx import Document as NewDocx
from docx.document import Document as Docx
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from bot.letters.document import Document, Run, Table

FONT = "Times New Roman"
FONT_SIZE = Pt(11)
STYLES = {"title": "Title", "heading": "Heading 2", "bullet": "List Bullet", "body": None}
AUTHOR = "denial-triage"


def docx_bytes(document: Document, *, title: str) -> bytes:
    """The letter as .docx bytes; `title` goes in the file's properties (no PHI in it)."""
    out = NewDocx()
    normal = out.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = FONT_SIZE
    properties = out.core_properties
    properties.title, properties.author, properties.last_modified_by = title, AUTHOR, AUTHOR
    properties.comments = "Fill in the highlighted blanks before sending."
    for block in document.blocks:
        if isinstance(block, Table):
            _table(out, block)
        else:
            _write_runs(out.add_paragraph(style=STYLES[block.style]), block.runs)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _table(out: Docx, table: Table) -> None:
    columns = max(len(row) for row in table.rows)
    grid = out.add_table(rows=len(table.rows), cols=columns)
    grid.style = "Table Grid"
    for row_number, row in enumerate(table.rows):
        for column, cell_runs in enumerate(row):
            cell: _Cell = grid.cell(row_number, column)
            bold = table.header and row_number == 0
            if not table.header and column == 0:
                bold = True  # a key column: "Claim number | 5101Z88001"
            runs = tuple(Run(r.text, bold=r.bold or bold, blank=r.blank) for r in cell_runs)
            _write_runs(cell.paragraphs[0], runs)


def _write_runs(paragraph: DocxParagraph, runs: tuple[Run, ...]) -> None:
    for run in runs:
        text = f"[{run.text}]" if run.blank else run.text
        for number, line in enumerate(text.split("\n")):
            if number:
                paragraph.add_run().add_break()
            written = paragraph.add_run(line)
            written.bold = run.bold or None
            if run.blank:
                written.font.highlight_color = WD_COLOR_INDEX.YELLOW
