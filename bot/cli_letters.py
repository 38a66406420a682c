"""`denials letter CLAIM [--out DIR] [--level N]`: the complete appeal letter, as files on
this machine. The terminal is the practice's own computer, so the letter is complete whatever
`DENIALS_PHI` says: the patient's details never leave it through this command."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.blocks.plain_text import render_text
from bot.bootstrap import Runtime
from bot.cli_reports import terminal_context
from bot.commands.answers import one_denial
from bot.commands.replies import Reply
from bot.config import PhiMode
from bot.errors import DenialsError
from bot.letters.compose import LetterTemplates
from bot.services.appeal_letters import AppealLetters, write_files

WROTE = "Appeal letter for claim {claim} ({level}, {template} template):"
BLANKS = "Fill in {count} blank(s) before sending (highlighted in the .docx, shaded in the .pdf)."
ENCLOSE = "Enclose:"
FAILED = "Could not write the letter into {folder}: {error}"


def letter_command(runtime: Runtime, claim: str, *, out: Path | None, level: int | None) -> int:
    context = terminal_context(runtime)
    match = one_denial(context, claim, "letter")
    if isinstance(match, Reply):  # no such claim, or several
        print(render_text(match.message.blocks) if match.message else claim, file=sys.stderr)
        return 1
    templates = LetterTemplates(runtime.settings.letter_templates)
    letters = AppealLetters(runtime.sessions, runtime.rulebook, templates)
    try:
        letter = letters.draft(
            match.denial_id,
            actor=context.actor.key,
            now=runtime.clock.now(),
            today=runtime.clock.today(),
            phi=PhiMode.FULL,
            to="file",
            level=level,
        )
    except DenialsError as refusal:
        print(refusal, file=sys.stderr)
        return 1
    folder = out or runtime.settings.letters_dir or Path.cwd()
    try:
        paths = write_files(letter, folder)
    except OSError as error:
        print(FAILED.format(folder=folder, error=error.strerror or error), file=sys.stderr)
        return 1
    template = "general" if letter.template.startswith("general") else letter.cause.label
    print(WROTE.format(claim=letter.claim_number, level=letter.level.name, template=template))
    for path in paths:
        print(f"  {path}")
    print(BLANKS.format(count=len(letter.blanks)))
    print(ENCLOSE)
    for item in letter.enclosures:
        print(f"  - {item}")
    return 0
