"""A case's timeline: its dated facts laid out on lanes, for an inline SVG and as a list.

The chart is drawn by the template from the numbers computed here; the same items make the
text alternative, so the chart never says more than the list beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

WIDTH = 960
LEFT = 170  # room for the lane names
RIGHT = 44  # room for the last axis label
TOP = 30  # room for the axis labels
LANE_HEIGHT = 46
BOTTOM = 22  # room for the "today" label
LABEL_CHARS = 18
CHAR_WIDTH = 6.2  # an average label character at the chart's 10.5px, in chart units

# Lanes in the order they are drawn; a lane with no items is left out.
LANES: tuple[tuple[str, str], ...] = (
    ("events", "Case events"),
    ("plans", "Plans"),
    ("protected", "Protected activities"),
    ("ratings", "Ratings, promotions"),
    ("pay", "Vests, bonuses"),
    ("deadlines", "Deadlines"),
)


@dataclass(frozen=True, slots=True)
class Item:
    """One dated fact: a point, or a span when it has an ``end``."""

    lane: str
    start: date
    label: str
    detail: str = ""
    end: date | None = None
    tone: str = ""  # a CSS modifier: adverse, passed, settled

    @property
    def lane_name(self) -> str:
        """The name of the item's lane."""
        return dict(LANES)[self.lane]

    @property
    def when(self) -> str:
        """The item's date, or its span, as ISO dates."""
        if self.end is None or self.end == self.start:
            return self.start.isoformat()
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


@dataclass(frozen=True, slots=True)
class Mark:
    """An item placed on the chart."""

    x: float
    width: float  # of a span's bar; 0 for a point
    y: float
    label_y: float
    label: str
    title: str
    css: str
    span: bool


@dataclass(frozen=True, slots=True)
class Lane:
    """A row of the chart."""

    name: str
    y: float
    marks: tuple[Mark, ...]

    @property
    def name_y(self) -> float:
        """Where the lane's name sits: on its line."""
        return self.y + 4

    @property
    def bar_y(self) -> float:
        """The top of the lane's span bars."""
        return self.y - 5


@dataclass(frozen=True, slots=True)
class Tick:
    """An axis label."""

    x: float
    label: str


@dataclass(frozen=True, slots=True)
class Timeline:
    """Everything the template needs to draw the chart and its text alternative."""

    width: int
    height: int
    lanes: tuple[Lane, ...]
    ticks: tuple[Tick, ...]
    today_x: float | None
    summary: str
    items: tuple[Item, ...]
    left: int = LEFT

    @property
    def label_y(self) -> int:
        """Where the "today" label sits: at the foot of the chart."""
        return self.height - 6


def build(items: list[Item], today: date) -> Timeline | None:
    """Lay ``items`` out on their lanes; None when there is nothing dated to show."""
    if not items:
        return None
    ordered = tuple(sorted(items, key=lambda i: (i.start, i.lane, i.label)))
    first = min(i.start for i in ordered)
    last = max(*(i.end or i.start for i in ordered), today)
    # Two weeks' margin, within the calendar: a plan may end on 9999-12-31.
    first = max(first, date.min + timedelta(days=14)) - timedelta(days=14)
    last = min(last, date.max - timedelta(days=14)) + timedelta(days=14)
    scale = (WIDTH - LEFT - RIGHT) / max((last - first).days, 1)

    def x_of(day: date) -> float:
        return round(LEFT + (day - first).days * scale, 1)

    lanes: list[Lane] = []
    for key, name in LANES:
        mine = [i for i in ordered if i.lane == key]
        if not mine:
            continue
        y = TOP + len(lanes) * LANE_HEIGHT + LANE_HEIGHT / 2
        lanes.append(Lane(name, y, _marks(mine, y, x_of)))
    height = TOP + len(lanes) * LANE_HEIGHT + BOTTOM
    today_x = x_of(today) if first <= today <= last else None
    return Timeline(
        WIDTH,
        height,
        tuple(lanes),
        _ticks(first, last, x_of),
        today_x,
        _summary(ordered, today),
        ordered,
    )


def _marks(items: list[Item], y: float, x_of: Callable[[date], float]) -> tuple[Mark, ...]:
    """A lane's marks, each labelled above or below its line where the label has room.

    Labels are placed most important first (adverse steps and deadlines still to meet, then
    the rest, check-ins last); one that would overlap others on both rows is left off. The
    mark keeps its tooltip, and the list under the chart has every item.
    """
    rows: dict[float, list[tuple[float, float]]] = {y - 10: [], y + 19: []}
    placed: dict[int, tuple[float, str]] = {}
    for n in sorted(range(len(items)), key=lambda n: (_rank(items[n]), n)):
        item, x = items[n], x_of(items[n].start)
        label = item.label
        if len(label) > LABEL_CHARS:
            label = label[: LABEL_CHARS - 1] + "…"
        span = (x - len(label) * CHAR_WIDTH / 2 - 3, x + len(label) * CHAR_WIDTH / 2 + 3)
        for row, taken in rows.items():
            if all(span[1] <= a or span[0] >= b for a, b in taken):
                taken.append(span)
                placed[n] = (row, label)
                break
    return tuple(_mark(item, y, x_of, placed.get(n)) for n, item in enumerate(items))


def _rank(item: Item) -> int:
    if item.tone == "adverse" or (item.lane == "deadlines" and not item.tone):
        return 0
    return 2 if item.label == "Check-in" else 1


def _mark(
    item: Item, y: float, x_of: Callable[[date], float], label: tuple[float, str] | None
) -> Mark:
    x = x_of(item.start)
    width = max(x_of(item.end) - x, 2.0) if item.end is not None else 0.0
    css = f"tl-{item.lane}" + (f" tl-{item.tone}" if item.tone else "")
    title = f"{item.when}: {item.label}" + (f" ({item.detail})" if item.detail else "")
    label_y, text = label or (0.0, "")
    return Mark(x, round(width, 1), y, label_y, text, title, css, item.end is not None)


def _ticks(first: date, last: date, x_of: Callable[[date], float]) -> tuple[Tick, ...]:
    months = (last.year - first.year) * 12 + last.month - first.month
    step = 1 if months <= 12 else 3 if months <= 48 else 12
    # Beyond twenty years (a plan extended to 9999), ticks every so many years: some twenty.
    while months > step * 20:
        step *= 10
    ticks = []
    # Counting months from year 0, to step through them without building a date past 9999.
    for index in range(
        -(-(first.year * 12 + first.month - 1) // step) * step, last.year * 12 + last.month, step
    ):
        day = date(index // 12, index % 12 + 1, 1)
        if first <= day <= last:
            ticks.append(Tick(x_of(day), day.strftime("%b %Y")))
    return tuple(ticks)


def _summary(items: tuple[Item, ...], today: date) -> str:
    counts = {key: sum(i.lane == key for i in items) for key, _ in LANES}
    parts = [f"{counts[key]} {name.lower()}" for key, name in LANES if counts[key]]
    return (
        f"From {items[0].start.isoformat()} to {max(i.end or i.start for i in items).isoformat()}"
        f" (today is {today.isoformat()}): " + ", ".join(parts) + ". Every item is listed below."
    )
