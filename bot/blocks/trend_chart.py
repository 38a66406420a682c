"""The weekly chart of `/denials trends`: denials per week for the top five values, as PNG.

Drawn on a bare `Figure` with the Agg canvas: no pyplot, so no global figure state shared
between listener threads and no GUI backend to pick. Labels are plain text (no emoji: the
default font has no glyphs for them and matplotlib would warn).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.blocks.trends import DIMENSION_WORDS
from bot.domain.trends import Trends, label_for

TITLE = "Denials per week by {dimension}, top {count} · last {span}"
Y_LABEL = "Denials"
FILE_NAME = "denial-trends-{span}-by-{dimension}.png"
FILE_TITLE = "Denial trends · last {span} · by {dimension}"
COMMENT = "Weekly denials for the top {count} by {dimension}, last {span}."
MIN_WEEKS = 2  # one point is not a trend
MAX_LABEL = 28
MAX_TICKS = 12
SIZE = (9.0, 4.5)
DPI = 110


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
    axes.set_xticks(x[::step], [f"{w:%b} {w.day}" for w in trends.weeks[::step]])
    axes.set_xlabel("Week starting")
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
