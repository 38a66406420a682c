"""`denials jobs run NAME [--today YYYY-MM-DD]`: one scheduled job, once, now.

The same code as the scheduler's tick, without the tick lock (a person asked for it) and
never marked late. The ledger still decides: a digest or warning already sent is not sent
again, so running a job by hand next to a live bot is safe.
"""

from __future__ import annotations

import sys

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.app import build_deps
from bot.bootstrap import Runtime
from bot.config import Settings
from bot.jobs.context import build_jobs
from bot.jobs.scheduler import RUNS, run_now
from bot.slack.advice import explain

NO_BOT_TOKEN = (
    "denials jobs run {name} needs SLACK_BOT_TOKEN (xoxb-...) to talk to Slack: "  # noqa: S105
    "set it in the environment or a .env file."
)
UNKNOWN = "Unknown job {name!r}: choose one of {names}."
SLACK_FAILED = "denials jobs run {name}: Slack refused a call ({why})."
UNREACHABLE = "denials jobs run {name}: Slack could not be reached ({why})."


def run_job_command(settings: Settings, runtime: Runtime, name: str) -> int:
    """Print what the job did, one line each; exit 1 when something was not done."""
    if name not in RUNS:
        print(UNKNOWN.format(name=name, names=", ".join(RUNS)), file=sys.stderr)
        return 2
    if not settings.slack_bot_token:
        print(NO_BOT_TOKEN.format(name=name), file=sys.stderr)
        return 2
    deps = build_deps(settings, runtime=runtime)
    try:
        jobs = build_jobs(deps)
    except ValueError as error:  # DENIALS_DIGEST_AT or DENIALS_WARNING_DAYS
        print(error, file=sys.stderr)
        return 2
    try:
        report = run_now(jobs, name, runtime.clock.now())
    except SlackApiError as error:
        print(SLACK_FAILED.format(name=name, why=explain(error)), file=sys.stderr)
        return 1
    except (SlackClientError, OSError) as error:
        print(UNREACHABLE.format(name=name, why=type(error).__name__), file=sys.stderr)
        return 1
    for line in report.lines():
        print(line, file=sys.stderr if line.startswith(f"{name}: error:") else sys.stdout)
    return 1 if report.errors else 0
