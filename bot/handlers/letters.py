"""Draft an appeal letter from Slack: the card's ⋯ menu, the Log appeal form, `/denials letter`.

The draft (.docx and .pdf) is posted in the card's thread, or in the person's DM when the
denial has no card. Under `DENIALS_PHI=minimal` that copy leaves the patient out; when
`DENIALS_LETTERS_DIR` is set the complete letter is also written there, on the bot's machine.
"""

from __future__ import annotations

import logging
from typing import Literal

from slack_bolt import App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import ids
from bot.blocks.letter_note import (
    FAILED,
    POSTED_IN_MODAL,
    POSTED_IN_MODAL_DM,
    LetterNote,
    letter_comment,
)
from bot.blocks.modals import with_letter_note
from bot.deps import Deps
from bot.domain.actor import Actor
from bot.errors import DenialsError
from bot.handlers.feedback import refuse
from bot.handlers.listen import on_click
from bot.services.appeal_letters import SlackDraft
from bot.slack.advice import explain
from bot.slack.payloads import Click

log = logging.getLogger(__name__)

NOT_A_CARD = "This button is not on a card I know. Nothing was drafted."
GENERAL = "General"


def register(app: App, deps: Deps) -> None:
    @on_click(app, ids.DRAFT_LETTER_BUTTON)
    def draft_in_form(click: Click, respond: Respond) -> None:
        deps.after_ack(lambda: _draft_in_form(deps, click))


def draft_from_card(deps: Deps, click: Click, respond: Respond) -> None:
    """The card's ⋯ "Draft appeal letter": post the draft in the card's thread, or say why not."""
    if click.ref is None:
        refuse(respond, NOT_A_CARD)
        return
    try:
        deliver_letter(deps, click.ref.id, deps.actor(click.user))
    except DenialsError as refusal:
        refuse(respond, str(refusal))
    except SlackApiError as error:
        refuse(respond, FAILED.format(reason=explain(error)))


def deliver_letter(deps: Deps, denial_id: int, actor: Actor) -> Literal["thread", "dm"]:
    """Draft (audited), keep the complete copy where configured, post the draft in Slack."""
    settings, clock = deps.settings, deps.clock
    draft = deps.letters.draft_for_slack(
        denial_id,
        actor=actor.key,
        now=clock.now(),
        today=clock.today(),
        phi=settings.phi,
        letters_dir=settings.letters_dir,
    )
    return post_letter(deps.client, draft, user=actor.user)


def post_letter(client: WebClient, draft: SlackDraft, *, user: str) -> Literal["thread", "dm"]:
    """Both files in one message: in the card's thread, or the person's DM when no card."""
    letter = draft.letter
    comment = letter_comment(
        LetterNote(
            claim_number=letter.claim_number,
            level=letter.level.name,
            template=GENERAL if letter.template.startswith("general") else letter.cause.label,
            blanks=len(letter.blanks),
            enclosures=letter.enclosures,
            deadline=letter.deadline,
            without_patient=draft.without_patient,
            saved_files=draft.saved_files,
            on_card=letter.card is not None,
        )
    )
    if letter.card is not None:
        channel, thread_ts = letter.card.channel, letter.card.ts
    else:
        opened = client.conversations_open(users=user)
        channel, thread_ts = str(opened["channel"]["id"]), None
    client.files_upload_v2(
        file_uploads=[
            {"file": item.content, "filename": item.name, "title": item.title}
            for item in letter.files
        ],
        channel=channel,
        thread_ts=thread_ts,
        initial_comment=comment,
    )
    return "thread" if thread_ts else "dm"


def _draft_in_form(deps: Deps, click: Click) -> None:
    """The Log appeal form's button: draft, then say in the form where the draft went."""
    try:
        if click.ref is None:
            note = NOT_A_CARD
        else:
            place = deliver_letter(deps, click.ref.id, deps.actor(click.user))
            note = POSTED_IN_MODAL if place == "thread" else POSTED_IN_MODAL_DM
    except DenialsError as refusal:
        note = str(refusal)
    except SlackApiError as error:
        note = FAILED.format(reason=explain(error))
    if click.form is None:
        return
    try:
        deps.client.views_update(
            view_id=click.form.id,
            hash=click.form.hash,
            view=with_letter_note(click.form.view, note),
        )
    except SlackApiError as error:  # the form was closed or changed meanwhile: nothing to show
        log.info("could not update the appeal form: %s", explain(error))
