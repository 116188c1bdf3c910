"""Horizontal bar charts drawn on the server as inline SVG (no script, no chart library): one
group of bars per row (a block, an industry …), one bar per series (target, actual …). This
module only places the bars; the template staff/reports/_chart.html draws them."""

from dataclasses import dataclass

LABEL_WIDTH = 100  # the row labels, right-aligned against the bars
BAR_AREA = 250  # the longest bar
VALUE_WIDTH = 70  # the figure printed after each bar
BAR_HEIGHT = 12
BAR_GAP = 2
GROUP_GAP = 10
TOP = 6
BARS_X = LABEL_WIDTH + 6
COLOURS = ("#9aa5b1", "#1f5fbf", "#d9822b")  # grey for the target or the year before


@dataclass(frozen=True)
class Bar:
    y: int
    width: float
    value: int | None
    colour: str

    @property
    def value_x(self) -> float:
        """Where the figure is printed: just after the end of the bar."""
        return BARS_X + self.width + 4


@dataclass(frozen=True)
class Group:
    label: str
    label_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class Chart:
    title: str
    series: list[Series]
    groups: list[Group]
    height: int
    width: int = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    bars_x: int = BARS_X


def bar_chart(title: str, series: list[str], rows: list[tuple[str, list[int | None]]]) -> Chart:
    """A chart of `rows` (label, one value per series; None draws no bar), bars scaled to the
    largest value."""
    largest = max((v for _, values in rows for v in values if v), default=0)
    groups, y = [], TOP
    for label, values in rows:
        bars = []
        for index, value in enumerate(values):
            # A count too small to see against the largest still gets a sliver: it is not zero.
            width = max(round(value * BAR_AREA / largest, 1), 1.0) if value else 0.0
            bars.append(Bar(y, width, value, COLOURS[index % len(COLOURS)]))
            y += BAR_HEIGHT + BAR_GAP
        groups.append(Group(label, bars[0].y + len(values) * (BAR_HEIGHT + BAR_GAP) // 2 + 4, bars))
        y += GROUP_GAP
    return Chart(
        title,
        [Series(name, COLOURS[index % len(COLOURS)]) for index, name in enumerate(series)],
        groups,
        y,
    )
