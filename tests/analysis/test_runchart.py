"""Run-chart and XmR rules on worked examples, each expected answer worked out by hand here."""

from __future__ import annotations

import pytest

from stocktake.analysis import runchart
from stocktake.analysis.runchart import ASTRONOMICAL, NEAR_LIMITS, RUNS, SHIFT, TREND, chart


def found(c):
    return [(s.rule, s.start, s.end, s.direction) for s in c.signals]


def test_a_shift_of_six_above_the_baseline_median():
    # Baseline: the first six points 10 12 11 13 12 11 -> sorted 10 11 11 12 12 13, median 11.5.
    values = [10, 12, 11, 13, 12, 11, 14, 15, 14, 16, 15, 17]
    c = chart(values, baseline=6)
    assert c.kind == "run" and c.centre == 11.5
    # Sides: b a b a a b | a a a a a a  -> points 7..12 (indexes 6..11) above: a shift of six.
    assert (SHIFT, 6, 11, "above") in found(c)
    # Baseline process limits: mean 69/6 = 11.5; moving ranges 2 1 2 1 1, mean 1.4;
    # 11.5 +/- 2.66 * 1.4 = 7.776 .. 15.224: 16 (index 9) and 17 (index 11) lie above.
    assert [(s.start, s.direction) for s in c.signals if s.rule == ASTRONOMICAL] == [
        (9, "above"), (11, "above")]
    # Runs: b|a|b|aa|b|aaaaaa = 6 among 12 useful points, inside the limits: no runs signal.
    assert (c.runs, c.useful) == (6, 12) and RUNS not in {s.rule for s in c.signals}


def test_points_on_the_median_neither_break_nor_count_towards_a_shift():
    # Median of the whole series is 5 (sorted: 1 1 2 5 5 5 7 8 8 9 9).
    values = [1, 9, 8, 5, 9, 8, 5, 7, 2, 1, 5]
    c = chart(values)
    assert c.centre == 5
    # Above: indexes 1 2 (3 on) 4 5 (6 on) 7 -> five points above: not a shift of six.
    assert SHIFT not in {s.rule for s in c.signals}
    c = chart([1, 9, 8, 5, 9, 8, 5, 7, 9, 2, 1, 5, 1])  # one more above: six, spanning 1..8
    assert (SHIFT, 1, 8, "above") in found(c)


def test_a_trend_of_five_counting_repeated_values_once():
    # 5 7 7 8 9 11: the repeated 7 counts once -> 5 7 8 9 11 is five points going up.
    c = chart([5, 7, 7, 8, 9, 11, 6, 5])
    assert found(c) == [(TREND, 0, 5, "up")]
    # Four points going down (11 9 8 6) is not a trend.
    assert TREND not in {s.rule for s in chart([11, 9, 8, 6, 7, 9]).signals}


def test_an_astronomical_point():
    values = [10, 11, 10, 12, 11, 10, 11, 40, 11, 10]
    # Mean 136/10 = 13.6; moving ranges 1 1 2 1 1 1 29 29 1 sum 66, mean 7.333;
    # upper limit 13.6 + 2.66 * 7.333 = 33.107: 40 (index 7) lies above it.
    c = chart(values)
    assert found(c) == [(ASTRONOMICAL, 7, 7, "above")]
    assert c.centre == 11  # the run chart's median: 10 10 10 10 11 | 11 11 11 12 40


def test_runs_limits_from_the_exact_distribution():
    # 10 useful points, 5 above and 5 below: C(10,5) = 252 arrangements.
    # P(2 runs) = 2/252 = 0.008 (too few); P(<=3 runs) = (2 + 8)/252 = 0.040 > 0.025: 3 is fine.
    # By symmetry 10 runs (2/252) are too many and 9 are fine.
    assert runchart.runs_limits(10) == (3, 9)
    # 11 points, 5 above and 6 below: C(11,5) = 462. P(2) = 2/462, P(3) = (5 + 4)/462,
    # together 11/462 = 0.024 <= 0.025: 3 runs are too few. P(11) = 1/462, P(10) = 10/462,
    # together 0.024: 10 and 11 are too many.
    assert runchart.runs_limits(11) == (4, 9)


def test_an_xmr_chart_with_the_making_data_count_rules():
    values = [20, 21, 19, 20, 22, 21, 20, 19, 21, 20, 25, 26, 27, 28, 29]
    c = chart(values)  # 15 points: an XmR chart
    assert c.kind == "xmr"
    # Mean 338/15 = 22.533; moving ranges sum 21 over 14, mean 1.5; limits 22.533 +/- 3.99.
    assert (round(c.centre, 3), round(c.lower, 3), round(c.upper, 3)) == (22.533, 18.543, 26.523)
    signals = found(c)
    assert (SHIFT, 0, 9, "below") in signals  # ten points below the mean (seven needed)
    assert (TREND, 9, 14, "up") in signals  # 20 25 26 27 28 29: six going up
    assert [s[1] for s in signals if s[0] == ASTRONOMICAL] == [12, 13, 14]  # 27 28 29 > 26.523
    # Two sigma above: 22.533 + 3.99 * 2/3 = 25.193; 25 26 27 has 26 and 27 beyond it.
    assert [s for s in signals if s[0] == NEAR_LIMITS] == [(NEAR_LIMITS, 10, 12, "above")]
    assert (RUNS, 0, 14, "too few") in signals  # 2 runs among 15 points; at least 5 expected


def test_a_stable_process_has_no_signal():
    assert not chart([5, 6, 5, 7, 6, 5, 6, 7, 5, 6]).has_signal


def test_an_empty_series_is_refused():
    with pytest.raises(ValueError):
        chart([])
