"""Reports of layouts found after issue 11, shared in the channel: each imports on the first
try, with no question, and its thread says what was skipped or assumed. Real HTTP, signed
requests, the Slack stand-in."""

from __future__ import annotations

from tests.conftest import DATA
from tests.e2e.bot_harness import BotUnderTest
from tests.e2e.test_column_mapping_e2e import denial_count, replies, share


def shared(bot: BotUnderTest, name: str) -> str:
    _, share_ts = share(bot, name, (DATA / "csv" / name).read_bytes())
    (reply,) = replies(bot, share_ts, 1)
    assert "actions" not in [b["type"] for b in reply.blocks or []]  # nothing to map or fix
    return str(reply.text)


def test_totals_account_keys_and_a_payer_above_the_header_import_without_a_question(
    bot: BotUnderTest,
) -> None:
    text = shared(bot, "denial_summary_with_totals.csv")
    assert text.startswith("denial_summary_with_totals.csv: imported 5 claims, 4 denials ($775.00)")
    assert "lines 5, 6, 9, 10, 11, 12: totals and subtotals, not claims; skipped" in text

    text = shared(bot, "account_keyed_denials.csv")
    assert text.startswith("account_keyed_denials.csv: imported 4 claims, 3 denials ($685.00)")
    assert 'the patient account ("Acct #") stands for it' in text

    text = shared(bot, "payer_portal_claim_search.csv")
    assert text.startswith("payer_portal_claim_search.csv: imported 5 claims, 3 denials ($415.00)")
    assert '("UnitedHealthcare") is the payer of every row' in text
    assert denial_count(bot) == 10
