"""The .docx and .pdf open and hold the claim's facts: read back with python-docx and pypdf."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfReader

from bot.letters.compose import LetterTemplates
from bot.letters.document import Paragraph, Table, blank, read_document
from bot.letters.docx_file import docx_bytes
from bot.letters.pdf_file import pdf_bytes
from tests.unit.letter_facts import PATIENT, make_facts

TITLE = "Appeal letter draft · claim 5101Z88001 · reconsideration"
FACTS_IN_THE_LETTER = (
    "5101Z88001",
    "26014000000002",
    "Oct 1, 2026",
    "99213-25",
    "$420.00",
    "LEE, DANA",
    "1497758544",
    "CO-197",
    "Aetna",
)


@pytest.fixture(scope="module")
def composed():  # type: ignore[no-untyped-def]
    return LetterTemplates().compose(make_facts())


def docx_text(content: bytes) -> tuple[str, docx.document.Document]:
    opened = docx.Document(io.BytesIO(content))
    parts = [p.text for p in opened.paragraphs]
    for table in opened.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts), opened


def pdf_text(content: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), reader  # lines wrap anywhere: compare words


def test_the_docx_opens_and_holds_the_claims_facts(composed) -> None:  # type: ignore[no-untyped-def]
    text, opened = docx_text(docx_bytes(composed.document, title=TITLE))

    for fact in (*FACTS_IN_THE_LETTER, PATIENT.name, PATIENT.member_id):
        assert fact in text
    assert opened.core_properties.title == TITLE
    assert PATIENT.name not in (opened.core_properties.title or "")


def test_docx_blanks_are_highlighted_for_staff(composed) -> None:  # type: ignore[no-untyped-def]
    _, opened = docx_text(docx_bytes(composed.document, title=TITLE))
    highlighted = [
        run.text
        for paragraph in opened.paragraphs
        for run in paragraph.runs
        if run.font.highlight_color is not None
    ]

    assert "[authorization number]" in highlighted
    assert "[signature]" in highlighted


def test_the_pdf_opens_and_holds_the_claims_facts(composed) -> None:  # type: ignore[no-untyped-def]
    text, reader = pdf_text(pdf_bytes(composed.document, title=TITLE))

    for fact in (*FACTS_IN_THE_LETTER, PATIENT.name, PATIENT.member_id):
        assert fact in text
    assert "[authorization number]" in text
    assert reader.metadata is not None
    assert reader.metadata.title == TITLE
    assert text.count("page ") == len(reader.pages)  # the footer on every page


def test_the_pdf_is_the_same_bytes_for_the_same_letter(composed) -> None:  # type: ignore[no-untyped-def]
    assert pdf_bytes(composed.document, title=TITLE) == pdf_bytes(composed.document, title=TITLE)


def test_files_without_phi_hold_no_patient_details() -> None:
    composed = LetterTemplates().compose(make_facts().without_phi())

    for content, read in (
        (docx_bytes(composed.document, title=TITLE), docx_text),
        (pdf_bytes(composed.document, title=TITLE), pdf_text),
    ):
        text, _ = read(content)  # type: ignore[operator]
        assert PATIENT.name not in text
        assert PATIENT.member_id not in text
        assert "patient name" in text


def test_names_outside_latin_1_print_as_written() -> None:
    composed = LetterTemplates().compose(make_facts(payer_name="Zdravotní pojišťovna Łódź"))
    text, _ = pdf_text(pdf_bytes(composed.document, title=TITLE))

    assert "Zdravotní pojišťovna Łódź" in text


def test_reading_the_markup() -> None:
    filled = (
        "# Title\n\n"
        f"Line one **bold {blank('a blank')}**\nline two\n\n"
        "## Heading\n- first\n- second\n\n"
        "| A | B |\n|---|---|\n| 1 | 2 |\n"
    )
    blocks = read_document(filled).blocks

    assert [b.style for b in blocks if isinstance(b, Paragraph)] == [
        "title",
        "body",
        "heading",
        "bullet",
        "bullet",
    ]
    body = blocks[1]
    assert isinstance(body, Paragraph)
    assert body.text == "Line one bold [[a blank]]\nline two"
    assert [(r.bold, r.blank) for r in body.runs] == [
        (False, False),
        (True, False),
        (True, True),
        (False, False),
    ]
    table = blocks[-1]
    assert isinstance(table, Table)
    assert table.header
    assert len(table.rows) == 2
