"""The lines of help shown on the App Home, from the table that dispatches `/denials` (so the
two cannot drift)."""

from __future__ import annotations

from bot.commands.table import help_lines

HELP_LINES: tuple[tuple[str, str], ...] = help_lines()
