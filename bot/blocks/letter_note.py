"""What goes with an appeal letter draft in the card's thread, and the replies around it.

The note is the `initial_comment` of the file upload (plain mrkdwn text, no blocks): what the
draft is, what staff still have to do, what to enclose, and where the complete letter is when
this copy leaves the patient out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.blocks.text import clip, escape, long_date, plural

TITLE = ":memo: *Appeal letter draft* · claim {claim} · {level} · {template} template"
TO_DO = "Read it through, fill the {blanks} (highlighted in the .docx), sign, and send it{by}."
BY = " by {date}"
ENCLOSE = "*Enclose:*"
ENCLOSURE = "• {item}"
WITHOUT_PATIENT = (
    "The patient's name, birth date and member ID are blank in this copy: patient details stay "
    "out of Slack."
)
COMPLETE_SAVED = " The complete letter is saved on the bot's computer: {files}."
COMPLETE_COMMAND = (
    " For the complete letter run `denials letter {claim}` on the practice's computer."
)
LOG_WHEN_SENT = "Once it is sent, log it with *Log appeal* on the card."
POSTED_IN_THREAD = "The appeal letter draft for claim {claim} is in the card's thread."
POSTED_IN_DM = (
    "The appeal letter draft for claim {claim} is in your direct messages (it has no card)."
)
POSTED_IN_MODAL = (
    ":white_check_mark: Draft posted in the card's thread. Log the appeal here once it is sent."
)
POSTED_IN_MODAL_DM = (
    ":white_check_mark: Draft sent to you in a direct message. Log the appeal here once it is sent."
)
FAILED = "I couldn't post the letter ({reason}). Try again in a minute."
MAX_ENCLOSURES = 12


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterNote:
    claim_number: str
    level: str  # "Reconsideration (first-level appeal)", "Redetermination", ...
    template: str  # the root cause's label, "General" for the general letter
    blanks: int
    enclosures: Sequence[str]
    deadline: date | None
    without_patient: bool  # the patient's details were left blank in this copy
    saved_files: Sequence[str] = ()  # the complete letter's files, when the bot wrote them


def letter_comment(note: LetterNote) -> str:
    claim = escape(clip(note.claim_number, 80))
    lines = [
        TITLE.format(claim=claim, level=note.level, template=note.template),
        TO_DO.format(
            blanks=plural(note.blanks, "blank"),
            by=BY.format(date=long_date(note.deadline)) if note.deadline else "",
        ),
    ]
    if note.enclosures:
        lines.append(ENCLOSE)
        lines.extend(
            ENCLOSURE.format(item=escape(item)) for item in note.enclosures[:MAX_ENCLOSURES]
        )
    if note.without_patient:
        where = (
            COMPLETE_SAVED.format(files=", ".join(f"`{name}`" for name in note.saved_files))
            if note.saved_files
            else COMPLETE_COMMAND.format(claim=claim)
        )
        lines.append(WITHOUT_PATIENT + where)
    lines.append(LOG_WHEN_SENT)
    return "\n".join(lines)
