"""The `/denials` grammar: what people type, and what the bot understands (or says back)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker

from bot.clock import Clock
from bot.commands.replies import CommandContext, Everyone, Reply
from bot.commands.requests import (
    AppealRequest,
    AssignRequest,
    CategorizeRequest,
    DueRequest,
    FindRequest,
    HelpRequest,
    Mention,
    OutcomeRequest,
    TrendsRequest,
)
from bot.commands.table import TABLE, answer, find_subcommand, help_lines
from bot.commands.words import split_words
from bot.config import Settings
from bot.domain.actor import Actor
from bot.domain.findings import RootCause
from bot.domain.payer_rules import default_rules
from bot.domain.rulebook import Rulebook
from bot.domain.trend_periods import Span
from bot.errors import InputError
from bot.handlers.help_text import HELP_LINES
from bot.services.appeals import Appeals

TODAY = date(2026, 11, 30)


def parse(text: str) -> Any:
    words = split_words(text)
    row = find_subcommand(words[0].text)
    assert row is not None, f"no subcommand {words[0].text}"
    return row.parse(words[1:], text, TODAY)


def says(text: str) -> str:
    """The problem the bot reports for `text` (which must be bad input)."""
    with pytest.raises(InputError) as problem:
        parse(text)
    return str(problem.value)


# -- due -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "request_"),
    [
        ("due", DueRequest(14, None)),
        ("due 7", DueRequest(7, None)),
        ("due 30d", DueRequest(30, None)),
        ("due mine", DueRequest(14, "mine")),
        ("due 7 mine", DueRequest(7, "mine")),
        ("due unassigned 3", DueRequest(3, "unassigned")),
        ("due 0", DueRequest(0, None)),
        ("due <@U0JAMES|james>", DueRequest(14, Mention("U0JAMES"))),
        ("due 21 <@U0JAMES>", DueRequest(21, Mention("U0JAMES"))),
    ],
)
def test_due_understands_days_and_whose(text: str, request_: DueRequest) -> None:
    assert parse(text) == request_


def test_due_refuses_what_it_does_not_understand() -> None:
    assert says("due soon") == "I didn't understand `soon`."
    assert "between 0 and 365" in says("due 400")
    assert says("due 7 14").startswith("You gave two numbers of days")
    assert says("due mine unassigned").startswith("Say one of `mine`, `unassigned`")


def test_a_plain_at_name_is_not_a_user_slack_sent() -> None:
    assert says("due @maria") == (
        "`@maria` is not a Slack user I can see. Pick the person from the @ menu so Slack "
        "sends their id."
    )


# -- appeal ----------------------------------------------------------------------------------


def test_appeal_with_only_a_claim_opens_the_form() -> None:
    request = parse("appeal 5101Z88001")
    assert request == AppealRequest("5101Z88001")
    assert request.opens_form


def test_appeal_reads_level_method_reference_and_a_note_that_keeps_its_spacing() -> None:
    request = parse("appeal 5101Z88001 1 portal 88-2231 sent with  the op note &amp; records")
    assert request == AppealRequest(
        claim="5101Z88001",
        level="1",
        method="portal",
        reference="88-2231",
        note="sent with  the op note & records",
    )
    assert not request.opens_form


@pytest.mark.parametrize(
    ("text", "level", "method"),
    [
        ("appeal D-1042 2 fax", "2", "fax"),
        ("appeal D-1042 fax level 3", "3", "fax"),
        ("appeal D-1042 L2 mail", "2", "mail"),
        ("appeal D-1042 redetermination electronic", "redetermination", "electronic"),
        ("appeal D-1042 recon phone", "reconsideration", "phone"),
        ("appeal D-1042 EDI", None, "electronic"),
    ],
)
def test_appeal_levels_and_methods_in_any_order(
    text: str, level: str | None, method: str | None
) -> None:
    request = parse(text)
    assert (request.level, request.method) == (level, method)


def test_appeal_takes_a_method_word_after_the_reference_when_none_came_before() -> None:
    # it used to read `portal` as the note
    request = parse("appeal 5101Z88001 88-2231 portal")
    assert (request.method, request.reference, request.note) == ("portal", "88-2231", None)
    request = parse("appeal 5101Z88001 2 88-2231 fax  sent with the op note")
    assert (request.level, request.method, request.reference) == ("2", "fax", "88-2231")
    assert request.note == "sent with the op note"
    assert parse("appeal X1 - web").method == "portal"  # no reference, then the method
    # a method said before the reference: a second method word is the note's, as typed
    request = parse("appeal X1 mail 88-2231 fax cover sheet lost")
    assert (request.method, request.note) == ("mail", "fax cover sheet lost")
    # further on, a method word is only words of the note
    request = parse("appeal X1 88-2231 resent by fax")
    assert (request.method, request.note) == (None, "resent by fax")


def test_appeal_corrected_records_a_resubmitted_claim() -> None:
    request = parse("appeal 5101Z88001 corrected electronic ICN-9 fixed the modifier")
    assert request.corrected
    assert (request.level, request.method, request.reference) == (None, "electronic", "ICN-9")
    assert request.note == "fixed the modifier"


def test_appeal_takes_the_date_it_was_sent() -> None:
    assert parse("appeal X1 1 portal 2026-11-20").sent_on == date(2026, 11, 20)
    assert parse("appeal X1 1 portal 11/20").sent_on == date(2026, 11, 20)
    assert parse("appeal X1 yesterday").sent_on == date(2026, 11, 29)


def test_appeal_refuses_a_bad_level_or_date() -> None:
    assert "not an appeal level" in says("appeal X1 7 portal")
    assert "not an appeal level" in says("appeal X1 level 9")
    assert says("appeal X1 level two").startswith("Level `two` is not an appeal level:")
    # two digits are a mistyped level, never the reference (it used to log level 1, ref 99)
    assert says("appeal X1 99 portal").startswith("Level `99` is not an appeal level: use 1 to 5")
    assert says("appeal X1 L12").startswith("Level `L12` is not an appeal level")
    assert parse("appeal X1 2 portal 99").reference == "99"  # after the level: a reference
    assert says("appeal X1 1 portal 2026-02-30").startswith("`2026-02-30` is not a date")
    assert says("appeal X1 1 portal 2026-12-24") == (
        "2026-12-24 is in the future. Use the day it actually happened."
    )
    assert "more than two years ago" in says("appeal X1 1 12/01/2023")


def test_every_claim_command_needs_a_claim() -> None:
    for name in ("appeal", "outcome", "find", "assign", "categorize"):
        assert says(name).startswith("Which claim?"), name


def test_a_person_is_not_a_claim() -> None:
    assert says("find <@U0JAMES|james>") == "`<@U0JAMES|james>` is a person, not a claim."


# -- outcome ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "request_"),
    [
        ("outcome 5101Z88001 won", OutcomeRequest("5101Z88001", "won")),
        ("outcome D-1042 won $1,420.5", OutcomeRequest("D-1042", "won", Decimal("1420.50"))),
        ("outcome D-1042 partial 210", OutcomeRequest("D-1042", "partial", Decimal("210.00"))),
        ("outcome D-1042 lost", OutcomeRequest("D-1042", "lost")),
        ("outcome D-1042 upheld 11/25", OutcomeRequest("D-1042", "lost", None, date(2026, 11, 25))),
    ],
)
def test_outcome_reads_the_result_amount_and_date(text: str, request_: OutcomeRequest) -> None:
    assert parse(text) == request_


def test_outcome_bad_input_says_what_was_wrong() -> None:
    assert says("outcome X1") == "Say how it ended: `won`, `lost` or `partial`."
    assert says("outcome X1 maybe") == "I didn't understand `maybe`."
    assert says("outcome X1 won 12O.00") == (
        "`12O.00` is not an amount. Write dollars and cents, like `420.00`."
    )
    assert "not an amount" in says("outcome X1 won -5")
    assert "is not more than zero" in says("outcome X1 won 0")
    assert "not an amount" in says("outcome X1 won 1e309")
    assert "more than any claim could be" in says("outcome X1 won 10000000000000")
    assert "not an amount" in says("outcome X1 won 1.999")
    assert says("outcome X1 partial").startswith("A partial win needs the amount")
    assert says("outcome X1 lost 20") == "A lost appeal recovers nothing: leave the amount off."
    assert "is not a date" in says("outcome X1 won 13/45/2026")


# -- trends ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "request_"),
    [
        ("trends", TrendsRequest(Span(30, "d"), "category")),
        ("trends 90d by payer", TrendsRequest(Span(90, "d"), "payer")),
        ("trends 12m by cpt", TrendsRequest(Span(12, "m"), "cpt")),
        ("trends by provider", TrendsRequest(Span(30, "d"), "provider")),
        ("trends carc 8w", TrendsRequest(Span(8, "w"), "carc")),
        ("trends quarter by causes", TrendsRequest(Span(90, "d"), "category")),
        ("trends 1y", TrendsRequest(Span(12, "m"), "category")),
    ],
)
def test_trends_reads_a_period_and_a_dimension(text: str, request_: TrendsRequest) -> None:
    assert parse(text) == request_


def test_trends_refuses_a_bad_period_or_dimension() -> None:
    assert says("trends 90x") == (
        "`90x` is not a period. Use `30d`, `90d` or `12m` (days, weeks or months)."
    )
    assert "is not a period" in says("trends 0d")
    assert "is not a period" in says("trends 99m")
    assert says("trends by color").startswith("I can't break trends down by `color`")
    assert says("trends 30d 90d").startswith("You gave two periods")


# -- find, assign, categorize, help ----------------------------------------------------------


def test_find_takes_one_claim_number_or_denial_id() -> None:
    assert parse("find 5101Z88001") == FindRequest("5101Z88001")
    assert parse("find `D-1042`") == FindRequest("D-1042")
    assert says("find 5101Z88001 aetna") == "I didn't understand `aetna`."


def test_assign_to_a_mention_me_or_nobody() -> None:
    assert parse("assign X1 <@U0JAMES|james>") == AssignRequest("X1", Mention("U0JAMES"))
    assert parse("assign X1 me") == AssignRequest("X1", "me")
    assert parse("assign X1 nobody") == AssignRequest("X1", "nobody")
    assert says("assign X1") == "Assign to whom? Give `@someone`, `me`, or `nobody`."
    assert "not a Slack user" in says("assign X1 @james")


@pytest.mark.parametrize(
    ("words", "cause"),
    [
        ("authorization", RootCause.AUTHORIZATION),
        ("claim_data", RootCause.CLAIM_DATA),
        ("Timely filing", RootCause.TIMELY_FILING),
        ("cob", RootCause.COORDINATION_OF_BENEFITS),
        ("coord", RootCause.COORDINATION_OF_BENEFITS),
        ("Non-covered service", RootCause.NON_COVERED),
    ],
)
def test_categorize_knows_slugs_labels_and_short_words(words: str, cause: RootCause) -> None:
    assert parse(f"categorize X1 {words}") == CategorizeRequest("X1", cause)


def test_categorize_lists_the_root_causes_when_it_does_not_know_one() -> None:
    problem = says("categorize X1 weather")
    assert problem.startswith("`weather` is not a root cause. Use one of: `authorization`")
    assert says("categorize X1") == "Which root cause? For example `authorization` or `coding`."


def test_help_takes_an_optional_topic() -> None:
    assert parse("help") == HelpRequest()
    assert parse("help appeal") == HelpRequest(topic="appeal")


# -- the table -------------------------------------------------------------------------------


def test_help_is_generated_from_the_table_that_dispatches() -> None:
    assert help_lines() == HELP_LINES
    assert [usage.split()[1] for usage, _ in HELP_LINES] == [row.name for row in TABLE]
    assert HELP_LINES[0] == ("/denials due [days] [mine|unassigned|@user]", TABLE[0].summary)


def test_every_example_in_the_table_parses() -> None:
    for row in TABLE:
        typed = row.example.removeprefix("/denials ").replace("@james", "<@U0JAMES|james>")
        assert parse(typed) is not None, row.name  # as Slack sends a mention picked from @


@pytest.fixture
def context() -> CommandContext:
    settings = Settings(_env_file=None, DENIALS_MANAGERS="UMANAGER")
    unused: sessionmaker[Any] = sessionmaker()  # bad input never reaches the database
    return CommandContext(
        sessions=unused,
        rulebook=Rulebook.from_settings(settings),
        clock=Clock(settings.zone, TODAY),
        appeals=Appeals(unused, settings.managers, default_rules()),
        actor=Actor("T1", "U1"),
        people=Everyone(),
    )


def reply_text(reply: Reply) -> str:
    assert reply.message is not None
    return reply.message.text


def test_an_unknown_subcommand_answers_with_help(context: CommandContext) -> None:
    reply = answer("dew 7", context)
    # the notification text: no code marks (the blocks keep them)
    assert reply_text(reply).startswith("I don't know dew. Here is what I can do:")
    assert "/denials due [days] [mine|unassigned|@user]" in reply_text(reply)
    assert not reply.ok
    assert not reply.share


def test_bad_input_shows_the_problem_the_usage_and_an_example(context: CommandContext) -> None:
    reply = answer("outcome 5101Z88001 won 12O.00 share", context)
    assert reply_text(reply) == (
        "12O.00 is not an amount. Write dollars and cents, like 420.00.\n"
        "Usage: /denials outcome CLAIM won|lost|partial [amount] [date]\n"
        "Example: /denials outcome 5101Z88001 partial 210.00"
    )
    assert not reply.share  # errors are never shared


def test_help_on_one_command_shows_its_usage(context: CommandContext) -> None:
    reply = answer("help outcome", context)
    assert reply_text(reply).startswith("Record what the payer decided on the appeal.\nUsage:")
    assert answer("", context).ok
    assert reply_text(answer("", context)).startswith("/denials commands:")
