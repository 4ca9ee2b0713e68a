"""The run-chart SVG builder: the chart, its signals in words and the data table."""

from __future__ import annotations

from datetime import date, timedelta

from stocktake.web.presenters.runchart_svg import Point, build, number, with_id


def _points(values):
    start = date(2025, 1, 1)
    return [Point(start + timedelta(days=7 * i), v) for i, v in enumerate(values)]


def test_a_shift_is_described_marked_on_the_chart_and_in_the_table():
    values = [10, 12, 9, 11, 10, 12, 9, 11, 5, 6, 5, 6, 5, 6]  # six low after the change
    view = build(_points(values), name="Days to follow-up", unit="days", target=7,
                 higher_is_better=False, baseline_points=8)
    assert view.kind_label == "Run chart" and view.centre_label.startswith("Median")
    assert view.signals == ("Shift: 6 points in a row below the centre line (points 9 to 14)"
                            " — an improvement",)
    assert view.centre_label == "Median 10.5 days (from the first 8 points)"
    svg = str(with_id(view, "m1"))
    assert svg.count('class="stocktake-runchart__signal"') == 6
    assert 'role="img"' in svg and 'aria-labelledby="m1-title m1-desc"' in svg
    assert "Target" in svg and "{id}" not in svg
    assert [r.signals for r in view.rows][8:] == [("shift",)] * 6
    assert view.rows[0].signals == () and view.rows[0].value == "10 days"


def test_fifteen_points_make_an_xmr_chart_with_limits():
    values = [20, 21, 19, 20, 22, 20, 21, 19, 20, 21, 20, 19, 21, 20, 45]
    view = build(_points(values), name="Falls", higher_is_better=False)
    assert view.kind_label == "XmR chart" and view.limits_label.startswith("Process limits")
    assert any("Point 15 lies above the process limits — a concern" == s for s in view.signals)
    assert "Upper limit" in str(view.svg) and view.rows[14].signals == ("astronomical",)


def test_no_points_no_chart_and_text_is_escaped():
    assert build([], name="x") is None
    view = build(_points([1, 2]), name="<script>", unit="£")
    assert "<script>" not in str(view.svg) and "&lt;script&gt;" in str(view.svg)
    assert number(1250.5, "£") == "£1,250.5" and number(3, "%") == "3%"
