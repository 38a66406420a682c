"""`/denials`: acknowledge at once, answer through the subcommand table, then do the Slack part
of the reply (respond, open the form, refresh the card, upload the chart).

Replies are ephemeral unless the person added `share`; errors and refusals always are.
"""

from __future__ import annotations

import logging
from functools import cached_property
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.letter_note import FAILED, POSTED_IN_DM, POSTED_IN_THREAD
from bot.blocks.trend_chart import ChartFile
from bot.commands.replies import CommandContext, Reply
from bot.commands.table import answer
from bot.deps import Deps
from bot.handlers.feedback import refuse, show_change
from bot.handlers.letters import post_letter
from bot.services.appeal_letters import SlackDraft
from bot.services.appeals import Appeals
from bot.slack.advice import error_code, explain
from bot.slack.payloads import SlackUser, SlashCommand

log = logging.getLogger(__name__)

FORM_FAILED = "I couldn't open the form ({reason}). Run the command again."
CHART_FAILED = "The summary is above, but I couldn't send the chart ({reason})."


def register(app: App, deps: Deps) -> None:
    wiring = Wiring(deps)

    @app.command("/denials")
    def denials(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack()
        asked = SlashCommand.parse(command)
        deps.after_ack(lambda: _answer(deps, wiring, asked, respond), respond)


def _answer(deps: Deps, wiring: Wiring, asked: SlashCommand, respond: Respond) -> None:
    send(deps, asked, respond, answer(asked.text, wiring.context(asked.user)))


class Wiring:
    """What the command needs beyond `Deps`, built on first use and kept (the members cache
    lives here); `register` itself only wires, so it runs without a database."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    @cached_property
    def appeals(self) -> Appeals:
        deps = self._deps
        return Appeals(deps.sessions, deps.settings.managers, deps.rulebook.payer_rules)

    def context(self, who: SlackUser) -> CommandContext:
        deps = self._deps
        return CommandContext(
            sessions=deps.sessions,
            rulebook=deps.rulebook,
            clock=deps.clock,
            appeals=self.appeals,
            actor=deps.actor(who),
            people=deps.people,
            phi=deps.settings.phi,
            letters=deps.letters,
            letters_dir=deps.settings.letters_dir,
            work=deps.work,
        )


def send(deps: Deps, asked: SlashCommand, respond: Respond, reply: Reply) -> None:
    if reply.modal is not None:  # first: the trigger lives three seconds
        try:
            deps.client.views_open(trigger_id=asked.trigger_id, view=reply.modal)
        except SlackApiError as error:
            refuse(respond, FORM_FAILED.format(reason=explain(error)))
    if reply.message is not None:
        respond(
            text=reply.message.text,
            blocks=reply.message.blocks,
            response_type="in_channel" if reply.share else "ephemeral",
        )
    if reply.change is not None:
        show_change(deps, reply.change.post_id, reply.change.note)
    if reply.new_card is not None:
        deps.poster.post_now(reply.new_card)
    if reply.chart is not None:
        upload_chart(deps.client, asked, respond, reply.chart, share=reply.share)
    if reply.letter is not None:
        send_letter(deps.client, asked, respond, reply.letter)


def send_letter(
    client: WebClient, asked: SlashCommand, respond: Respond, draft: SlackDraft
) -> None:
    """The files in the card's thread (or the DM), then a word to the person where they are."""
    claim = draft.letter.claim_number
    try:
        place = post_letter(client, draft, user=asked.user.user)
    except SlackApiError as error:
        log.warning("appeal letter upload failed: %s", error_code(error))
        refuse(respond, FAILED.format(reason=explain(error)))
        return
    text = (POSTED_IN_THREAD if place == "thread" else POSTED_IN_DM).format(claim=claim)
    respond(text=text, response_type="ephemeral", replace_original=False)


def upload_chart(
    client: WebClient, asked: SlashCommand, respond: Respond, chart: ChartFile, *, share: bool
) -> None:
    """In the channel when shared; otherwise in the person's DM (a file can't be ephemeral)."""
    try:
        if share:
            channel = asked.channel
        else:
            opened = client.conversations_open(users=asked.user.user)
            channel = str(opened["channel"]["id"])
        client.files_upload_v2(
            channel=channel,
            file=chart.content,
            filename=chart.filename,
            title=chart.title,
            initial_comment=chart.comment,
        )
    except SlackApiError as error:
        log.warning("trend chart upload failed: %s", error_code(error))
        refuse(respond, CHART_FAILED.format(reason=explain(error)))
