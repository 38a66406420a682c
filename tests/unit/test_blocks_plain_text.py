"""Built messages as terminal text, for `denials demo` and the README."""

from __future__ import annotations

from decimal import Decimal

from bot.blocks.denial_card import denial_card
from bot.blocks.due_list import due_list
from bot.blocks.group_card import group_card
from bot.blocks.home import home_view
from bot.blocks.modals import appeal_modal
from bot.blocks.plain_text import mrkdwn_to_plain, render_text, render_view
from tests.unit.view_builders import TODAY, make_denial, make_due, make_group, make_home, make_row


def test_a_card_renders_like_the_sketch() -> None:
    text = render_text(denial_card(make_denial(), today=TODAY).blocks)
    assert text == (
        "🔴 Denied · Aetna · $420.00\n"
        "Claim 5101Z88001 · DOS Oct 1, 2026 · Dr. Lee (NPI 1497758544)\n"
        "CPT 99213-25, 97110 · Billed $560.00 · Paid $140.00\n"
        "Appeal by Jan 14, 2027\n"
        "Next step  Find the authorization (or ask for a retro-authorization) and appeal with it "
        "attached.\n"
        "Reason\n"
        "CO-197 Precertification/authorization absent\n"
        "N54 Claim information is inconsistent with the authorization\n"
        "Root cause  Authorization (suggested)       Status  New · Unassigned\n"
        "[ Root cause ▾ ]  [ Assign ▾ ]  [ Log appeal ]  [ ⋯ ]\n"
        "D-1042 · imported Oct 20 from remit_2026-10-20.835\n"
    )


def test_mentions_entities_and_markers_become_plain() -> None:
    assert mrkdwn_to_plain("*Claim* <@U1> &lt;x&gt; &amp; `CO-197` _note_") == (
        "Claim @U1 <x> & CO-197 note"
    )
    assert mrkdwn_to_plain("<https://x.test|the card> <!here> file_name_1.835") == (
        "the card @here file_name_1.835"
    )


def test_closed_cards_group_cards_due_lists_and_home_render() -> None:
    closed = render_text(
        denial_card(
            make_denial(status="recovered", recovered_amount=Decimal(1)), today=TODAY
        ).blocks
    )
    assert "✅ Recovered $1.00 · Aetna" in closed
    assert closed.splitlines()[1].endswith("[ ⋯ ]")
    group = render_text(group_card(make_group(), today=TODAY).blocks)
    assert (
        "[ Root cause for all ▾ ]  [ Assign all ▾ ]  [ Show each claim ]  [ Record a fix ]" in group
    )
    due = render_text(due_list(make_due((make_row(days_left=-2),))).blocks)
    assert "5101Z88003 · Cigna · $180.00 · Eligibility · @UJAMES · 2 days over  [ Open ]" in due
    home = render_view(home_view(make_home()))
    assert "My denials" in home
    assert "────" in home


def test_a_modal_renders_its_title_and_inputs() -> None:
    text = render_view(appeal_modal("1:1", "5101Z88001", today=TODAY))
    assert text.startswith("== Log appeal ==\n")
    assert "Level: [ Level 1 ▾ ]" in text
    assert "Date sent: [ 2026-11-28 ]" in text
