"""The weekly chart of `/denials trends`: denials per week for the top five values, as PNG.

Drawn on a bare `Figure` with the Agg canvas: no pyplot, so no global figure state shared
between listener threads and no GUI backend to pick. Labels are plain text (no emoji: the
default font has no glyphs for them and matplotlib would warn).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.blocks.trends import DIMENSION_WORDS
from bot.domain.trend_periods import week_days
from bot.domain.trends import Trends, label_for

TITLE = "Denials per week by {dimension}, top {count} · last {span}"
Y_LABEL = "Denials"
X_LABEL = "Weeks, Monday to Sunday (a week cut by the period says how many days it holds)"
FILE_NAME = "denial-trends-{span}-by-{dimension}.png"
FILE_TITLE = "Denial trends · last {span} · by {dimension}"
COMMENT = "Weekly denials for the top {count} by {dimension}, last {span}."
MIN_WEEKS = 2  # one point is not a trend
MAX_LABEL = 28
MAX_TICKS = 12
SIZE = (9.0, 4.5)
DPI = 110


def _week_label(trends: Trends, start: date) -> str:
    """`Nov 2`, or `Nov 30 (1 day)` for a week the period cuts short."""
    days = week_days(trends.period, start)
    label = f"{start:%b} {start.day}"
    return label if days == 7 else f"{label} ({days} day{'s' if days > 1 else ''})"


@dataclass(frozen=True, slots=True)
class ChartFile:
    content: bytes
    filename: str
    title: str
    comment: str


def trend_chart(trends: Trends) -> ChartFile | None:
    """The PNG, or None when there is nothing worth drawing."""
    if len(trends.weeks) < MIN_WEEKS or not any(sum(s.counts) for s in trends.series):
        return None
    words = {
        "dimension": DIMENSION_WORDS[trends.dimension],
        "span": trends.span.words,
        "count": len(trends.series),
    }
    figure = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    x = list(range(len(trends.weeks)))
    for series in trends.series:
        label = label_for(trends.dimension, series.key)
        if len(label) > MAX_LABEL:
            label = label[: MAX_LABEL - 1] + "…"
        axes.plot(x, series.counts, marker="o", linewidth=1.8, label=label)
    axes.set_title(TITLE.format(**words))
    axes.set_ylabel(Y_LABEL)
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    step = -(-len(x) // MAX_TICKS)  # every week up to 12 weeks, then every 2nd, 3rd, ...
    labels = [_week_label(trends, w) for w in trends.weeks]
    axes.set_xticks(x[::step], labels[::step])
    axes.set_xlabel(X_LABEL)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="upper left", fontsize="small", frameon=False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return ChartFile(
        content=buffer.getvalue(),
        filename=FILE_NAME.format(span=trends.span.label, dimension=trends.dimension),
        title=FILE_TITLE.format(**words),
        comment=COMMENT.format(**words),
    )
