"""The SVG chart and its table: well-formed, labelled, escaped, CSP-safe, honest axes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.metrics.charts import Series, chart_table, line_chart_and_table, line_chart_svg

NS = {"svg": "http://www.w3.org/2000/svg"}
START = date(2026, 3, 1)
OKABE_ITO = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"}


def daily(name: str, values: list[int], start: date = START) -> Series:
    return Series(name, [(start + timedelta(days=i), v) for i, v in enumerate(values)])


def render(series: list[Series], **kwargs) -> ET.Element:
    kwargs = {"title": "Clicks per day", "description": "Clicks per team", **kwargs}
    return ET.fromstring(line_chart_svg(series, **kwargs))


def points(polyline: ET.Element) -> list[tuple[float, float]]:
    pairs = (pair.split(",") for pair in polyline.get("points", "").split())
    return [(float(x), float(y)) for x, y in pairs]


def plot_area(svg: ET.Element) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) from the drawn axes."""
    y_axis = svg.find(".//svg:line[@class='y-axis']", NS)
    x_axis = svg.find(".//svg:line[@class='x-axis']", NS)
    return (
        float(x_axis.get("x1")),
        float(y_axis.get("y1")),
        float(x_axis.get("x2")),
        float(y_axis.get("y2")),
    )


def texts(svg: ET.Element, cls: str) -> list[str]:
    return [t.text or "" for t in svg.iterfind(f".//svg:text[@class='{cls}']", NS)]


def test_svg_is_an_image_labelled_by_its_title_and_desc():
    svg = render([daily("Sales", [3, 5])], title="Clicks in March", description="Two days")
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"svg:title[@id='{title_id}']", NS).text == "Clicks in March"
    assert svg.find(f"svg:desc[@id='{desc_id}']", NS).text == "Two days"


def test_svg_scales_with_its_container():
    svg = render([daily("Sales", [3, 5])], width=600, height=240)
    assert svg.get("viewBox") == "0 0 600 240"
    assert svg.get("width") == "100%"
    assert svg.get("height") is None


def test_two_charts_on_one_page_do_not_share_ids():
    first = render([daily("Sales", [3, 5])])
    second = render([daily("Sales", [3, 6])])
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


def test_each_series_is_one_polyline_with_a_point_and_marker_per_day():
    svg = render([daily("A", [1, 2, 3, 4, 5]), daily("B", [5, 4, 3, 2, 1]), daily("C", [0] * 5)])
    groups = svg.findall(".//svg:g[@class='series']", NS)
    assert len(groups) == 3
    for group in groups:
        (polyline,) = group.findall("svg:polyline", NS)
        assert len(points(polyline)) == 5
        assert len(group.findall("svg:g/svg:use", NS)) == 5


def test_a_year_of_days_keeps_every_point_but_spaces_its_markers():
    svg = render([daily("A", [n % 7 for n in range(365)]), daily("B", [3] * 365)])
    for group in svg.findall(".//svg:g[@class='series']", NS):
        line = points(group.find("svg:polyline", NS))
        assert len(line) == 365
        marked = [
            (float(u.get("x")), float(u.get("y"))) for u in group.findall("svg:g/svg:use", NS)
        ]
        assert marked[0] == line[0] and marked[-1] == line[-1]
        assert set(marked) <= set(line)
        gaps = [b[0] - a[0] for a, b in pairwise(marked)]
        assert min(gaps) >= 12 - 0.1  # coordinates are rounded to a tenth
        assert max(gaps) < 2 * 12 + 2  # still regular enough to tell the series apart
        assert 20 < len(marked) < 60


def test_series_differ_by_colour_dash_and_marker_shape():
    svg = render([daily(f"Team {i}", [i + 1, i + 2]) for i in range(8)])
    polylines = svg.findall(".//svg:g[@class='series']/svg:polyline", NS)
    assert {p.get("stroke") for p in polylines} == OKABE_ITO
    assert len({p.get("stroke-dasharray") for p in polylines}) == 8
    markers = svg.findall(".//svg:defs/svg:path", NS)
    assert len({m.get("data-marker") for m in markers}) == 8
    assert len({m.get("d") for m in markers}) == 8
    for group, marker in zip(svg.findall(".//svg:g[@class='series']", NS), markers, strict=True):
        hrefs = {use.get("href") for use in group.iterfind("svg:g/svg:use", NS)}
        assert hrefs == {f"#{marker.get('id')}"}


def test_legend_shows_each_series_line_style_marker_and_name():
    svg = render([daily("Sales", [1, 2]), daily("Support", [2, 1])])
    marker_ids = [m.get("id") for m in svg.findall(".//svg:defs/svg:path", NS)]
    items = svg.findall(".//svg:g[@class='legend-item']", NS)
    polylines = svg.findall(".//svg:g[@class='series']/svg:polyline", NS)
    assert [item.find("svg:text", NS).text for item in items] == ["Sales", "Support"]
    for item, polyline in zip(items, polylines, strict=True):
        sample = item.find("svg:line", NS)
        assert sample.get("stroke") == polyline.get("stroke")
        assert sample.get("stroke-dasharray") == polyline.get("stroke-dasharray")
        marker_id = marker_ids[int(item.get("data-series"))]
        assert item.find("svg:use", NS).get("href") == f"#{marker_id}"


def test_hostile_names_are_escaped_and_create_no_elements():
    hostile = '<script>&"'
    raw = line_chart_svg(
        [daily(hostile, [1, 2])], title=hostile, description=hostile, y_label=hostile
    )
    assert "<script" not in raw
    assert "&lt;script&gt;&amp;&quot;" in raw
    svg = ET.fromstring(raw)
    assert not [el for el in svg.iter() if el.tag.endswith("script")]
    assert svg.find(".//svg:g[@class='legend-item']/svg:text", NS).text == hostile
    assert svg.find("svg:title", NS).text == hostile
    assert texts(svg, "y-label") == [hostile]


def test_characters_xml_cannot_hold_are_dropped():
    svg = render([daily("Sa\x00les\x1b", [1])], title="T\x07")
    assert svg.find(".//svg:g[@class='legend-item']/svg:text", NS).text == "Sales"
    assert svg.find("svg:title", NS).text == "T"


@pytest.mark.parametrize(
    ("peak", "top"), [(1, 1), (7, 8), (10, 10), (873, 1000), (10**6, 10**6), (10**6 + 1, 1_500_000)]
)
def test_y_axis_runs_from_zero_to_a_round_tick_at_or_above_the_peak(peak, top):
    svg = render([daily("Sales", [0, peak, 1])])
    ticks = [int(label.replace(",", "")) for label in texts(svg, "y-tick")]
    assert ticks[0] == 0
    assert ticks[-1] == top
    assert 2 <= len(ticks) <= 6
    steps = {b - a for a, b in pairwise(ticks)}
    assert len(steps) == 1
    _, plot_top, _, plot_bottom = plot_area(svg)
    (polyline,) = svg.findall(".//svg:polyline", NS)
    ys = [y for _, y in points(polyline)]
    assert ys[0] == plot_bottom
    assert plot_top <= ys[1] < plot_bottom


def test_x_labels_are_thinned_keeping_first_and_last_day():
    svg = render([daily("Sales", list(range(60)), start=date(2026, 1, 15))])
    labels = svg.findall(".//svg:text[@class='x-tick']", NS)
    assert 3 <= len(labels) <= 12
    assert labels[0].text == "01-15"
    assert labels[-1].text == "03-15"
    xs = [float(label.get("x")) for label in labels]
    assert min(b - a for a, b in pairwise(xs)) >= 40


def test_a_short_period_labels_every_day():
    svg = render([daily("Sales", [1, 2, 3], start=date(2026, 12, 31))])
    assert texts(svg, "x-tick") == ["12-31", "01-01", "01-02"]


def test_a_gap_day_is_plotted_at_zero():
    gappy = Series("Sales", [(START, 4), (START + timedelta(days=2), 8)])
    svg = render([gappy])
    _, _, _, plot_bottom = plot_area(svg)
    (polyline,) = svg.findall(".//svg:polyline", NS)
    assert [y == plot_bottom for _, y in points(polyline)] == [False, True, False]


@pytest.mark.parametrize(
    "series",
    [[], [daily("Sales", [0, 0, 0]), daily("Support", [0])], [Series("Sales", [])]],
    ids=["no-series", "all-zero", "no-points"],
)
def test_nothing_to_draw_says_no_clicks(series):
    svg = render(series)
    assert texts(svg, "empty") == ["No clicks in this period"]
    assert svg.findall(".//svg:polyline", NS) == []
    assert svg.get("role") == "img"


def test_more_than_eight_series_keeps_the_first_eight_and_counts_the_rest():
    svg = render([daily(f"Team {i}", [i + 1]) for i in range(11)])
    legend = svg.findall(".//svg:g[@class='legend-item']/svg:text", NS)
    assert [t.text for t in legend] == [f"Team {i}" for i in range(8)]
    more = svg.find(".//svg:g[@class='legend-more']/svg:text", NS)
    assert more.text == "(+3 more)"
    assert len(svg.findall(".//svg:polyline", NS)) == 8


@pytest.mark.parametrize("series", [[], [daily("Sales", [1, 2, 3])]], ids=["empty", "drawn"])
def test_no_inline_styles_that_csp_would_block(series):
    svg = render(series)
    for element in svg.iter():
        assert "style" not in element.attrib
        assert not element.tag.endswith("style")


def test_negative_counts_are_rejected():
    with pytest.raises(ValueError, match="negative"):
        line_chart_svg([daily("Sales", [1, -1])], title="t", description="d")


def test_chart_table_has_a_row_per_day_with_zero_for_missing_days():
    sales = Series("Sales", [(date(2026, 3, 1), 4), (date(2026, 3, 3), 1_200)])
    support = Series("Support", [(date(2026, 3, 2), 7)])
    assert chart_table([sales, support]) == [
        ["Day", "Sales", "Support"],
        ["2026-03-01", "4", "0"],
        ["2026-03-02", "0", "7"],
        ["2026-03-03", "1200", "0"],
    ]


def test_chart_table_of_nothing_is_just_the_header():
    assert chart_table([]) == [["Day"]]


@st.composite
def random_series(draw) -> list[Series]:
    days = draw(st.integers(1, 60))
    start = draw(st.dates(date(2000, 1, 1), date(2100, 1, 1)))
    count = draw(st.integers(1, 10))
    result = []
    for i in range(count):
        values = draw(st.lists(st.integers(0, 10**6), min_size=days, max_size=days))
        present = draw(st.lists(st.booleans(), min_size=days, max_size=days))
        name = draw(st.text(max_size=40)) if i % 2 else f"Team {i}"
        points = [(start + timedelta(days=k), v) for k, v in enumerate(values) if present[k]]
        result.append(Series(name, points))
    return result


@settings(deadline=None, max_examples=150)
@given(random_series())
def test_any_series_gives_well_formed_svg_with_every_point_inside_the_plot(series):
    svg = render(series, title="Clicks <per> day & team")
    polylines = svg.findall(".//svg:polyline", NS)
    if not polylines:
        assert texts(svg, "empty") == ["No clicks in this period"]
        return
    left, top, right, bottom = plot_area(svg)
    assert len(polylines) == min(len(series), 8)
    for group in svg.iterfind(".//svg:g[@class='series']", NS):
        coords = points(group.find("svg:polyline", NS))
        coords += [
            (float(u.get("x")), float(u.get("y"))) for u in group.iterfind("svg:g/svg:use", NS)
        ]
        assert all(left <= x <= right and top <= y <= bottom for x, y in coords)


def test_the_chart_and_its_table_together_equal_each_alone():
    series = [daily("A", [1, 0, 7]), Series("B", [(START + timedelta(days=4), 2)])]
    svg, table = line_chart_and_table(series, title="Clicks", description="Per team")
    assert svg == line_chart_svg(series, title="Clicks", description="Per team")
    assert table == chart_table(series)
    assert [row[0] for row in table[1:]] == [
        (START + timedelta(days=n)).isoformat() for n in range(5)
    ]
