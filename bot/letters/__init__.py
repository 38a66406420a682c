"""Appeal letters: facts in, a letter out (text, .docx, .pdf). Pure: no database, no Slack.

Templates are data (`templates/`, overridable from `DENIALS_TEMPLATES`); `compose.py` picks and
fills them, `document.py` reads the filled text into paragraphs, and `docx_file.py` and
`pdf_file.py` write the two files staff edit, fax or upload.
"""
