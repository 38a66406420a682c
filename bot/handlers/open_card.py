"""[Open] on a due list or a grouped card: the denial's own card, just for the person asking."""

from __future__ import annotations

from slack_bolt import Respond

from bot.blocks.denial_card import denial_card
from bot.deps import Deps
from bot.handlers.feedback import refuse
from bot.presenters.card_views import denial_view
from bot.services.triage import GONE
from storage.models import Denial


def show_card(deps: Deps, respond: Respond, denial_id: int) -> None:
    with deps.sessions() as session:
        denial = session.get(Denial, denial_id)
        if denial is None:
            refuse(respond, GONE)
            return
        view = denial_view(
            session,
            denial,
            table=deps.rulebook.root_causes,
            zone=deps.clock.zone,
            phi=deps.settings.phi,
        )
    message = denial_card(view, today=deps.clock.today())
    respond(
        text=message.text,
        blocks=message.blocks,
        response_type="ephemeral",
        replace_original=False,
    )
