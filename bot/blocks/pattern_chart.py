"""The chart of `/denials patterns PATTERN`: the pattern's weekly rate per 100 claims, as PNG,
with the fix's effective date marked. Drawn like the trends chart (bare Figure, Agg canvas)."""

from __future__ import annotations

import io
import re
from datetime import date

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.blocks.patterns import PatternDetail
from bot.blocks.trend_chart import DPI, MAX_TICKS, SIZE, ChartFile

TITLE = "{label}: denials per 100 claims, by week"
Y_LABEL = "Denials per 100 claims"
FIX_LABEL = "Fix from {day}"
FILE_NAME = "pattern-{slug}.png"
FILE_TITLE = "Weekly rate · {label}"
COMMENT = "Weekly rate of {label} per 100 claims{fix}."
MAX_TITLE = 70


def pattern_chart(detail: PatternDetail) -> ChartFile | None:
    """The PNG, or None when no week had claims to divide by."""
    weeks = detail.weeks
    rates = [float(c.rate) if c.rate is not None else None for _, c in weeks]
    if len(weeks) < 2 or all(r is None for r in rates):
        return None
    label = detail.row.label
    short = label if len(label) <= MAX_TITLE else label[: MAX_TITLE - 1] + "…"
    figure = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    x = list(range(len(weeks)))
    axes.bar(x, [r or 0.0 for r in rates], color="#c0392b", width=0.7, label="Rate that week")
    fix = detail.row.fix
    if fix is not None:
        axes.axvline(
            _position(weeks[0][0], fix.effective),
            color="#2c3e50",
            linestyle="--",
            linewidth=1.6,
            label=FIX_LABEL.format(day=f"{fix.effective:%b} {fix.effective.day}"),
        )
    axes.set_title(TITLE.format(label=short))
    axes.set_ylabel(Y_LABEL)
    axes.set_ylim(bottom=0)
    step = -(-len(x) // MAX_TICKS)
    axes.set_xticks(x[::step], [f"{w:%b} {w.day}" for w, _ in weeks[::step]])
    axes.set_xlabel("Week starting")
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="upper right", fontsize="small", frameon=False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    fix_words = "" if fix is None else f", fix from {fix.effective:%b} {fix.effective.day} marked"
    return ChartFile(
        content=buffer.getvalue(),
        filename=FILE_NAME.format(slug=_slug(label)),
        title=FILE_TITLE.format(label=short),
        comment=COMMENT.format(label=short, fix=fix_words),
    )


def _position(first_week: date, day: date) -> float:
    """Where a day falls on the week axis: bars are centred on whole numbers."""
    return (day - first_week).days / 7 - 0.5


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:60] or "pattern"
