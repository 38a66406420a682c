"""The note posted with an appeal letter draft: read on a phone between calls."""

from __future__ import annotations

from datetime import date

from bot.blocks.letter_note import LetterNote, letter_comment


def note(**changes: object) -> LetterNote:
    values: dict[str, object] = {
        "claim_number": "5101Z88001",
        "level": "Reconsideration (first-level appeal)",
        "template": "Authorization",
        "blanks": 15,
        "enclosures": ("Copy of the remittance advice", "The authorization approval"),
        "deadline": date(2027, 4, 13),
        "without_patient": True,
    }
    return LetterNote(**{**values, **changes})  # type: ignore[arg-type]


def test_the_claim_the_send_by_date_and_what_to_enclose_come_first() -> None:
    assert letter_comment(note()).splitlines() == [
        ":memo: *Appeal letter draft · claim 5101Z88001*",
        "Reconsideration (first-level appeal) · Authorization letter",
        "*Send it by Apr 13, 2027.* Read it, fill the 15 blanks (highlighted in the .docx) and "
        "sign it.",
        "*Enclose:*",
        "• Copy of the remittance advice",
        "• The authorization approval",
        ":lock: The patient's name, birth date and member ID are blank in this copy, to keep them "
        "out of Slack. For the complete letter, run `denials letter 5101Z88001` on the "
        "practice's computer.",
        "Once it is sent, log it with *Log appeal* on the card.",
    ]


def test_without_a_deadline_a_card_or_the_patient_left_out() -> None:
    lines = letter_comment(
        note(deadline=None, enclosures=(), without_patient=False, on_card=False, blanks=1)
    ).splitlines()
    assert lines[2] == "Read it, fill the 1 blank (highlighted in the .docx), sign it and send it."
    assert "*Enclose:*" not in lines
    assert not any("out of Slack" in line for line in lines)
    # a draft sent in a direct message has no card to click: the command instead
    assert lines[-1] == "Once it is sent, log it with `/denials appeal 5101Z88001`."


def test_the_complete_letter_saved_by_the_bot_is_named() -> None:
    text = letter_comment(note(saved_files=("a.docx", "a.pdf")))
    assert "The complete letter is on the bot's computer: `a.docx`, `a.pdf`." in text
    assert "denials letter" not in text
