"""The digest message: the words managers read, and Block Kit limits whatever the data."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from bot.blocks.digest import digest_message, pattern_line
from bot.blocks.pattern_review import (
    PatternReviewView,
    PatternRow,
    RecordedFix,
    pattern_review,
)
from bot.domain.digest import (
    DenialFact,
    DigestSummary,
    PatternLine,
    Week,
    period_before,
    summarize,
)
from bot.domain.findings import RootCause
from tests.unit.test_digest import MONDAY, NOW, fact
from tests.unit.view_builders import action_ids, all_text, assert_valid_blocks


def summary_of(denials: list[DenialFact], *, late: bool = False) -> DigestSummary:
    start, end = period_before(MONDAY)
    return summarize(denials, [], [], Week(start, end, MONDAY, late), NOW)


def test_the_digest_reads_like_the_sketch() -> None:
    denials = [fact(denied_amount=Decimal("420.50")) for _ in range(3)]
    cigna = "id:62308|eligibility|CO-27|-"
    denials += [
        fact(payer_name="Cigna", category=RootCause.ELIGIBILITY, deadline=MONDAY, pattern_key=cigna)
    ]
    message = digest_message(summary_of(denials))
    assert_valid_blocks(message.blocks)
    assert message.blocks[0]["text"]["text"] == ":calendar: Denials week of Nov 23 – Nov 29"
    text = all_text(message.blocks)
    # "Received", not "New" (also a status); money with cents, as on the cards
    assert "*Received* 4 ($1,361.50)" in text
    assert "*Open* 61 ($21,400.00)" in text
    assert "*Needs an owner:* 4 · *Root cause to confirm:* 67 (suggested)" in text
    assert (
        "*Due this week:* 7 ($2,560.00) · *Overdue:* 2 ($310.00) · *Lapsed:* 212 ($48,120.00):"
        " review for write-off"
    ) in text
    assert "*Top root causes*  Authorization 3 ($1,261.50) · Eligibility 1 ($100.00)" in text
    assert "*Top payers*  Aetna 3 ($1,261.50) · Cigna 1 ($100.00)" in text
    assert "*Open denied $ by age*  0–30 $1,361.50 · 31–60 $0.00 · 61–90 $0.00 · 90+ $0.00" in text
    assert "Aetna · Authorization · CO-197 · LEE DANA: 3 claims in 90 days" in text
    assert "no fix recorded yet" in text
    assert "Sent late" not in text
    assert message.text == (
        "Denials week of Nov 23 – Nov 29: 4 received, 7 due this week, 2 overdue"
    )
    assert action_ids(message.blocks) == set()


def test_a_late_digest_says_so() -> None:
    message = digest_message(summary_of([fact()], late=True))
    assert "Sent late" in all_text(message.blocks)


def test_a_quiet_week_still_reads_well() -> None:
    text = all_text(digest_message(summary_of([])).blocks)
    assert "No denials received last week." in text
    assert "No repeat patterns in the last 90 days." in text
    assert "*Outcomes:* none decided" in text


def test_any_amount_of_data_fits_one_message() -> None:
    denials = [
        fact(
            payer_name=f"<!here> Payer {i} " + "X" * 300,
            category=list(RootCause)[i % 12],
            pattern_key=f"p{i % 40}|coding|CO-{i}|-",
            provider="P" * 500,
            denied_amount=Decimal("999999.99"),
            denial_date=MONDAY - timedelta(days=i % 200),
        )
        for i in range(5000)
    ]
    message = digest_message(summary_of(denials))
    assert_valid_blocks(message.blocks)
    assert len(message.blocks) <= 10
    text = all_text(message.blocks)
    assert "<!here>" not in text
    assert "+9 more" in text  # 12 root causes, top 3 shown


def pattern_row(i: int = 0, **changes: object) -> PatternRow:
    values: dict[str, object] = {
        "payer_name": "Aetna",
        "category": RootCause.AUTHORIZATION,
        "carc": "CO-197",
        "provider": "LEE DANA",
        "cpt": "99213",
        "count": 12 - i % 10,
        "amount": Decimal("5040.00"),
        "prior_count": 4,
        "prior_amount": Decimal("1600.00"),
    }
    values.update(changes)
    return PatternRow(**values)  # type: ignore[arg-type]


def review(rows: list[PatternRow]) -> PatternReviewView:
    return PatternReviewView(
        month=date(2026, 10, 1),
        rows=tuple(rows),
        denials=40,
        amount=Decimal("9000"),
        prior_denials=30,
        prior_amount=Decimal("7000"),
    )


def test_the_pattern_review_gives_the_usual_fix_and_the_recorded_one() -> None:
    fix = RecordedFix(
        note="Front desk checks auths", recorded_on=date(2026, 11, 3), recorded_by="U1"
    )
    message = pattern_review(review([pattern_row(fix=fix), pattern_row(prior_count=0)]))
    assert_valid_blocks(message.blocks)
    text = all_text(message.blocks)
    assert message.blocks[0]["text"]["text"] == ":repeat: Repeat denial patterns · October 2026"
    assert "*2 repeat patterns* in October 2026: 40 denials · $9,000.00" in text
    assert "(September 2026: 30 · $7,000.00)" in text
    assert "*Aetna · Authorization · CO-197 · LEE DANA · 99213*" in text
    assert "12 denials · $5,040.00 (September 2026: 4 · $1,600.00 ↑)" in text
    assert "Check the authorization at scheduling" in text
    assert ":memo: Fix recorded Nov 3 by <@U1>: Front desk checks auths" in text
    assert "No fix recorded yet" in text
    assert "· new)" in text


def test_a_month_without_repeats_says_so_and_many_patterns_are_capped() -> None:
    assert "No repeat patterns in October 2026" in pattern_review(review([])).text
    message = pattern_review(review([pattern_row(i) for i in range(200)]))
    assert_valid_blocks(message.blocks)
    assert "and 154 more patterns" in all_text(message.blocks)


def test_a_pattern_without_a_code_shows_no_raw_dash() -> None:
    row = pattern_row(payer_name="Cigna", category=RootCause.OTHER, carc="-", provider="Test")
    text = all_text(pattern_review(review([row])).blocks)
    assert "*Cigna · Other · Test · 99213*" in text
    assert " - " not in text
    assert "· -" not in text
    line = PatternLine(
        payer_name="Cigna",
        category=RootCause.OTHER,
        code="-",
        provider="Test Clinician",
        count=3,
        amount=Decimal("300"),
        fixed_on=None,
    )
    assert pattern_line(line, 90).startswith("*Repeat pattern:* Cigna · Other · Test Clinician:")
