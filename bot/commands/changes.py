"""Answers that change a denial: `appeal`, `outcome`, `assign`, `categorize`.

Each resolves the claim to one denial, calls one use case (one transaction, audited), and
replies with what changed; the listener then refreshes the card and notes it in its thread.
No version is passed: the person typed a command, they were not looking at an older card.
"""

from __future__ import annotations

from bot.blocks import ids
from bot.blocks.command_replies import done, outcome_recorded
from bot.blocks.modals import appeal_modal
from bot.commands.answers import one_denial, person
from bot.commands.replies import CommandContext, Reply
from bot.commands.requests import AppealRequest, AssignRequest, CategorizeRequest, OutcomeRequest
from bot.domain.bounds import AboveBilledError
from bot.domain.statuses import CLOSED
from bot.errors import ConflictError, InputError
from bot.services.appeals import Outcome
from bot.services.triage import CLOSED_FIRST, AppealForm

COMMAND = "/denials"
CONFIRM_ABOVE = "If the payer really paid that (interest, a corrected charge), say so: `{command}`."


def appeal(request: AppealRequest, ctx: CommandContext) -> Reply:
    match = one_denial(ctx, request.claim, "appeal")
    if isinstance(match, Reply):
        return match
    if match.status in CLOSED:
        raise ConflictError(CLOSED_FIRST.format(status=match.status.replace("_", " ")))
    ctx.appeals.check_can_appeal(match.denial_id)
    today = ctx.clock.today()
    if request.opens_form:
        modal = appeal_modal(
            ids.denial_ref(match.denial_id, match.version),
            match.claim_number,
            today=today,
            level_default=ctx.appeals.next_level(match.denial_id),
        )
        return Reply(modal=modal)
    if request.corrected:
        form = AppealForm(
            level="corrected",
            method=request.method,
            sent_on=request.sent_on or today,
            reference=request.reference,
            note=request.note,
            kind="corrected",
        )
    else:
        form = AppealForm(
            level=request.level or ctx.appeals.next_level(match.denial_id),
            method=request.method,
            sent_on=request.sent_on or today,
            reference=request.reference,
            note=request.note,
        )
    result = ctx.appeals.log_appeal(match.denial_id, None, form, ctx.actor, ctx.clock.now())
    return Reply(
        done(match.claim_number, result.note, card=result.post_id is not None), change=result
    )


def outcome(request: OutcomeRequest, ctx: CommandContext) -> Reply:
    match = one_denial(ctx, request.claim, "outcome")
    if isinstance(match, Reply):
        return match
    today = ctx.clock.today()
    decided = Outcome(
        request.result, request.decided_on or today, request.amount, confirmed=request.confirmed
    )
    try:
        result = ctx.appeals.record_outcome(
            match.denial_id, None, decided, ctx.actor, ctx.clock.now()
        )
    except AboveBilledError as above:
        amount = f"{request.amount}" if request.amount is not None else ""
        again = f"{COMMAND} outcome {request.claim} {request.result} {amount} confirm"
        raise InputError(f"{above} {CONFIRM_ABOVE.format(command=again)}") from None
    message = outcome_recorded(
        claim=result.claim_number,
        payer=result.payer_name,
        result=result.result,
        recovered=result.recovered,
        next_level=result.next_level,
        next_deadline=result.next_deadline,
        corrected=result.corrected,
        today=today,
    )
    return Reply(message, change=result.change)


def assign(request: AssignRequest, ctx: CommandContext) -> Reply:
    if request.to == "me":
        assignee: str | None = ctx.actor.user
    elif request.to == "nobody":
        assignee = None
    else:
        assignee = person(ctx, request.to)
    match = one_denial(ctx, request.claim, "assign")
    if isinstance(match, Reply):
        return match
    result = ctx.appeals.assign(match.denial_id, None, assignee, ctx.actor, ctx.clock.now())
    return Reply(
        done(match.claim_number, result.note, card=result.post_id is not None), change=result
    )


def categorize(request: CategorizeRequest, ctx: CommandContext) -> Reply:
    match = one_denial(ctx, request.claim, "categorize")
    if isinstance(match, Reply):
        return match
    result = ctx.appeals.set_category(
        match.denial_id, None, request.cause, ctx.actor, ctx.clock.now()
    )
    return Reply(
        done(match.claim_number, result.note, card=result.post_id is not None), change=result
    )
