"""A measure's run chart (or XmR chart) as accessible inline SVG, with its signals in words
and a table of the data as the alternative (no Django: plain values in, markup out).

The chart comes from :func:`stocktake.analysis.runchart.chart`. The SVG is an image with a
title and a description (what it shows and how many signals); the same facts are on the
page as text — the signals as sentences, every value in a table — so nobody needs to read
the picture. Points in a signal are drawn as larger diamonds as well as in another colour,
so the mark does not rest on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from stocktake.analysis import runchart

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 96, 20, 44  # room for the axis labels and line names
BLUE, GREY, ORANGE, GREEN, DARK = "#005eb8", "#425563", "#ed8b00", "#007f3b", "#212b32"


@dataclass(frozen=True)
class Point:
    on: date
    value: float
    note: str = ""


@dataclass(frozen=True)
class Row:
    """A row of the data table: the point and the signals it is part of, in words."""

    number: int
    on: date
    value: str
    note: str
    signals: tuple[str, ...]


@dataclass(frozen=True)
class ChartView:
    kind_label: str  # "Run chart" or "XmR chart"
    centre_label: str  # "Median 12.5 days"
    limits_label: str  # "" or "Process limits 3.1 to 20.4 days"
    svg: Markup
    signals: tuple[str, ...]
    rows: tuple[Row, ...]
    summary: str


def number(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"
    if unit in ("£", "$", "€"):
        return f"{unit}{text}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip()


def _judgement(signal: runchart.Signal, higher_is_better: bool) -> str:
    good = {"above": higher_is_better, "up": higher_is_better,
            "below": not higher_is_better, "down": not higher_is_better}.get(signal.direction)
    if good is None:
        return ""
    return " — an improvement" if good else " — a concern"


def _describe(signal: runchart.Signal, higher_is_better: bool) -> str:
    return signal.describe() + _judgement(signal, higher_is_better)


def build(points: Sequence[Point], *, name: str, unit: str = "", target: float | None = None,
          higher_is_better: bool = True, baseline_points: int | None = None) -> ChartView | None:
    """The chart of ``points`` (in date order); None when there are none."""
    points = sorted(points, key=lambda p: p.on)
    if not points:
        return None
    baseline = baseline_points if baseline_points and baseline_points < len(points) else None
    chart = runchart.chart([p.value for p in points], baseline=baseline)
    signals = tuple(_describe(s, higher_is_better) for s in chart.signals)
    per_point: dict[int, list[str]] = {}
    for s in chart.signals:
        if s.rule == runchart.RUNS:
            continue
        for i in range(s.start, s.end + 1):
            per_point.setdefault(i, []).append(s.rule.replace("_", " ").replace(
                "two of three", "two of three beyond two sigma"))
    rows = tuple(Row(i + 1, p.on, number(p.value, unit), p.note,
                     tuple(dict.fromkeys(per_point.get(i, []))))
                 for i, p in enumerate(points))
    is_xmr = chart.kind == "xmr"
    centre_label = f"{'Mean' if is_xmr else 'Median'} {number(chart.centre, unit)}"
    if baseline:
        centre_label += f" (from the first {baseline} points)"
    limits_label = (f"Process limits {number(chart.lower, unit)} to {number(chart.upper, unit)}"
                    if is_xmr else "")
    kind_label = "XmR chart" if is_xmr else "Run chart"
    summary = (f"{kind_label} of {name}: {len(points)} points from {points[0].on:%d %b %Y} to "
               f"{points[-1].on:%d %b %Y}; {centre_label.lower()}"
               + (f"; target {number(target, unit)}" if target is not None else "")
               + f"; {len(signals) or 'no'} signal{'' if len(signals) == 1 else 's'}.")
    svg = _svg(points, chart, highlighted=set(per_point), target=target, unit=unit,
               title=f"{kind_label}: {name}", summary=summary)
    return ChartView(kind_label=kind_label, centre_label=centre_label, limits_label=limits_label,
                     svg=svg, signals=signals, rows=rows, summary=summary)


def _svg(points, chart, *, highlighted: set[int], target, unit, title: str,
         summary: str) -> Markup:
    values = [p.value for p in points]
    lines = [chart.centre] + [v for v in (chart.lower, chart.upper, target) if v is not None]
    low, high = min(values + lines), max(values + lines)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (len(points) - 1) if len(points) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (high - v) / (high - low)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="stocktake-runchart" role="img" aria-labelledby="{{id}}-title {{id}}-desc" '
        f'focusable="false">',
        f'<title id="{{id}}-title">{escape(title)}</title>',
        f'<desc id="{{id}}-desc">{escape(summary)}</desc>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#ffffff" '
        f'stroke="{GREY}" stroke-width="1"/>',
    ]
    for value in (low + pad, high - pad):  # the axis: lowest and highest shown
        parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
                     f'font-size="12" fill="{DARK}">{escape(number(value, unit))}</text>')
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 16}" font-size="12" fill="{DARK}">'
                 f'{points[0].on:%d %b %Y}</text>')
    if len(points) > 1:
        parts.append(f'<text x="{x(len(points) - 1):.1f}" y="{HEIGHT - 16}" text-anchor="end" '
                     f'font-size="12" fill="{DARK}">{points[-1].on:%d %b %Y}</text>')

    def hline(value: float, label: str, colour: str, dash: str) -> None:
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(value):.1f}" '
                     f'y2="{y(value):.1f}" stroke="{colour}" stroke-width="2"'
                     + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        parts.append(f'<text x="{LEFT + plot_w + 6}" y="{y(value) + 4:.1f}" font-size="12" '
                     f'fill="{DARK}">{escape(label)}</text>')

    hline(chart.centre, "Mean" if chart.kind == "xmr" else "Median", GREY, "")
    if chart.lower is not None and chart.upper is not None:
        hline(chart.upper, "Upper limit", GREY, "6 4")
        hline(chart.lower, "Lower limit", GREY, "6 4")
    if target is not None:
        hline(target, "Target", GREEN, "2 3")
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(v):.1f}"
                    for i, v in enumerate(values))
    parts.append(f'<path d="{path}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
    for i, v in enumerate(values):
        cx, cy = x(i), y(v)
        if i in highlighted:
            parts.append(f'<path class="stocktake-runchart__signal" d="M{cx:.1f},{cy - 7:.1f} '
                         f'L{cx + 7:.1f},{cy:.1f} L{cx:.1f},{cy + 7:.1f} L{cx - 7:.1f},{cy:.1f} Z" '
                         f'fill="{ORANGE}" stroke="{DARK}" stroke-width="1"/>')
        else:
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{BLUE}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def with_id(view: ChartView, element_id: str) -> Markup:
    """The SVG with its title and description ids made unique on the page."""
    return Markup(str(view.svg).replace("{id}", escape(element_id)))
