"""`/denials request` words, and the one set of counts of requests and rejections."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.commands.records import RecordsRequest, parse_due_date, parse_request
from bot.commands.words import split_words
from bot.domain.statuses import RejectionStatus, RequestStatus
from bot.domain.work_summary import RejectionFact, RequestFact, summarize_work
from bot.errors import InputError

TODAY = date(2026, 11, 30)


def parse(text: str) -> RecordsRequest:
    words = split_words(text)
    return parse_request(words, text, TODAY)


def test_request_with_a_due_date_and_words() -> None:
    request = parse("PCN1 due 12/15 op note &amp; H&amp;P")
    assert (request.claim, request.due, request.what) == (
        "PCN1",
        date(2026, 12, 15),
        "op note & H&P",
    )
    assert not request.opens_form


def test_request_with_only_a_claim_opens_the_form() -> None:
    assert parse("PCN1").opens_form
    assert parse("PCN1 op note").what == "op note"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("12/15", date(2026, 12, 15)),
        ("1/10", date(2027, 1, 10)),  # a month ago at most: next year's
        ("11/20", date(2026, 11, 20)),  # ten days ago: a letter found late
        ("2027-02-01", date(2027, 2, 1)),
        ("12/15/26", date(2026, 12, 15)),
    ],
)
def test_due_dates(word: str, expected: date) -> None:
    assert parse_due_date(word, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "Which claim?"),
        ("<@U123> due 12/1", "is a person, not a claim"),
        ("PCN1 due", "`due` needs a date"),
        ("PCN1 due tomorrowish", "is not a date I can read"),
        ("PCN1 due 2029-01-01", "more than a year away"),
        ("PCN1 due 2025-01-01", "more than a year ago"),
        ("PCN1 due 13/45", "is not a date I can read"),
    ],
)
def test_bad_requests_say_what_was_wrong(text: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        parse(text)


def request(
    status: RequestStatus, *, sent: date | None = None, denied: bool = False
) -> RequestFact:
    return RequestFact(
        status=status,
        received_on=date(2026, 11, 2),
        due_date=date(2026, 11, 20),
        sent_on=sent,
        denied=denied,
        denied_amount=Decimal("100") if denied else Decimal(0),
    )


def test_requests_on_time_late_unanswered_and_turned_into_denials() -> None:
    summary = summarize_work(
        [
            request(RequestStatus.ACCEPTED, sent=date(2026, 11, 19)),
            request(RequestStatus.SENT, sent=date(2026, 11, 20)),  # the due day is on time
            request(RequestStatus.SENT, sent=date(2026, 11, 25), denied=True),
            request(RequestStatus.REQUESTED, denied=True),
            request(RequestStatus.WITHDRAWN),
        ],
        [],
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        today=TODAY,
    )
    assert (summary.requests_received, summary.answered_on_time, summary.answered_late) == (5, 2, 1)
    assert (summary.unanswered, summary.turned_into_denials) == (1, 2)
    assert summary.denied_amount == Decimal("200")
    assert (summary.requests_open, summary.requests_overdue) == (1, 1)


def test_rejections_by_main_reason_and_what_is_open() -> None:
    def rejection(status: RejectionStatus, *reasons: str, received: date) -> RejectionFact:
        return RejectionFact(
            status=status, received_on=received, resubmit_by=date(2026, 12, 3), reasons=reasons
        )

    summary = summarize_work(
        [],
        [
            rejection(RejectionStatus.NEW, "Invalid NPI", "Missing id", received=date(2026, 11, 5)),
            rejection(RejectionStatus.CORRECTED, "Invalid NPI", received=date(2026, 11, 6)),
            rejection(RejectionStatus.NEW, "Wrong payer", received=date(2026, 10, 1)),
        ],
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        today=TODAY,
    )
    assert summary.rejections_received == 2
    assert summary.reasons == (("Invalid NPI", 2),)
    assert (summary.rejections_open, summary.rejections_due_this_week) == (2, 2)
    assert not summary.empty
