"""Run charts and XmR (SPC) charts for an innovation's measures, with the standard rules.

A measure is a series of dated values (waiting days, cost per case, falls per 1,000 bed
days…). Whether a change made a difference is judged from the series, not from two
numbers, with the rules used across the NHS:

Run chart rules (Perla, Provost and Murray, "The run chart: a simple analytical tool for
learning from variation in healthcare processes", BMJ Quality & Safety 2011):

- **shift**: six or more consecutive points all above, or all below, the median. Points on
  the median neither break a shift nor count towards it;
- **trend**: five or more consecutive points all going up, or all going down. Repeated
  values (two or more successive points the same) count once;
- **runs**: too few or too many runs for the number of useful observations (those not on
  the median), at 5% risk in all (2.5% in each tail), computed from the exact
  distribution of the number of runs with the points split evenly above and below
  (Swed and Eisenhart, 1943). Published tables, read from other splits, differ from it by
  one run at some sizes;
- **astronomical point**: a value obviously different from the rest. The paper leaves that to
  judgement; here it is a point outside the XmR process limits of the whole series.

XmR (individuals) chart, as NHS England's "Making data count" draws it, when there are at
least :data:`SPC_MIN_POINTS` points: the mean, process limits at mean ± 2.66 × the mean
moving range, and the signals: a point outside the limits; a **shift** of seven or more
points on one side of the mean; a **trend** of six or more points going one way; two out
of three points beyond two sigma on the same side.

Pure Python, no Django: values in, a :class:`Chart` out.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from math import comb

RUN_SHIFT, RUN_TREND = 6, 5  # run chart rules
SPC_SHIFT, SPC_TREND = 7, 6  # "Making data count" rules for XmR charts
SPC_MIN_POINTS = 15  # fewer points than this: a run chart, not an SPC chart
RUNS_MIN_USEFUL = 10  # the runs rule needs at least this many points off the median
RUNS_RISK = 0.05  # in all, both tails together (as the published table)
XMR_CONSTANT = 2.66  # 3 / d2 with d2 = 1.128 for moving ranges of two points

SHIFT, TREND, RUNS, ASTRONOMICAL, NEAR_LIMITS = (
    "shift", "trend", "runs", "astronomical", "two_of_three")


@dataclass(frozen=True)
class Signal:
    """A non-random pattern: which rule, where (point indexes, inclusive) and which way."""

    rule: str
    start: int
    end: int
    direction: str  # "above"/"below" (shift, astronomical, two of three), "up"/"down" (trend),
    # "too few"/"too many" (runs)

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def describe(self) -> str:
        points = f"points {self.start + 1} to {self.end + 1}"
        if self.rule == SHIFT:
            return f"Shift: {self.length} points in a row {self.direction} the centre line ({points})"
        if self.rule == TREND:
            return f"Trend: {self.length} points going {self.direction} ({points})"
        if self.rule == RUNS:
            return f"Runs: {self.direction} runs for the number of points — not random variation"
        if self.rule == ASTRONOMICAL:
            return f"Point {self.start + 1} lies {self.direction} the process limits"
        return f"Two of three points beyond two sigma, {self.direction} the mean ({points})"


@dataclass(frozen=True)
class Chart:
    """A measure's chart: its kind, centre line, limits (XmR only) and signals."""

    kind: str  # "run" or "xmr"
    values: tuple[float, ...]
    centre: float  # the median (run chart) or the mean (XmR)
    lower: float | None
    upper: float | None
    signals: tuple[Signal, ...]
    runs: int
    useful: int  # points not on the centre line
    runs_limits: tuple[int, int] | None  # (fewest, most) runs expected, when the rule applies

    @property
    def has_signal(self) -> bool:
        return bool(self.signals)


def _sides(values, centre: float) -> list[int]:
    """+1 above, -1 below, 0 on the centre line, per point."""
    return [(v > centre) - (v < centre) for v in values]


def shifts(values, centre: float, *, length: int = RUN_SHIFT) -> list[Signal]:
    """Runs of ``length`` or more points on one side of ``centre`` (points on it skipped)."""
    signals, run, start, last = [], 0, 0, 0
    side = 0
    for index, s in enumerate(_sides(values, centre) + [None]):
        if s == 0:
            continue
        if s is not None and s == side:
            run, last = run + 1, index
            continue
        if side and run >= length:
            signals.append(Signal(SHIFT, start, last, "above" if side > 0 else "below"))
        side, run, start, last = (s or 0), 1, index, index
    return signals


def trends(values, *, length: int = RUN_TREND) -> list[Signal]:
    """``length`` or more points going one way; successive equal values count once."""
    # Collapse repeats: each group is (first index, last index, value).
    groups: list[list] = []
    for index, value in enumerate(values):
        if groups and groups[-1][2] == value:
            groups[-1][1] = index
        else:
            groups.append([index, index, value])
    signals, start, direction = [], 0, 0
    for g in range(1, len(groups) + 1):
        step = 0 if g == len(groups) else (groups[g][2] > groups[g - 1][2]) - (
            groups[g][2] < groups[g - 1][2])
        if g < len(groups) and step == direction:
            continue
        # The monotone stretch groups[start .. g-1] ends here.
        if direction and g - start >= length:
            signals.append(Signal(TREND, groups[start][0], groups[g - 1][1],
                                  "up" if direction > 0 else "down"))
        start, direction = g - 1, step
    return signals


def count_runs(values, centre: float) -> tuple[int, int]:
    """(number of runs, useful observations): points on the centre line are left out."""
    sides = [s for s in _sides(values, centre) if s]
    runs = sum(1 for i, s in enumerate(sides) if i == 0 or s != sides[i - 1])
    return runs, len(sides)


def runs_limits(useful: int, *, risk: float = RUNS_RISK) -> tuple[int, int]:
    """The fewest and most runs expected at random among ``useful`` points (half each side).

    Exact distribution of the number of runs (Swed and Eisenhart); ``risk`` split between
    the tails. Fewer runs than the first, or more than the second, is a signal.
    """
    above = useful // 2
    below = useful - above
    total = comb(useful, above)

    def p(runs: int) -> float:
        k, odd = divmod(runs, 2)
        if not odd:
            return 2 * comb(above - 1, k - 1) * comb(below - 1, k - 1) / total
        return (comb(above - 1, k - 1) * comb(below - 1, k)
                + comb(above - 1, k) * comb(below - 1, k - 1)) / total

    possible = range(2, useful + 1)
    tail = risk / 2
    fewest, cumulative = 2, 0.0
    for r in possible:
        cumulative += p(r)
        if cumulative > tail:
            fewest = r
            break
    most, cumulative = useful, 0.0
    for r in reversed(possible):
        cumulative += p(r)
        if cumulative > tail:
            most = r
            break
    return fewest, most


def xmr_limits(values) -> tuple[float, float, float]:
    """(mean, lower, upper) process limits of an individuals chart."""
    mean = statistics.fmean(values)
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    spread = XMR_CONSTANT * (statistics.fmean(ranges) if ranges else 0.0)
    return mean, mean - spread, mean + spread


def outside(values, lower: float, upper: float) -> list[Signal]:
    return [Signal(ASTRONOMICAL, i, i, "above" if v > upper else "below")
            for i, v in enumerate(values) if v > upper or v < lower]


def two_of_three(values, mean: float, lower: float, upper: float) -> list[Signal]:
    """Two of three successive points beyond two sigma (two thirds of the way to a limit)."""
    high, low = mean + (upper - mean) * 2 / 3, mean - (mean - lower) * 2 / 3
    signals = []
    for start in range(len(values) - 2):
        window = values[start:start + 3]
        for direction, beyond in (("above", [v > high for v in window]),
                                  ("below", [v < low for v in window])):
            if sum(beyond) >= 2 and not any(
                    s.direction == direction and s.end >= start for s in signals):
                signals.append(Signal(NEAR_LIMITS, start, start + 2, direction))
    return signals


def chart(values, *, baseline: int | None = None, spc: bool | None = None) -> Chart:
    """The chart of a series, and its signals.

    ``baseline``: the centre line (and limits) from the first ``baseline`` points only, so
    later points are judged against the time before a change. ``spc``: force an XmR chart
    (True) or a run chart (False); by default XmR from :data:`SPC_MIN_POINTS` points.
    """
    values = tuple(float(v) for v in values)
    if not values:
        raise ValueError("A chart needs at least one value")
    base = values[:baseline] if baseline else values
    if spc is None:
        spc = len(values) >= SPC_MIN_POINTS
    if spc:
        centre, lower, upper = xmr_limits(base)
        signals = (outside(values, lower, upper) + shifts(values, centre, length=SPC_SHIFT)
                   + trends(values, length=SPC_TREND)
                   + two_of_three(values, centre, lower, upper))
        kind = "xmr"
    else:
        centre = statistics.median(base)
        _, lower, upper = xmr_limits(base)
        signals = (shifts(values, centre) + trends(values) + outside(values, lower, upper))
        lower = upper = None
        kind = "run"
    runs, useful = count_runs(values, centre)
    limits = runs_limits(useful) if useful >= RUNS_MIN_USEFUL else None
    if limits and not (limits[0] <= runs <= limits[1]):
        signals.append(Signal(RUNS, 0, len(values) - 1,
                              "too few" if runs < limits[0] else "too many"))
    return Chart(kind=kind, values=values, centre=centre, lower=lower, upper=upper,
                 signals=tuple(sorted(signals, key=lambda s: (s.start, s.rule))),
                 runs=runs, useful=useful, runs_limits=limits)
