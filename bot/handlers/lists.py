"""The "Show more" buttons of the lists: the next page of `/denials due` in place of the page
shown, and the next page of My denials on the App Home (republished)."""

from __future__ import annotations

from slack_bolt import App, Respond

from bot.blocks import ids
from bot.blocks.due_list import due_list
from bot.blocks.home import home_view
from bot.blocks.text import mention
from bot.deps import Deps
from bot.handlers.feedback import refuse
from bot.handlers.help_text import HELP_LINES
from bot.handlers.listen import on_click
from bot.services.due import DueFilter, due_view
from bot.services.home import home_for
from bot.slack.payloads import Click

NOT_A_LIST = "This button is not on a list I know. Ask `/denials due` again."
MAX_PAGE = 1000


def register(app: App, deps: Deps) -> None:
    @on_click(app, ids.DUE_MORE_BUTTON)
    def due_more(click: Click, respond: Respond) -> None:
        deps.after_ack(lambda: _next_page(deps, click, respond), respond)

    @on_click(app, ids.HOME_MORE_BUTTON)
    def home_more(click: Click, respond: Respond) -> None:
        page = _page(click.choice or "")
        if page is None:
            return
        user = click.user.user
        deps.after_ack(lambda: _publish_home(deps, user, page))


def _publish_home(deps: Deps, user: str, page: int) -> None:
    view = home_for(deps.sessions, user, deps.clock.today(), HELP_LINES, page=page)
    deps.client.views_publish(user_id=user, view=home_view(view))


def _next_page(deps: Deps, click: Click, respond: Respond) -> None:
    asked = parse_pager(click.choice or "", click.user.user)
    if asked is None:
        refuse(respond, NOT_A_LIST)
        return
    days, who, page = asked
    view = due_view(deps.sessions, today=deps.clock.today(), days=days, who=who, page=page)
    message = due_list(view)
    respond(
        text=message.text,
        blocks=message.blocks,
        response_type="ephemeral",
        replace_original=True,  # the list pages in place: one list, not a pile of them
    )


def parse_pager(value: str, user: str) -> tuple[int | None, DueFilter, int] | None:
    """`14|unassigned|2` (see bot.services.due.pager) as days, filter and page; None when the
    value is not one this version wrote."""
    parts = value.split("|")
    if len(parts) != 3:
        return None
    days_text, whose, page_text = parts
    page = _page(page_text)
    if page is None or not (days_text == "" or days_text.isdigit()):
        return None
    days = int(days_text) if days_text else None
    if whose == "mine":
        who = DueFilter(assignee=user, description="mine")
    elif whose == "unassigned":
        who = DueFilter(unassigned=True, description="unassigned")
    elif whose:
        if not whose.isalnum():
            return None
        who = DueFilter(assignee=whose, description=mention(whose))
    else:
        who = DueFilter()
    return days, who, page


def _page(text: str) -> int | None:
    return int(text) if text.isdigit() and int(text) <= MAX_PAGE else None
