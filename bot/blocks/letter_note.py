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

# Read between patient calls, often on a phone: the claim first, the date that matters in bold,
# then what to enclose; the patient-data note and the next step last.
TITLE = ":memo: *Appeal letter draft · claim {claim}*"
KIND = "{level} · {template} letter"
TO_DO = "Read it, fill the {blanks} (highlighted in the .docx), sign it and send it."
TO_DO_BY = "*Send it by {date}.* Read it, fill the {blanks} (highlighted in the .docx) and sign it."
ENCLOSE = "*Enclose:*"
ENCLOSURE = "• {item}"
WITHOUT_PATIENT = (
    ":lock: The patient's name, birth date and member ID are blank in this copy, to keep them "
    "out of Slack."
)
COMPLETE_SAVED = " The complete letter is on the bot's computer: {files}."
COMPLETE_COMMAND = (
    " For the complete letter, run `denials letter {claim}` on the practice's computer."
)
LOG_WHEN_SENT = "Once it is sent, log it with *Log appeal* on the card."
LOG_WHEN_SENT_NO_CARD = "Once it is sent, log it with `/denials appeal {claim}`."
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
    on_card: bool = True  # posted in the card's thread (else in a direct message)


def letter_comment(note: LetterNote) -> str:
    claim = escape(clip(note.claim_number, 80))
    blanks = plural(note.blanks, "blank")
    lines = [
        TITLE.format(claim=claim),
        KIND.format(level=note.level, template=note.template),
        TO_DO_BY.format(date=long_date(note.deadline), blanks=blanks)
        if note.deadline
        else TO_DO.format(blanks=blanks),
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
    lines.append(LOG_WHEN_SENT if note.on_card else LOG_WHEN_SENT_NO_CARD.format(claim=claim))
    return "\n".join(lines)
