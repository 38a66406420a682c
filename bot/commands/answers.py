"""Answers that read: `due`, `find`, `history`, `trends`, `patterns`; and the claim lookup
every claim command uses."""

from __future__ import annotations

from bot.blocks.command_replies import MatchView, ambiguous, not_found, similar
from bot.blocks.denial_card import denial_card
from bot.blocks.due_list import due_list
from bot.blocks.history import history_message
from bot.blocks.pattern_chart import pattern_chart
from bot.blocks.patterns import not_found_message, pattern_detail_message, patterns_message
from bot.blocks.text import mention
from bot.blocks.trend_chart import trend_chart
from bot.blocks.trends import ChartPlace, trends_message
from bot.commands.replies import CommandContext, Reply
from bot.commands.requests import (
    DueRequest,
    FindRequest,
    Mention,
    PatternsRequest,
    TrendsRequest,
)
from bot.errors import InputError
from bot.services.card_reads import CardReads
from bot.services.claim_search import lookup_claim
from bot.services.due import DueFilter, due_view
from bot.services.history import claim_work_histories, denial_history
from bot.services.patterns import pattern_detail, patterns_view
from bot.services.trends import trends_report

NOT_A_PERSON = (
    "{who} is not a person in this workspace (a bot, deactivated, or unknown). "
    "Pick someone from the @ menu."
)


def one_denial(ctx: CommandContext, claim: str, verb: str) -> MatchView | Reply:
    """The one denial `claim` names; or, when it names none or several, the reply that lists
    the matches or the closest claim numbers (the command answers with it as it is)."""
    found = lookup_claim(ctx.sessions, claim)
    if found.one is not None:
        return found.one
    if found.matches:
        return Reply(ambiguous(claim, verb, found.matches), ok=False)
    if found.similar and found.hint == claim:
        return Reply(similar(claim, found.similar), ok=False)
    return Reply(not_found(claim, found.hint, found.similar), ok=False)


def person(ctx: CommandContext, who: Mention) -> str:
    """The user id of a mention that users.info knows as a person; InputError otherwise."""
    if not ctx.people.is_person(who.user_id):
        raise InputError(NOT_A_PERSON.format(who=mention(who.user_id)))
    return who.user_id


def due(request: DueRequest, ctx: CommandContext) -> Reply:
    if request.who == "mine":
        who = DueFilter(assignee=ctx.actor.user, description="mine")
    elif request.who == "unassigned":
        who = DueFilter(unassigned=True, description="unassigned")
    elif isinstance(request.who, Mention):
        user = person(ctx, request.who)
        who = DueFilter(assignee=user, description=mention(user))
    else:
        who = DueFilter()
    view = due_view(ctx.sessions, today=ctx.clock.today(), days=request.days, who=who)
    return Reply(due_list(view))


def find(request: FindRequest, ctx: CommandContext) -> Reply:
    match = one_denial(ctx, request.claim, "find")
    if isinstance(match, Reply):
        return match
    cards = CardReads(ctx.sessions, ctx.rulebook.root_causes, ctx.clock.zone, ctx.phi)
    view = cards.denial_view(match.denial_id)
    if view is None:  # removed since it was found
        return Reply(not_found(request.claim, None, ()), ok=False)
    return Reply(denial_card(view, today=ctx.clock.today()))


def history(request: FindRequest, ctx: CommandContext) -> Reply:
    """Who did what to the denial and when, then to the claim's records requests and
    rejections (or to those alone when it has no denial): read-only, to the person asking."""
    others = claim_work_histories(ctx.sessions, request.claim)
    match = one_denial(ctx, request.claim, "history")
    if isinstance(match, Reply):
        if others:
            return Reply(history_message(others[0], ctx.clock.zone, *others[1:]))
        return match
    found = denial_history(ctx.sessions, match.denial_id)
    if found is None:  # removed since it was found
        return Reply(not_found(request.claim, None, ()), ok=False)
    others = others or claim_work_histories(ctx.sessions, found.claim_number)
    return Reply(history_message(found, ctx.clock.zone, *others))


def trends(request: TrendsRequest, ctx: CommandContext) -> Reply:
    report = trends_report(
        ctx.sessions, span=request.span, dimension=request.dimension, today=ctx.clock.today()
    )
    chart = trend_chart(report) if ctx.charts else None
    place: ChartPlace = None if chart is None else "here" if ctx.share else "dm"
    return Reply(trends_message(report, chart=place), chart=chart)


def patterns(request: PatternsRequest, ctx: CommandContext) -> Reply:
    """Active patterns ranked by dollars; or one with its claims and its weekly rate chart."""
    today = ctx.clock.today()
    if request.pattern is None:
        return Reply(patterns_message(patterns_view(ctx.sessions, today)))
    detail, _ = pattern_detail(ctx.sessions, request.pattern, today)
    if detail is None:
        return Reply(not_found_message(request.pattern), ok=False)
    chart = pattern_chart(detail) if ctx.charts else None
    place: ChartPlace = None if chart is None else "here" if ctx.share else "dm"
    return Reply(pattern_detail_message(detail, chart=place), chart=chart)
