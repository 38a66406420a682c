"""The `denials` command loads only what the subcommand uses (bench/startup_bench.py times it).

Each check runs in a process of its own, as a person's command does, and looks at what was
imported: a module loaded is start-up time paid, whether or not it is used.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from tests.support.x835 import denied, make_835

HEAVY = ("pandas", "numpy", "matplotlib", "slack_bolt", "apscheduler", "alembic")
# `--help` needs argparse only: not even the database or the settings' libraries.
LIBRARIES = (*HEAVY, "sqlalchemy", "pydantic", "pydantic_settings", "slack_sdk", "yaml")
RUN = """
import sys
from bot.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
print("LOADED", ",".join(sorted(name for name in {watched} if name in sys.modules)))
raise SystemExit(code)
"""


def loaded_by(
    args: list[str],
    watched: tuple[str, ...],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> tuple[list[str], str]:
    """Which of `watched` `denials ARGS` imported, and what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", RUN.format(watched=set(watched)), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,  # no stray .env
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    marker = [line for line in done.stdout.splitlines() if line.startswith("LOADED")][-1]
    names = marker.removeprefix("LOADED").strip()
    return (names.split(",") if names else []), done.stdout


def test_help_loads_no_library_beyond_argparse() -> None:
    loaded, out = loaded_by(["--help"], LIBRARIES)
    assert out.startswith("usage: denials")
    assert loaded == []


def test_an_835_import_loads_no_pandas_chart_slack_scheduler_or_migrations(
    migrated_engine: Engine, tmp_path: Path
) -> None:
    remit = tmp_path / "remit.835"
    remit.write_bytes(make_835([denied(f"ST{i}") for i in range(5)]))
    url = migrated_engine.url.render_as_string(hide_password=False)
    env = {"DENIALS_DATABASE_URL": url, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    loaded, out = loaded_by(["import", str(remit)], HEAVY, env, cwd=tmp_path)

    assert "remit.835: imported 5 claims, 5 denials" in out
    assert loaded == []
