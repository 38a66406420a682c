"""The letter ready to fax or upload: a PDF drawn with ReportLab (pure Python, no system fonts).

The text font is DejaVu Serif from matplotlib's data (already a dependency), so names in any
Latin, Greek or Cyrillic script print as written; ReportLab's own Vera is the fallback. Blanks
are bracketed and shaded so a reviewer sees at once what staff still have to fill in. Output is
byte-for-byte repeatable for the same letter (`invariant`), and its properties hold no PHI.
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bot.letters import document as doc

FONT = "LetterSerif"
BLANK_SHADE = "#FFF59D"
FOOTER = "{title} · page {page}"
MARGIN = 0.9 * inch
_FACES = {"": "DejaVuSerif", "-Bold": "DejaVuSerif-Bold"}
_FALLBACK = {"": "Vera", "-Bold": "VeraBd"}


def pdf_bytes(document: doc.Document, *, title: str) -> bytes:
    """The letter as PDF bytes; `title` goes in the footer and the properties (no PHI in it)."""
    font = _font()
    styles = _styles(font)
    story: list[Flowable] = []
    for block in document.blocks:
        if isinstance(block, doc.Table):
            story.append(_table(block, styles))
        else:
            style = styles[block.style]
            prefix = "•&nbsp;&nbsp;" if block.style == "bullet" else ""
            story.append(Paragraph(prefix + _markup(block.runs), style))
        story.append(Spacer(1, 4))
    buffer = io.BytesIO()
    pages = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="denial-triage",
        subject="Appeal letter draft",
        creator="denial-triage",
        invariant=1,
    )

    def footer(canvas: Canvas, template: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.grey)
        text = FOOTER.format(title=title, page=canvas.getPageNumber())
        canvas.drawRightString(LETTER[0] - MARGIN, 0.5 * inch, text)
        canvas.restoreState()

    pages.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _markup(runs: tuple[doc.Run, ...], *, bold: bool = False) -> str:
    """ReportLab's paragraph markup: text escaped, bold, shaded blanks, kept line breaks."""
    parts = []
    for run in runs:
        text = escape(f"[{run.text}]" if run.blank else run.text).replace("\n", "<br/>")
        if run.bold or bold:
            text = f"<b>{text}</b>"
        if run.blank:
            text = f'<font backColor="{BLANK_SHADE}">{text}</font>'
        parts.append(text)
    return "".join(parts)


def _table(table: doc.Table, styles: dict[str, ParagraphStyle]) -> Table:
    cell_style = styles["cell"]
    rows = [
        [
            Paragraph(
                _markup(cell, bold=(table.header and number == 0) or (not table.header and i == 0)),
                cell_style,
            )
            for i, cell in enumerate(row)
        ]
        for number, row in enumerate(table.rows)
    ]
    width = LETTER[0] - 2 * MARGIN
    columns = max(len(row) for row in rows)
    widths = [width * 0.3, width * 0.7] if columns == 2 else None
    grid = Table(rows, colWidths=widths, repeatRows=1 if table.header else 0, hAlign="LEFT")
    commands: list[Any] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if table.header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")))
    grid.setStyle(TableStyle(commands))
    return grid


def _styles(font: str) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=14)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontSize=14, leading=18, spaceBefore=6),
        "heading": ParagraphStyle("heading", parent=body, fontSize=11.5, leading=15, spaceBefore=6),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=14, firstLineIndent=-9),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12),
    }


@lru_cache(maxsize=1)
def _font() -> str:
    """Register the letter's font family once; its name for the styles."""
    faces = _dejavu() or _vera()
    for suffix, path in faces.items():
        pdfmetrics.registerFont(TTFont(FONT + suffix, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT + "-Bold")
    return FONT


def _dejavu() -> dict[str, Path] | None:
    spec = find_spec("matplotlib")  # found without importing matplotlib itself
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    faces = {suffix: folder / f"{name}.ttf" for suffix, name in _FACES.items()}
    return faces if all(path.is_file() for path in faces.values()) else None


def _vera() -> dict[str, Path]:
    import reportlab  # always there: it is what draws the PDF

    folder = Path(reportlab.__file__).parent / "fonts"
    return {suffix: folder / f"{name}.ttf" for suffix, name in _FALLBACK.items()}
