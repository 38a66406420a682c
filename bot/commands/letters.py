"""`/denials letter CLAIM [level]`: draft the appeal letter; the listener posts its files."""

from __future__ import annotations

from bot.commands.answers import one_denial
from bot.commands.replies import CommandContext, Reply
from bot.commands.requests import LetterRequest
from bot.errors import InputError

AT_THE_TERMINAL = "At the terminal, `denials letter {claim}` writes the complete letter to files."


def letter(request: LetterRequest, ctx: CommandContext) -> Reply:
    if ctx.letters is None:
        raise InputError(AT_THE_TERMINAL.format(claim=request.claim))
    match = one_denial(ctx, request.claim, "letter")
    if isinstance(match, Reply):
        return match
    draft = ctx.letters.draft_for_slack(
        match.denial_id,
        actor=ctx.actor.key,
        now=ctx.clock.now(),
        today=ctx.clock.today(),
        phi=ctx.phi,
        letters_dir=ctx.letters_dir,
        level=request.level,
    )
    return Reply(letter=draft)
