"""Start-up: how long the `denials` command takes before a person sees its answer.

Each figure is a whole process, as a person runs it: `denials --help`, and `denials import`
of a 50-claim 835 into an up-to-date SQLite database. Their baselines run in turn with them,
so a busy machine slows both sides of a ratio alike:

* `python -c pass` is the interpreter's own start: `--help` should add only argparse and
  the parser (every subcommand's module is imported when that subcommand runs).
* `python -c "import sqlalchemy.orm, pydantic_settings"` is the floor any command that reads
  the settings and the database pays; `denials import` adds our models, the 835 reader and the
  writes, and must not load what it does not use (pandas, matplotlib, Bolt, Alembic).

Bars: a person should not notice the wait. About 0.1 s reads as instant and 1 s keeps the
flow of work (Nielsen's response-time limits), so `--help` must stay under a quarter of a
second (the issue asks for well under half a second) and a small import under one second;
the ratios hold those bars on a slower or busier machine.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import Result, at_most, ratio
from tests.support.x835 import denied, make_835

SECTION = "start-up"
RUNS = 9
CLAIMS = 50
HELP_BAR = 0.25  # seconds
IMPORT_BAR = 1.0  # seconds
HELP_RATIO = 4.0  # against `python -c pass`
IMPORT_RATIO = 2.0  # against importing SQLAlchemy's ORM and pydantic-settings
FLOOR = "import sqlalchemy.orm, pydantic_settings"
SCRIPT = Path(sys.executable).with_name("denials")  # the console script, as a person runs it
DENIALS = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot"]


def run(work: Path, *, runs: int = RUNS) -> list[Result]:
    folder = work / "startup"
    folder.mkdir(parents=True, exist_ok=True)
    remit = folder / "remit.835"
    remit.write_bytes(make_835([denied(f"S{i:04d}") for i in range(CLAIMS)]))
    migrated = folder / "migrated.db"
    _run([*DENIALS, "db", "upgrade"], _env(migrated))
    database = folder / "denials.db"

    times = _in_turn(
        {
            "pass": lambda: _run([sys.executable, "-c", "pass"]),
            "help": lambda: _run([*DENIALS, "--help"]),
            "floor": lambda: _run([sys.executable, "-c", FLOOR]),
            "import": lambda: _run([*DENIALS, "import", str(remit)], _env(database)),
        },
        runs=runs,
        # a fresh copy each time, outside the timing: the same file again is "already imported"
        prepare={"import": lambda: shutil.copyfile(migrated, database)},
    )
    return [
        at_most(SECTION, "`denials --help`", times["help"], HELP_BAR),
        ratio(
            SECTION, "`denials --help` / `python -c pass`", times["help"], times["pass"], HELP_RATIO
        ),
        at_most(
            SECTION,
            f"`denials import` of a {CLAIMS}-claim 835 (SQLite)",
            times["import"],
            IMPORT_BAR,
        ),
        ratio(
            SECTION,
            "`denials import` / importing SQLAlchemy ORM and pydantic-settings",
            times["import"],
            times["floor"],
            IMPORT_RATIO,
        ),
    ]


def _in_turn(
    commands: dict[str, Callable[[], None]],
    *,
    runs: int,
    prepare: dict[str, Callable[[], None]],
) -> dict[str, float]:
    """Median wall time of each command, one of each per round, after a warm-up round."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_number in range(runs + 1):
        for name, command in commands.items():
            if name in prepare:
                prepare[name]()
            started = time.perf_counter()
            command()
            if round_number:  # the first round warms the disk cache
                times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def _env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DENIALS_", "SLACK_"))}
    return {**env, "DENIALS_DATABASE_URL": f"sqlite:///{database}"}


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)
