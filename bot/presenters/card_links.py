"""The link to a denial's card in Slack: what a list row, a DM or an App Home row links to.

Each card's permalink (chat.getPermalink) is stored with it when it is posted
(`slack_posts.permalink`; `SlackPoster` fills in any it could not get then). A denial on a
grouped card links to the grouped card. No link (None) means the card is not posted yet, or
its link is not known yet: keep an "Open" button for those (it shows the card privately).

    from bot.presenters.card_links import denial_card_link, denial_card_links
    url = denial_card_link(session, denial_id)            # one
    urls = denial_card_links(session, [d.id for d in rows])  # many, one query: {id: url}
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Denial, SlackPost

IN_CHUNK = 500  # ids per IN (...) list


def denial_card_link(session: Session, denial_id: int) -> str | None:
    """The permalink of the card denial `denial_id` is on, or None."""
    return denial_card_links(session, (denial_id,)).get(denial_id)


def denial_card_links(session: Session, denial_ids: Iterable[int]) -> dict[int, str]:
    """{denial id: permalink of its card} for the given denials that have a linked card."""
    wanted = sorted(set(denial_ids))
    links: dict[int, str] = {}
    for start in range(0, len(wanted), IN_CHUNK):
        rows = session.execute(
            select(Denial.id, SlackPost.permalink)
            .join(SlackPost, SlackPost.id == Denial.post_id)
            .where(
                Denial.id.in_(wanted[start : start + IN_CHUNK]),
                SlackPost.permalink.is_not(None),
                SlackPost.replaced_by_id.is_(None),
            )
        )
        links.update((denial_id, link) for denial_id, link in rows if link)
    return links


def post_link(session: Session, post_id: int) -> str | None:
    """The permalink of one card (a denial's, a grouped, a request's or a rejection's)."""
    return session.scalar(select(SlackPost.permalink).where(SlackPost.id == post_id))
