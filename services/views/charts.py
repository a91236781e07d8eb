"""Server-side SVG charts: geometry computed here, drawn by templates/services/chart_bars.html.

No JavaScript and no CDN; every chart is shown beside a table with the same figures.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    series: int
    value: float
    display: str
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class BarGroup:
    label: str
    label_y: float
    bars: list[Bar] = field(default_factory=list)


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    label_width: int
    groups: list[BarGroup]
    legend: list[tuple[int, str]]
    legend_y: float


def bar_chart(
    *,
    title: str,
    groups: list[tuple[str, list[float | int | None]]],
    series: list[str],
    width: int = 640,
    label_width: int = 130,
    bar_height: int = 18,
    gap: int = 12,
    value_format: str = "{:,}",
) -> BarChart:
    """Horizontal bars: one group per label, one bar per series, scaled to the largest value."""
    values = [v or 0 for _label, row in groups for v in row]
    top = max(values, default=0) or 1
    plot = width - label_width - 80
    legend_height = 28 if len(series) > 1 else 0
    y = legend_height + 6
    chart_groups: list[BarGroup] = []
    for label, row in groups:
        bars = []
        start = y
        for index, value in enumerate(row):
            length = plot * (value or 0) / top
            bars.append(
                Bar(
                    series=index,
                    value=value or 0,
                    display="–" if value is None else value_format.format(value),
                    x=label_width,
                    y=y,
                    width=round(length, 1),
                    height=bar_height,
                    text_x=round(label_width + length + 6, 1),
                    text_y=y + bar_height - 4,
                )
            )
            y += bar_height + 2
        chart_groups.append(BarGroup(label=label, label_y=(start + y) / 2 + 4, bars=bars))
        y += gap
    return BarChart(
        title=title,
        width=width,
        height=int(y + 4),
        label_width=label_width,
        groups=chart_groups,
        legend=list(enumerate(series)) if len(series) > 1 else [],
        legend_y=18,
    )
