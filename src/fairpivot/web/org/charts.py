"""The org analytics charts: bars and columns laid out here, drawn by the templates as SVG.

Each chart is built from the same rows as the table beneath it, so the chart never says
more than its table. What a colour means is always written out as well (an over-target
bar also says "over target"), so nothing rests on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 720
LEFT = 190  # room for the row labels
RIGHT = 200  # room for the text after a bar
ROW = 30
BAR = 16
TOP = 24  # room for the reference line's label
LABEL_CHARS = 28
COLUMN_HEIGHT = 180  # of the columns' plot area
COLUMN_BOTTOM = 40  # room for the quarter labels


@dataclass(frozen=True, slots=True)
class BarRow:
    """One row as given: a label, a value (None: no bar), the words after it, a marker."""

    label: str
    value: float | None
    text: str
    css: str = ""
    marker: float | None = None  # a per-row reference, such as the org's target
    marker_text: str = ""


@dataclass(frozen=True, slots=True)
class Bar:
    """One row placed on the chart."""

    label: str
    full_label: str
    label_y: float
    y: float
    width: float
    text: str
    text_x: float
    css: str
    marker_x: float | None
    marker_text: str

    @property
    def marker_top(self) -> float:
        """Where a marker starts: a little above its bar, so it shows over a long one."""
        return self.y - 4

    @property
    def marker_bottom(self) -> float:
        """Where a marker ends."""
        return self.y + BAR + 4


@dataclass(frozen=True, slots=True)
class BarChart:
    """Horizontal bars, with an optional reference line across every row."""

    width: int
    height: int
    left: int
    plot_width: int
    bars: tuple[Bar, ...]
    line_x: float | None
    line_label: str

    @property
    def label_x(self) -> int:
        """Where the row labels end (they are right-aligned)."""
        return self.left - 8


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a column chart."""

    label: str
    x: float
    y: float
    width: float
    height: float
    text: str
    text_y: float
    label_x: float


@dataclass(frozen=True, slots=True)
class ColumnChart:
    """Columns over time, with an optional reference line (the target)."""

    width: int
    height: int
    base_y: float
    left: int
    columns: tuple[Column, ...]
    line_y: float | None
    line_label: str


def short(label: str) -> str:
    """A label cut to fit the label column; the full one goes in the bar's tooltip."""
    return label if len(label) <= LABEL_CHARS else "…" + label[-(LABEL_CHARS - 1) :]


def bar_chart(
    rows: Sequence[BarRow],
    *,
    line: float | None = None,
    line_label: str = "",
    top: float = 0,
    limit: float | None = None,
) -> BarChart:
    """Lay out ``rows`` as bars on one scale, from 0 to the largest value, marker or line.

    ``top`` is the least the scale reaches, ``limit`` the most: a longer bar is cut there
    (its words still give its value).
    """
    plot = WIDTH - LEFT - RIGHT
    values = [r.value or 0.0 for r in rows] + [r.marker or 0.0 for r in rows] + [line or 0.0]
    scale = max([top, *values]) or 1.0
    if limit is not None:
        scale = min(scale, limit)

    def x(value: float) -> float:
        return round(LEFT + plot * min(value, scale) / scale, 1)

    bars = []
    for i, row in enumerate(rows):
        y = TOP + i * ROW
        end = x(row.value) if row.value is not None else LEFT
        bars.append(
            Bar(
                label=short(row.label),
                full_label=row.label,
                label_y=y + BAR - 3,
                y=y,
                width=round(end - LEFT, 1),
                text=row.text,
                text_x=end + 6,
                css=row.css,
                marker_x=None if row.marker is None else x(row.marker),
                marker_text=row.marker_text,
            )
        )
    return BarChart(
        width=WIDTH,
        height=TOP + len(rows) * ROW + 6,
        left=LEFT,
        plot_width=plot,
        bars=tuple(bars),
        line_x=None if line is None else x(line),
        line_label=line_label,
    )


def column_chart(
    columns: Sequence[tuple[str, float | None, str]], *, line: float | None, line_label: str
) -> ColumnChart:
    """Lay out (label, value, words) columns side by side, on one scale with the line."""
    left, right = 40, 110
    plot = WIDTH - left - right
    slot = plot / max(len(columns), 1)
    scale = max([value or 0.0 for _, value, _ in columns] + [line or 0.0]) or 1.0
    base = TOP + COLUMN_HEIGHT

    def y(value: float) -> float:
        return round(base - COLUMN_HEIGHT * value / scale, 1)

    placed = []
    for i, (label, value, text) in enumerate(columns):
        top = y(value or 0.0)
        placed.append(
            Column(
                label=label,
                x=round(left + i * slot + slot * 0.15, 1),
                y=top,
                width=round(slot * 0.7, 1),
                height=round(base - top, 1),
                text=text,
                text_y=top - 4,
                label_x=round(left + i * slot + slot / 2, 1),
            )
        )
    return ColumnChart(
        width=WIDTH,
        height=TOP + COLUMN_HEIGHT + COLUMN_BOTTOM,
        base_y=base,
        left=left,
        columns=tuple(placed),
        line_y=None if line is None else y(line),
        line_label=line_label,
    )
