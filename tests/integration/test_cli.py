"""The `denials` command as someone at a terminal uses it."""

from __future__ import annotations

import csv
import io
import json
import logging
from pathlib import Path

import pytest

from bot.cli import main
from bot.services.export import FIELDS
from tests.conftest import DATA
from tests.support.x835 import denied, make_835, paid

MALFORMED = DATA / "x12" / "synthetic" / "malformed"


@pytest.fixture(autouse=True)
def environment(terminal: None) -> None:
    """Every test here runs the command against the test database."""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_prints_one_line_per_file_and_exits_1_when_one_was_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = tmp_path / "good.835"
    good.write_bytes(make_835([denied("G1"), paid("G2")]))

    code, out, err = run(capsys, "import", str(MALFORMED / "bad_amount.835"), str(good))

    assert code == 1
    assert out.strip() == "good.835: imported 2 claims, 1 denial ($100.00)."
    assert err.startswith("bad_amount.835 was not imported: segment 19 (CLP)")
    assert "Traceback" not in err


def test_import_of_a_folder_then_again_says_nothing_changed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a.835").write_bytes(make_835([denied("A1")]))
    (tmp_path / "b.csv").write_bytes((DATA / "csv" / "generic_denial_export.csv").read_bytes())

    assert run(capsys, "import", str(tmp_path))[0] == 0
    code, out, _ = run(capsys, "import", str(tmp_path))

    assert code == 0
    assert out.splitlines() == [
        line
        for line in out.splitlines()
        if "already imported" in line and "nothing changed" in line
    ]
    assert len(out.splitlines()) == 2


def test_a_missing_path_is_named_and_the_others_are_imported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = tmp_path / "good.835"
    good.write_bytes(make_835([denied("G1")]))
    code, out, err = run(capsys, "import", "/no/such/remit.835", str(good))
    assert code == 1
    assert err == (
        "remit.835 was not imported: there is no such file or folder; check the path. "
        "Nothing from this file was stored.\n"
    )
    assert out == "good.835: imported 1 claim, 1 denial ($100.00).\n"


def test_export_json_and_csv_carry_exactly_the_design_fields(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    remit = tmp_path / "r.835"
    remit.write_bytes(make_835([denied("E1", carc="197"), denied("E2", carc="27")]))
    run(capsys, "import", str(remit))

    _, out, _ = run(capsys, "export", "--format", "json")
    records = [json.loads(line) for line in out.splitlines()]
    assert [tuple(r) for r in records] == [FIELDS, FIELDS]
    assert [r["claim"] for r in records] == ["E1", "E2"]

    _, out, _ = run(capsys, "export", "--format", "csv", "--all")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == FIELDS
    assert rows[0]["carcs"] == "CO-197"
    assert rows[0]["denied_amount"] == "100.00"


def test_due_answers_as_terminal_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    remit = tmp_path / "r.835"
    remit.write_bytes(make_835([denied("D1")], production_date="20260101", payment_date="20260101"))
    run(capsys, "import", str(remit), "--today", "2026-06-20")

    code, out, _ = run(capsys, "due", "14", "--today", "2026-06-20")

    assert code == 0
    assert "D1" in out
    assert "$100.00" in out


def test_patterns_answer_as_terminal_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    remit = tmp_path / "r.835"
    claims = [denied(f"D{n}", amount="100") for n in range(3)]
    remit.write_bytes(make_835(claims, production_date="20260601", payment_date="20260601"))
    run(capsys, "import", str(remit), "--today", "2026-06-20")

    code, out, _ = run(capsys, "patterns", "--today", "2026-06-20")
    assert code == 0
    assert "1. Aetna · CO-197 authorization · LEE, DANA · 99213" in out
    assert "3 denials · $300.00" in out

    code, out, _ = run(capsys, "patterns", "aetna", "197", "--today", "2026-06-20")
    assert code == 0
    assert "D2 · Jun 1 · $100.00 · New" in out
    assert run(capsys, "patterns", "cigna", "--today", "2026-06-20")[0] == 1


def test_rules_prints_the_table_in_force_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert "Medicare" in out
    assert "120" in out
    assert "https://" in out


def test_a_bad_payer_rules_file_is_named(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("payers:\n  - key: acme\n    appeal_days: soon\n")
    monkeypatch.setenv("DENIALS_PAYER_RULES", str(rules))

    code, _, err = run(capsys, "rules")

    assert code == 2
    assert "rules.yaml" in err
    assert "Traceback" not in err


def test_db_upgrade_is_idempotent(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "db", "upgrade") == (0, "Database is up to date.\n", "")
    assert run(capsys, "db", "upgrade")[0] == 0


def test_run_without_slack_settings_names_every_problem(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "run")
    assert code == 2
    assert "SLACK_BOT_TOKEN is not set" in err
    assert "SLACK_SIGNING_SECRET is not set" in err
    assert "DENIALS_CHANNEL is not set" in err
    assert "manifest.yml" in err


def test_run_with_a_user_token_says_which_token_goes_where(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-user-token")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xoxb-wrong-place")
    monkeypatch.setenv("DENIALS_CHANNEL", "#denials")
    code, _, err = run(capsys, "run")
    assert code == 2
    assert "must be the bot token starting with xoxb-" in err
    assert "SLACK_APP_TOKEN must be an app-level token starting with xapp-" in err
    assert "not a channel id" in err


def test_no_patient_data_reaches_the_logs(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    remit = tmp_path / "r.835"
    remit.write_bytes(make_835([denied("P1")]))  # the builder names the patient TESTPATIENT
    bad = tmp_path / "bad.835"
    bad.write_bytes(make_835([denied("P2")]).replace(b"CLP*P2*1*100*0", b"CLP*P2*1*1O0*0"))

    _, out, err = run(capsys, "import", str(remit), str(bad))
    _, exported, _ = run(capsys, "export", "--format", "json")

    assert "TESTPATIENT" not in caplog.text + out + err + exported
    assert "ZZT0001" not in caplog.text + out + err + exported  # member id


def test_audit_prints_a_denials_whole_history(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    remit = tmp_path / "a.835"
    remit.write_bytes(make_835([denied("AUD1")]))
    assert run(capsys, "import", str(remit))[0] == 0

    code, out, _ = run(capsys, "audit", "AUD1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "History of claim AUD1"
    assert "came in with a.835" in lines[1]
    assert "at the terminal" in lines[1]
    assert "Read-only" in lines[-1]

    code, out, _ = run(capsys, "audit", "NOPE-NOTHING")
    assert code == 1
    assert "NOPE-NOTHING" in out
