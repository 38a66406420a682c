"""Section 3 of denial-facts.md: appeal windows per payer, and which date starts the clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import pytest

from bot.domain.denial_rules import classify_claim
from bot.domain.findings import AnchorSource, DeadlineKind, DenialFinding
from bot.domain.payer_rules import (
    Anchor,
    PayerRule,
    PayerRules,
    compute_deadline,
    default_rules,
    format_rules_table,
    is_medicare,
    next_level_deadline,
)
from bot.domain.records import ClaimRecord, Payer
from bot.errors import InputError
from tests.unit.builders import make_claim, make_line, make_remittance

IMPORTED_ON = date(2026, 10, 22)
DOS = date(2026, 10, 1)


@pytest.fixture(scope="module")
def rules() -> PayerRules:
    return default_rules()


def denial(claim: ClaimRecord, *, medicare: bool = False) -> DenialFinding:
    finding = classify_claim(claim, medicare=medicare)
    assert finding is not None
    return finding


def rule(rules: PayerRules, key: str) -> PayerRule:
    found = rules.get(key)
    assert found is not None
    return found


# --- the table ----------------------------------------------------------------------------------


def test_rules_are_read_from_package_data() -> None:
    assert resources.files("bot.domain.data").joinpath("payer_rules.yaml").is_file()


def test_every_rule_cites_a_source_and_default_is_last(rules: PayerRules) -> None:
    assert all(r.source for r in rules.rules)
    assert rules.rules[-1].key == "default"


@pytest.mark.parametrize(
    ("key", "appeal_days", "next_levels"),
    [
        ("medicare", 120, (180, 60, 60, 60)),
        ("medicaid", 30, (30,)),
        ("unitedhealthcare", 365, ()),
        ("aetna", 180, (60,)),
        ("cigna", 180, ()),
        ("anthem", 365, (90,)),
        ("medicare_advantage", 60, ()),
        ("default", 30, (30,)),
    ],
)
def test_appeal_windows_of_section_3(
    rules: PayerRules, key: str, appeal_days: int, next_levels: tuple[int, ...]
) -> None:
    found = rule(rules, key)
    assert (found.appeal_days, found.next_level_days) == (appeal_days, next_levels)
    assert found.anchor is Anchor.EARLIEST
    assert found.presumed_receipt_days == 0  # opt-in only


def test_medicare_resubmission_is_12_months_from_dos(rules: PayerRules) -> None:
    assert rule(rules, "medicare").resubmission_days == 365


# --- matching -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "identifier", "key"),
    [
        ("UNITED HEALTHCARE INSURANCE COMPANY", "87726", "unitedhealthcare"),
        ("Some TPA name", "87726", "unitedhealthcare"),
        ("Aetna", None, "aetna"),
        ("AETNA LIFE INSURANCE", "60054", "aetna"),
        ("Cigna Healthcare", None, "cigna"),
        ("Anthem Blue Cross and Blue Shield", None, "anthem"),
        ("MEDICARE PART B MAC", "12345", "medicare"),
        ("Noridian Healthcare Solutions", None, "medicare"),
        ("NYSDOH", None, "medicaid"),
        ("DIVISON OF HEALTH CARE FINANCING AND POLICY", None, "medicaid"),
        ("Aetna Better Health of Pennsylvania", "60054", "medicaid"),
        ("UnitedHealthcare Community Plan", "87726", "medicaid"),
        ("Humana Medicare Advantage", None, "medicare_advantage"),
        ("AARP Medicare Advantage", "87726", "medicare_advantage"),
        ("Aetna Medicare", "60054", "medicare_advantage"),
        ("Blue Cross Blue Shield", None, "default"),
        ("YOUR TAX DOLLARS AT WORK", None, "default"),
        ("", None, "default"),
    ],
)
def test_match_by_id_then_name_then_default(
    rules: PayerRules, name: str, identifier: str | None, key: str
) -> None:
    assert rules.match(Payer(name=name, identifier=identifier)).key == key


def test_medicare_advantage_is_not_medicare(rules: PayerRules) -> None:
    assert not is_medicare(Payer("Humana Medicare Advantage"), rules)
    assert is_medicare(Payer("MEDICARE PART B MAC"), rules)
    assert is_medicare(Payer("Medicare"))


# --- the appeal clock ---------------------------------------------------------------------------


def appeal_claim(
    *,
    production_date: date | None = date(2026, 10, 20),
    payment_date: date | None = date(2026, 10, 20),
    file_date: date | None = None,
    report_date: date | None = None,
) -> ClaimRecord:
    remittance = make_remittance(
        "Aetna",
        production_date=production_date,
        payment_date=payment_date,
        file_date=file_date,
        report_date=report_date,
    )
    return make_claim([make_line(cas=[("CO", "197", "100")])], remittance=remittance)


@pytest.mark.parametrize(
    ("production", "payment", "anchor", "source"),
    [
        (date(2026, 10, 15), date(2026, 10, 20), date(2026, 10, 15), AnchorSource.PRODUCTION_DATE),
        (date(2026, 10, 20), date(2026, 10, 18), date(2026, 10, 18), AnchorSource.PAYMENT_DATE),
        (date(2026, 10, 20), date(2026, 10, 20), date(2026, 10, 20), AnchorSource.PRODUCTION_DATE),
        (None, date(2026, 10, 18), date(2026, 10, 18), AnchorSource.PAYMENT_DATE),
    ],
)
def test_deadline_counts_from_earliest_of_dtm405_and_bpr16(
    rules: PayerRules,
    production: date | None,
    payment: date | None,
    anchor: date,
    source: AnchorSource,
) -> None:
    claim = appeal_claim(production_date=production, payment_date=payment)
    deadline = compute_deadline(denial(claim), claim, rule(rules, "aetna"), imported_on=IMPORTED_ON)
    assert (deadline.anchor, deadline.anchor_source) == (anchor, source)
    assert deadline.due == anchor + timedelta(days=180)
    assert deadline.kind is DeadlineKind.APPEAL
    assert (deadline.rule_key, deadline.days) == ("aetna", 180)


def test_rule_can_pin_the_anchor(rules: PayerRules) -> None:
    claim = appeal_claim(production_date=date(2026, 10, 15), payment_date=date(2026, 10, 20))
    pinned = replace(rule(rules, "aetna"), anchor=Anchor.BPR16)
    deadline = compute_deadline(denial(claim), claim, pinned, imported_on=IMPORTED_ON)
    assert (deadline.anchor, deadline.anchor_source) == (
        date(2026, 10, 20),
        AnchorSource.PAYMENT_DATE,
    )


def test_pinned_anchor_that_is_missing_falls_back_to_the_earliest(rules: PayerRules) -> None:
    claim = appeal_claim(production_date=date(2026, 10, 15), payment_date=None)
    pinned = replace(rule(rules, "aetna"), anchor=Anchor.BPR16)
    deadline = compute_deadline(denial(claim), claim, pinned, imported_on=IMPORTED_ON)
    assert deadline.anchor_source is AnchorSource.PRODUCTION_DATE


def test_gs04_file_date_only_when_both_notice_dates_are_missing(rules: PayerRules) -> None:
    claim = appeal_claim(production_date=None, payment_date=None, file_date=date(2026, 10, 19))
    deadline = compute_deadline(denial(claim), claim, rule(rules, "aetna"), imported_on=IMPORTED_ON)
    assert (deadline.anchor, deadline.anchor_source) == (date(2026, 10, 19), AnchorSource.FILE_DATE)
    earlier_gs04 = appeal_claim(
        production_date=None, payment_date=date(2026, 10, 20), file_date=date(2026, 10, 1)
    )
    deadline = compute_deadline(
        denial(earlier_gs04), earlier_gs04, rule(rules, "aetna"), imported_on=IMPORTED_ON
    )
    assert deadline.anchor_source is AnchorSource.PAYMENT_DATE


def test_csv_report_date_starts_the_clock(rules: PayerRules) -> None:
    claim = appeal_claim(production_date=None, payment_date=None, report_date=date(2026, 10, 17))
    deadline = compute_deadline(denial(claim), claim, rule(rules, "aetna"), imported_on=IMPORTED_ON)
    assert (deadline.anchor, deadline.anchor_source) == (
        date(2026, 10, 17),
        AnchorSource.REPORT_DATE,
    )


def test_import_day_starts_the_clock_when_the_source_has_no_date(rules: PayerRules) -> None:
    claim = appeal_claim(production_date=None, payment_date=None)
    deadline = compute_deadline(denial(claim), claim, rule(rules, "aetna"), imported_on=IMPORTED_ON)
    assert (deadline.anchor, deadline.anchor_source) == (IMPORTED_ON, AnchorSource.IMPORT_DATE)


def test_notice_date_far_in_the_future_is_ignored(rules: PayerRules) -> None:
    claim = appeal_claim(production_date=date(2027, 6, 1), payment_date=date(2026, 10, 24))
    deadline = compute_deadline(denial(claim), claim, rule(rules, "aetna"), imported_on=IMPORTED_ON)
    assert deadline.anchor == date(2026, 10, 24)  # a future EFT date within a month is fine


def test_medicare_appeal_is_120_days_from_the_notice(rules: PayerRules) -> None:
    claim = make_claim(
        [make_line(cas=[("CO", "50", "100")], rarcs=["N115"])],
        remittance=make_remittance("MEDICARE PART B MAC", production_date=date(2026, 10, 20)),
    )
    medicare = rules.match(claim.remittance.payer)
    finding = denial(claim, medicare=is_medicare(claim.remittance.payer, rules))
    deadline = compute_deadline(finding, claim, medicare, imported_on=IMPORTED_ON)
    assert deadline.due == date(2027, 2, 17)


def test_presumed_receipt_days_are_opt_in(rules: PayerRules) -> None:
    claim = appeal_claim(production_date=date(2026, 10, 20))
    with_receipt = replace(rule(rules, "medicare"), presumed_receipt_days=5)
    deadline = compute_deadline(denial(claim), claim, with_receipt, imported_on=IMPORTED_ON)
    assert deadline.due == date(2026, 10, 20) + timedelta(days=125)
    assert deadline.days == 125


# --- no-appeal denials: resubmission deadlines --------------------------------------------------


def medicare_claim(
    *, service_date: date | None = None, line_date: date | None = DOS
) -> ClaimRecord:
    return make_claim(
        [make_line(cas=[("CO", "16", "100")], service_date=line_date)],
        remarks=["MA130"],
        remittance=make_remittance("MEDICARE PART B MAC"),
        service_date=service_date,
    )


def test_no_appeal_denial_gets_a_resubmission_deadline_from_the_service_date(
    rules: PayerRules,
) -> None:
    claim = medicare_claim(service_date=DOS)
    deadline = compute_deadline(
        denial(claim), claim, rule(rules, "medicare"), imported_on=IMPORTED_ON
    )
    assert deadline.kind is DeadlineKind.RESUBMISSION
    assert (deadline.anchor, deadline.anchor_source) == (DOS, AnchorSource.SERVICE_DATE)
    assert deadline.due == date(2027, 10, 1)


def test_resubmission_uses_the_earliest_line_date_without_a_claim_date(rules: PayerRules) -> None:
    claim = medicare_claim(line_date=date(2026, 9, 3))
    deadline = compute_deadline(
        denial(claim), claim, rule(rules, "medicare"), imported_on=IMPORTED_ON
    )
    assert deadline.anchor == date(2026, 9, 3)


def test_resubmission_without_any_service_date_counts_the_shorter_window_from_the_notice(
    rules: PayerRules,
) -> None:
    claim = medicare_claim(line_date=None)
    deadline = compute_deadline(
        denial(claim), claim, rule(rules, "medicare"), imported_on=IMPORTED_ON
    )
    assert deadline.kind is DeadlineKind.RESUBMISSION
    assert deadline.anchor_source is AnchorSource.PRODUCTION_DATE
    assert deadline.days == 120


def test_medicare_timely_filing_denial_is_resubmission_not_appeal(rules: PayerRules) -> None:
    claim = make_claim(
        [make_line(cas=[("CO", "29", "100")])], remittance=make_remittance("Noridian JE Part B")
    )
    payer = claim.remittance.payer
    finding = denial(claim, medicare=is_medicare(payer, rules))
    deadline = compute_deadline(finding, claim, rules.match(payer), imported_on=IMPORTED_ON)
    assert (finding.no_appeal_reason, deadline.kind) == ("CO-29", DeadlineKind.RESUBMISSION)


# --- next levels --------------------------------------------------------------------------------


def test_next_level_deadline_counts_from_the_decision(rules: PayerRules) -> None:
    medicare, decided = rule(rules, "medicare"), date(2027, 1, 10)
    assert next_level_deadline(medicare, 1, decided) == decided + timedelta(days=180)
    assert next_level_deadline(medicare, 2, decided) == decided + timedelta(days=60)
    assert next_level_deadline(medicare, 4, decided) == decided + timedelta(days=60)
    assert next_level_deadline(medicare, 5, decided) is None
    assert next_level_deadline(rule(rules, "aetna"), 1, decided) == decided + timedelta(days=60)
    assert next_level_deadline(rule(rules, "cigna"), 1, decided) is None


def test_next_level_adds_presumed_receipt_when_opted_in(rules: PayerRules) -> None:
    medicare = replace(rule(rules, "medicare"), presumed_receipt_days=5)
    assert next_level_deadline(medicare, 1, date(2027, 1, 10)) == date(2027, 7, 14)


def test_next_level_starts_at_level_1(rules: PayerRules) -> None:
    with pytest.raises(ValueError, match="starts at 1"):
        next_level_deadline(rule(rules, "medicare"), 0, date(2027, 1, 10))


# --- override files -----------------------------------------------------------------------------

OVERRIDE = """\
rules:
  - key: aetna
    name: Aetna (our contract)
    match: {ids: [60054], names: ['\\baetna\\b']}
    appeal_days: 90
    source: contract 2026 section 7.2
  - key: tricare_east
    name: TRICARE East
    match: {names: ['tricare']}
    anchor: bpr16
    appeal_days: 90
    next_level_days: [60]
    source: https://example.org/tricare-east-appeals
"""


def test_override_file_replaces_rows_by_key_and_adds_new_ones(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(OVERRIDE, encoding="utf-8")
    rules = PayerRules.load(path)
    aetna = rules.match(Payer("AETNA"))
    assert (aetna.name, aetna.appeal_days, aetna.next_level_days) == (
        "Aetna (our contract)",
        90,
        (),
    )
    assert aetna.resubmission_days == 90  # the documented default when a row does not say
    tricare = rules.match(Payer("TRICARE East Region"))
    assert (tricare.key, tricare.anchor) == ("tricare_east", Anchor.BPR16)
    keys = [r.key for r in rules.rules]
    assert keys[0] == "tricare_east"  # a practice's own rows are tried first
    assert keys.index("aetna") == [r.key for r in default_rules().rules].index("aetna") + 1
    assert keys[-1] == "default"
    assert rules.match(Payer("Cigna")).appeal_days == 180  # untouched rows stay


def test_override_may_replace_the_default_row(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "- key: default\n  appeal_days: 60\n  source: our billing policy\n", encoding="utf-8"
    )
    assert PayerRules.load(path).match(Payer("Unknown Health Plan")).appeal_days == 60


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "- key: x\n  match: {names: [x]}\n  appeal_days: abc\n  source: s\n",
            "row 1 (key 'x'): field 'appeal_days' must be a whole number",
        ),
        ("- key: x\n  match: {names: [x]}\n  appeal_days: 0\n  source: s\n", "field 'appeal_days'"),
        (
            "- key: x\n  match: {names: [x]}\n  appeal_days: true\n  source: s\n",
            "field 'appeal_days'",
        ),
        ("- key: x\n  match: {names: [x]}\n  source: s\n", "field 'appeal_days' is required"),
        ("- key: x\n  match: {names: [x]}\n  appeal_days: 30\n", "field 'source' is required"),
        (
            "- key: x\n  match: {names: [x]}\n  appeal_days: 30\n  anchor: gs04\n  source: s\n",
            "field 'anchor' must be one of earliest, dtm405, bpr16",
        ),
        (
            "- key: x\n  match: {names: [x]}\n  apeal_days: 30\n  source: s\n",
            "field 'apeal_days' is not known",
        ),
        (
            "- key: x\n  match: {names: ['(']}\n  appeal_days: 30\n  source: s\n",
            "field 'match.names' has a bad pattern",
        ),
        (
            "- key: x\n  match: {name: [x]}\n  appeal_days: 30\n  source: s\n",
            "field 'match.name' is not known",
        ),
        ("- key: x\n  appeal_days: 30\n  source: s\n", "field 'match' needs ids or names"),
        (
            "- key: X Y\n  appeal_days: 30\n  source: s\n",
            "row 1 (key 'X Y'): field 'key' must be lower-case",
        ),
        (
            "- key: x\n  match: {names: [x]}\n  appeal_days: 30\n  next_level_days: 60\n"
            "  source: s\n",
            "field 'next_level_days' must be a list",
        ),
        (
            "- key: x\n  match: {names: [x]}\n  appeal_days: 30\n  next_level_days: [60, -1]\n"
            "  source: s\n",
            "field 'next_level_days' must be a whole number",
        ),
        (
            "- key: x\n  match: {names: [x]}\n  appeal_days: 30\n  source: s\n"
            "- key: x\n  match: {names: [y]}\n  appeal_days: 30\n  source: s\n",
            "row 2 (key 'x'): field 'key' repeats",
        ),
        ("- just text\n", "row 1: field 'key' missing"),
        ("rules: {key: x}\n", "expected a 'rules:' list"),
        ("rules: [\n", "not valid YAML"),
    ],
)
def test_bad_override_names_file_row_and_field(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "practice-rules.yaml"
    path.write_text(row, encoding="utf-8")
    with pytest.raises(InputError, match=r"practice-rules\.yaml") as error:
        PayerRules.load(path)
    assert message in str(error.value)


def test_missing_override_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file"):
        PayerRules.load(tmp_path / "missing.yaml")


# --- `denials rules` ----------------------------------------------------------------------------


def test_rules_table_reads_in_a_100_column_terminal(rules: PayerRules) -> None:
    text = format_rules_table(rules)
    assert all(len(line) <= 100 for line in text.splitlines() if "http" not in line)
    for payer_rule in rules.rules:
        assert payer_rule.key in text
        assert all(source in text for source in payer_rule.source)


def test_rules_table_shows_windows_anchor_and_matching(rules: PayerRules) -> None:
    text = format_rules_table(rules)
    medicare_row = next(line for line in text.splitlines() if line.startswith("Medicare fee"))
    assert "120" in medicare_row
    assert "180, 60, 60, 60" in medicare_row
    assert "earliest" in medicare_row
    assert "ids 60054; names aetna" in text
    assert "resubmit within 365 days of the service date" in text


def test_csv_with_report_and_file_dates_uses_the_earlier(rules: PayerRules) -> None:
    claim = appeal_claim(
        production_date=None,
        payment_date=None,
        file_date=date(2026, 11, 2),
        report_date=date(2026, 10, 30),
    )
    deadline = compute_deadline(denial(claim), claim, rule(rules, "aetna"), imported_on=IMPORTED_ON)
    assert (deadline.anchor, deadline.anchor_source) == (
        date(2026, 10, 30),
        AnchorSource.REPORT_DATE,
    )
