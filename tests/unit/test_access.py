"""Who may do what, said once: every control, form and subcommand has a need, and the rule
refuses outsiders and staff alike, whatever the way in."""

from __future__ import annotations

import pytest

from bot.blocks import ids
from bot.commands.table import TABLE, Subcommand, subcommand_of
from bot.domain.actor import Actor
from bot.errors import SlackUnavailableError
from bot.handlers.access import NEEDS, need_of
from bot.services.access import Access, Need
from bot.slack.payloads import Asked, SlackUser

MEMBERS = frozenset({"UMARIA", "UMANAGER"})


class Channel:
    def __init__(self, members: frozenset[str] = MEMBERS, *, down: bool = False) -> None:
        self.members, self.down = members, down

    def may_triage(self, user_id: str) -> bool:
        if self.down:
            raise SlackUnavailableError("I couldn't check who is in the denials channel.")
        return user_id in self.members


ACCESS = Access(Channel(), ("UMANAGER",))
MARIA, OUTSIDER = Actor("T1", "UMARIA"), Actor("T1", "UOUTSIDER")
MANAGER = Actor("T1", "UMANAGER", is_manager=True)


def test_every_control_and_form_says_what_it_needs() -> None:
    assert set(NEEDS) == ids.ALL_ACTION_IDS | ids.ALL_VIEW_CALLBACK_IDS


@pytest.mark.parametrize("action", sorted(ids.ALL_ACTION_IDS))
def test_a_click_from_outside_the_channel_is_refused_whatever_the_control(action: str) -> None:
    need, what = need_of(Asked(SlackUser("T1", "UOUTSIDER"), "action", action))
    refusal = ACCESS.refusal(OUTSIDER, need, what)
    assert refusal is not None
    assert refusal.endswith("Nothing was changed.")
    assert ACCESS.refusal(MANAGER, need, what) is None


@pytest.mark.parametrize("form", sorted(ids.ALL_VIEW_CALLBACK_IDS))
def test_a_form_from_outside_the_channel_is_refused_whatever_the_form(form: str) -> None:
    need, what = need_of(Asked(SlackUser("T1", "UOUTSIDER"), "form", form))
    assert ACCESS.refusal(OUTSIDER, need, what) is not None


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.name)
def test_each_subcommand_is_checked_by_its_row(row: Subcommand) -> None:
    need, what = need_of(Asked(SlackUser("T1", "UOUTSIDER"), "command", "/denials", text=row.name))
    assert (need, what) == row.need
    refused = ACCESS.refusal(OUTSIDER, need, what)
    assert (refused is None) == (need is Need.ANYONE)


def test_a_member_may_work_denials_but_not_write_them_off() -> None:
    click = need_of(Asked(SlackUser("T1", "UMARIA"), "action", ids.ROOT_CAUSE_SELECT))
    write_off = need_of(
        Asked(SlackUser("T1", "UMARIA"), "action", ids.CARD_OVERFLOW, ids.OVERFLOW_WRITE_OFF)
    )
    form = need_of(Asked(SlackUser("T1", "UMARIA"), "form", ids.WRITE_OFF_MODAL))
    assert ACCESS.refusal(MARIA, *click) is None
    assert ACCESS.refusal(MARIA, *write_off) == ACCESS.refusal(MARIA, *form)
    assert ACCESS.refusal(MARIA, *form) == (
        "Only managers can write off a denial. Ask <@UMANAGER>."
    )


def test_trends_are_for_managers_and_say_whom_to_ask() -> None:
    row = subcommand_of("trends 90d share")
    assert row is not None
    assert ACCESS.refusal(MARIA, *row.need) == (
        "Only managers can see denial trends. Ask <@UMANAGER>."
    )
    assert subcommand_of("share due") == subcommand_of("due")


def test_an_unknown_control_needs_a_member_and_help_needs_nobody() -> None:
    unknown = need_of(Asked(SlackUser("T1", "U9"), "action", "denial.from_the_future"))
    assert unknown[0] is Need.MEMBER
    assert need_of(Asked(SlackUser("T1", "U9"), "command", "/denials", text="help"))[0] is (
        Need.ANYONE
    )
    assert need_of(Asked(SlackUser("T1", "U9"), "command", "/denials", text=""))[0] is Need.ANYONE


def test_when_slack_cannot_say_who_is_a_member_nothing_is_let_through() -> None:
    access = Access(Channel(down=True), ())
    refusal = access.refusal(MARIA, Need.MEMBER, "Setting a root cause")
    assert refusal is not None
    assert refusal.endswith("Nothing was changed; try again in a minute.")


def test_a_clerk_is_never_told_to_change_a_setting() -> None:
    row = subcommand_of("trends")
    assert row is not None
    nobody = Access(ACCESS.members, managers=())
    refusal = nobody.refusal(MARIA, *row.need)
    assert refusal is not None
    assert "DENIALS_MANAGERS" not in refusal
    assert refusal.startswith("Only managers can see denial trends, and none are named yet")
