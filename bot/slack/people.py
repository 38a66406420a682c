"""Who is who in the workspace, from Slack: users.info, and the denials channel's members
(`People` of the command table)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import SlackUnavailableError
from bot.slack.advice import error_code, explain

log = logging.getLogger(__name__)

MEMBERS_UNKNOWN = "I couldn't check who is in the denials channel ({reason})."
NOT_A_PERSON_ERRORS = frozenset({"user_not_found", "user_not_visible", "users_not_found"})
MEMBERS_TTL = 60.0  # seconds: one conversations.members walk per minute, not per command
MEMBERS_RECHECK = 5.0  # someone just invited is let in after a few seconds, not a minute


class SlackPeople:
    """`People` for the command table and `Members` for `bot.services.access`: users.info, and
    the denials channel's members, cached.

    Every click and command asks whether its sender is a member before it is acknowledged, so
    a member's answer never waits on Slack: a list older than `MEMBERS_TTL` still answers and
    is refreshed in the background (`background`). Only a first question, or one about someone
    not on a list older than `MEMBERS_RECHECK` (just invited?), asks Slack there and then.
    """

    def __init__(
        self,
        client: WebClient,
        channel: str | None,
        background: Callable[[Callable[[], object]], None] | None = None,
    ) -> None:
        self._client = client
        self._channel = channel
        self._background = background
        self._lock = threading.Lock()
        self._members: tuple[float, frozenset[str]] | None = None
        self._refreshing = False

    def warm(self) -> None:
        """Learn the members at start-up, so that the first click does not wait for Slack."""
        try:
            self.may_triage("")
        except SlackUnavailableError as error:
            log.warning("could not learn the denials channel's members yet: %s", error)

    def is_person(self, user_id: str) -> bool:
        try:
            user = self._client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            if error_code(error) in NOT_A_PERSON_ERRORS:
                return False
            raise
        return not (user.get("deleted") or user.get("is_bot") or user.get("is_app_user"))

    def may_triage(self, user_id: str) -> bool:
        if not self._channel:
            return True
        with self._lock:
            members = self._members
            age = time.monotonic() - members[0] if members else MEMBERS_TTL + 1
            known = members is not None and user_id in members[1]
            if known and age > MEMBERS_TTL and self._background is not None:
                self._refresh_later()
                return True
            if members is None or age > MEMBERS_TTL or (not known and age > MEMBERS_RECHECK):
                members = self._members = (time.monotonic(), self._fetch_members(self._channel))
            return user_id in members[1]

    def _refresh_later(self) -> None:
        """One refresh at a time, off the acknowledge path (called holding the lock)."""
        if self._refreshing or self._background is None:
            return
        self._refreshing = True
        channel = self._channel or ""

        def refresh() -> None:
            try:
                fresh = self._fetch_members(channel)
                with self._lock:
                    self._members = (time.monotonic(), fresh)
            except SlackUnavailableError as error:
                log.warning("could not refresh the denials channel's members: %s", error)
            finally:
                self._refreshing = False

        self._background(refresh)

    def _fetch_members(self, channel: str) -> frozenset[str]:
        members: set[str] = set()
        cursor: str | None = None
        try:
            while True:
                page = self._client.conversations_members(
                    channel=channel, limit=1000, cursor=cursor
                )
                members.update(page.get("members") or [])
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    return frozenset(members)
        except SlackApiError as error:
            log.warning("conversations.members failed: %s", error_code(error))
            raise SlackUnavailableError(MEMBERS_UNKNOWN.format(reason=explain(error))) from None
