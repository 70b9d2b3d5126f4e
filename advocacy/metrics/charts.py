"""Clicks per day per series as a server-side SVG line chart, and its table alternative.

Dependency-free and CSP-safe: presentation attributes only, never ``style``. Every text is
escaped, so the result can be embedded with ``|safe``. Series differ by colour (Okabe-Ito),
dash pattern and marker shape together, so the chart still reads in greyscale print.
"""

from __future__ import annotations

import hashlib
import math
import re
from array import array
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

MAX_SERIES = 8
EMPTY_MESSAGE = "No clicks in this period"
SVG_NS = "http://www.w3.org/2000/svg"

# Okabe-Ito, ordered so that the low-contrast yellow is the last one used.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
DASHES = ("none", "8 4", "2 3", "8 3 2 3", "14 4", "4 4", "12 3 2 3 2 3", "1 5")
# Marker paths centred on 0,0; the open ones (no closing Z) are drawn as strokes only, and
# the faint yellow gets a filled, black-edged star.
MARKERS = {
    "circle": "M-4 0a4 4 0 1 0 8 0a4 4 0 1 0-8 0Z",
    "square": "M-3.5-3.5h7v7h-7Z",
    "triangle": "M0-4.8L4.5 3.2H-4.5Z",
    "diamond": "M0-5L5 0L0 5L-5 0Z",
    "x": "M-4-4L4 4M-4 4L4-4",
    "triangle-down": "M0 4.8L4.5-3.2H-4.5Z",
    "cross": "M-4.5 0H4.5M0-4.5V4.5",
    "star": "M0-5.5L1.5-1.9L5.2-1.7L2.3 0.7L3.2 4.4L0 2.3L-3.2 4.4L-2.3 0.7L-5.2-1.7L-1.5-1.9Z",
}

CHAR_WIDTH = 6.6  # rough width of one character at font-size 12, for layout only
LEGEND_TOP, LEGEND_ROW, LEGEND_SAMPLE = 44, 20, 28
X_BAND, MIN_PLOT_HEIGHT, X_LABEL_SPACING = 34, 80, 60
MARKER_SPACING = 12  # user units between two markers of a series, at least
WIDTH, HEIGHT, Y_LABEL = 720, 280, "clicks"  # a chart's default size and y-axis label
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Series:
    name: str
    points: list[tuple[date, int]]


@dataclass(frozen=True)
class _Plot:
    """The plot area in integer user units (so rounded coordinates never leave it)."""

    left: int
    top: int
    right: int
    bottom: int
    y_max: int

    def x(self, index: int, count: int) -> float:
        if count == 1:
            return (self.left + self.right) / 2
        return self.left + index * (self.right - self.left) / (count - 1)

    def y(self, value: int) -> float:
        return self.bottom - value * (self.bottom - self.top) / self.y_max


@dataclass(frozen=True)
class _Grid:
    """Every calendar day from the first point to the last, and each series' value on it."""

    days: list[date]
    columns: list[list[int]]


def chart_table(series: list[Series]) -> list[list[str]]:
    """The chart as rows: ``["Day", *names]``, then one row per calendar day, missing → "0"."""
    return _table(series, _grid(series))


def line_chart_svg(
    series: list[Series],
    *,
    title: str,
    description: str,
    width: int = WIDTH,
    height: int = HEIGHT,
    y_label: str = Y_LABEL,
) -> str:
    """A complete, responsive ``<svg>`` of the first eight series; the rest are counted in
    the legend. Every calendar day between the first and last point is plotted, 0 when
    missing. ``height`` grows if the legend needs more room."""
    return _svg(series, _grid(series), title, description, width, height, y_label)


def line_chart_and_table(
    series: list[Series], *, title: str, description: str
) -> tuple[str, list[list[str]]]:
    """``line_chart_svg`` and ``chart_table`` of the same series, from one pass over them."""
    grid = _grid(series)
    svg = _svg(series, grid, title, description, WIDTH, HEIGHT, Y_LABEL)
    return svg, _table(series, grid)


def _table(series: list[Series], grid: _Grid) -> list[list[str]]:
    columns = grid.columns
    rows = [[day.isoformat(), *(str(c[i]) for c in columns)] for i, day in enumerate(grid.days)]
    return [["Day", *(s.name for s in series)], *rows]


def _svg(
    series: list[Series],
    grid: _Grid,
    title: str,
    description: str,
    width: int,
    height: int,
    y_label: str,
) -> str:
    uid = _chart_id(series, grid, title, description)
    if not any(any(column) for column in grid.columns):
        message = (
            f'<text class="empty" x="{width // 2}" y="{height // 2}" text-anchor="middle" '
            f'font-size="14" fill="#000">{EMPTY_MESSAGE}</text>'
        )
        return _document(uid, title, description, width, height, [message])
    shown, hidden = series[:MAX_SERIES], max(0, len(series) - MAX_SERIES)
    days, columns = grid.days, grid.columns[:MAX_SERIES]
    ticks = _nice_ticks(max(max(column) for column in columns))
    legend, legend_bottom = _legend(uid, shown, hidden, width)
    top = legend_bottom + 18
    bottom = max(height - X_BAND, top + MIN_PLOT_HEIGHT)
    left = 30 + math.ceil(len(f"{ticks[-1]:,}") * CHAR_WIDTH)
    plot = _Plot(left, top, width - 24, bottom, ticks[-1])
    xs = [_num(plot.x(i, len(days))) for i in range(len(days))]  # the same for every series
    body = [
        _marker_defs(uid, len(shown)),
        legend,
        *_axes(plot, ticks, y_label),
        *_day_labels(plot, days),
        *(_series_group(uid, i, column, plot, xs) for i, column in enumerate(columns)),
    ]
    return _document(uid, title, description, width, bottom + X_BAND, body)


def _grid(series: list[Series]) -> _Grid:
    days = _day_grid(series)
    return _Grid(days, [_values(s, days) for s in series])


def _day_grid(series: list[Series]) -> list[date]:
    """Every calendar day from the earliest point to the latest, across all series."""
    seen = [day for s in series for day, _ in s.points]
    if not seen:
        return []
    first, last = min(seen), max(seen)
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def _values(s: Series, days: list[date]) -> list[int]:
    """One value per grid day; a missing day is 0, a repeated day is summed."""
    values = [0] * len(days)
    for day, value in s.points:
        if value < 0:
            raise ValueError(f"Series {s.name!r} has a negative click count on {day}.")
        values[(day - days[0]).days] += value
    return values


def _nice_ticks(max_value: int, target: int = 5) -> list[int]:
    """0 up to the first multiple of a 1-2-5 step at or above ``max_value``."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if step * target >= max_value:
                top = max(step, -(-max_value // step) * step)
                return list(range(0, top + 1, step))
        magnitude *= 10


def _label_indices(count: int, max_labels: int) -> list[int]:
    """First, last and evenly stepped days in between, never more than ``max_labels``."""
    if count <= max_labels:
        return list(range(count))
    step = math.ceil((count - 1) / (max_labels - 1))
    picked = list(range(0, count - 1, step))
    if len(picked) > 1 and count - 1 - picked[-1] < step * 0.75:
        picked.pop()  # too close to the last label to fit beside it
    return [*picked, count - 1]


def _legend(uid: str, shown: list[Series], hidden: int, width: int) -> tuple[str, int]:
    """Line sample + marker + name (clipped) per series, wrapped; returns (svg, last row y)."""
    labels = [s.name if len(s.name) <= 28 else s.name[:27] + "…" for s in shown]
    labels += [f"(+{hidden} more)"] if hidden else []
    parts, x, y = [], 16, LEGEND_TOP
    for index, label in enumerate(labels):
        sample = LEGEND_SAMPLE + 6 if index < len(shown) else 0
        item_width = sample + math.ceil(len(label) * CHAR_WIDTH) + 18
        if x + item_width > width - 16 and x > 16:
            x, y = 16, y + LEGEND_ROW
        text = f'<text x="{x + sample}" y="{y + 4}" fill="#000">{_text(label)}</text>'
        if sample:
            parts.append(
                f'<g class="legend-item" data-series="{index}">'
                f'<line x1="{x}" y1="{y}" x2="{x + LEGEND_SAMPLE}" y2="{y}" '
                f'stroke="{PALETTE[index]}" stroke-width="2" '
                f'stroke-dasharray="{DASHES[index]}"/>'
                f'<use href="#{uid}-m{index}" x="{x + LEGEND_SAMPLE // 2}" y="{y}"/>{text}</g>'
            )
        else:
            parts.append(f'<g class="legend-more">{text}</g>')
        x += item_width
    return f'<g class="legend">{"".join(parts)}</g>', y


def _marker_defs(uid: str, count: int) -> str:
    paths = []
    for i, (name, d) in enumerate(list(MARKERS.items())[:count]):
        if d.endswith("Z"):  # a thin black edge keeps light colours visible on white and in print
            paint = f'fill="{PALETTE[i]}" stroke="#000" stroke-width="0.6"'
        else:
            paint = f'fill="none" stroke="{PALETTE[i]}" stroke-width="2"'
        paths.append(f'<path id="{uid}-m{i}" class="marker" data-marker="{name}" d="{d}" {paint}/>')
    return f"<defs>{''.join(paths)}</defs>"


def _axes(plot: _Plot, ticks: list[int], y_label: str) -> list[str]:
    """Both axes, a labelled gridline per tick, and the rotated y-axis label."""
    parts = []
    for tick in ticks:
        y = _num(plot.y(tick))
        parts.append(
            f'<line class="grid" x1="{plot.left}" y1="{y}" x2="{plot.right}" y2="{y}" '
            f'stroke="#b0b0b0" stroke-width="1"/>'
            f'<text class="y-tick" x="{plot.left - 6}" y="{_num(plot.y(tick) + 4)}" '
            f'text-anchor="end" fill="#000">{tick:,}</text>'
        )
    middle = (plot.top + plot.bottom) // 2
    parts.append(
        f'<text class="y-label" transform="translate(14 {middle}) rotate(-90)" '
        f'text-anchor="middle" fill="#000">{_text(y_label)}</text>'
        f'<line class="y-axis" x1="{plot.left}" y1="{plot.top}" x2="{plot.left}" '
        f'y2="{plot.bottom}" stroke="#000" stroke-width="1"/>'
        f'<line class="x-axis" x1="{plot.left}" y1="{plot.bottom}" x2="{plot.right}" '
        f'y2="{plot.bottom}" stroke="#000" stroke-width="1"/>'
    )
    return parts


def _day_labels(plot: _Plot, days: list[date]) -> list[str]:
    parts = []
    max_labels = max(2, (plot.right - plot.left) // X_LABEL_SPACING)
    for i in _label_indices(len(days), max_labels):
        x = _num(plot.x(i, len(days)))
        parts.append(
            f'<line x1="{x}" y1="{plot.bottom}" x2="{x}" y2="{plot.bottom + 4}" stroke="#000"/>'
            f'<text class="x-tick" x="{x}" y="{plot.bottom + 18}" text-anchor="middle" '
            f'font-size="11" fill="#000">{days[i]:%m-%d}</text>'
        )
    return parts


def _series_group(uid: str, index: int, values: list[int], plot: _Plot, xs: list[str]) -> str:
    coords = [(x, _num(plot.y(v))) for x, v in zip(xs, values, strict=True)]
    markers = "".join(
        f'<use href="#{uid}-m{index}" x="{coords[i][0]}" y="{coords[i][1]}"/>'
        for i in _marked(len(values), plot)
    )
    return (
        f'<g class="series" data-series="{index}">'
        f'<polyline points="{" ".join(f"{x},{y}" for x, y in coords)}" fill="none" '
        f'stroke="{PALETTE[index]}" stroke-width="2" stroke-dasharray="{DASHES[index]}" '
        f'stroke-linejoin="round"/><g class="markers">{markers}</g></g>'
    )


def _marked(count: int, plot: _Plot) -> range | list[int]:
    """The points that get a marker: every one when they are at least MARKER_SPACING
    apart, else evenly spaced ones and the last (a year of days would overprint its
    markers into a thick band; the line and the table keep every day)."""
    step = math.ceil(MARKER_SPACING * (count - 1) / max(1, plot.right - plot.left))
    if step <= 1:
        return range(count)
    picked = list(range(0, count, step))
    if count - 1 - picked[-1] < step / 2:
        picked.pop()  # too close to the last one
    return [*picked, count - 1]


def _document(uid: str, title: str, desc: str, width: int, height: int, body: list[str]) -> str:
    return (
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-family="system-ui, sans-serif" '
        f'font-size="12"><title id="{uid}-title">{_text(title)}</title>'
        f'<desc id="{uid}-desc">{_text(desc)}</desc>'
        f'<text class="heading" x="16" y="22" font-size="15" font-weight="bold" fill="#000">'
        f"{_text(title)}</text>{''.join(body)}</svg>"
    )


def _chart_id(series: list[Series], grid: _Grid, title: str, description: str) -> str:
    """Deterministic, and different for different charts sharing one page."""
    head = repr((title, description, [s.name for s in series], grid.days[:1], len(grid.days)))
    digest = hashlib.blake2s(head.encode("utf-8", "backslashreplace"))
    for column in grid.columns:
        digest.update(array("q", column))
    return "chart-" + digest.hexdigest()[:10]


def _text(value: str) -> str:
    """Escaped for XML text and attributes, without characters XML 1.0 cannot hold."""
    return escape(_NOT_XML.sub("", value), quote=True)


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
