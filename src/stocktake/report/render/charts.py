"""The report's two charts — theme × system heatmap, achievements against challenges per
theme — as inline SVG for the HTML report and as PNG (matplotlib, Agg) for Word and PDF.

Both drawings come from the same data (:class:`~stocktake.report.data.Heatmap`,
:class:`~stocktake.report.data.BalanceRow`), use the same colours and carry the
same description (:func:`heatmap_description`, :func:`balance_description`),
which is the SVG's ``<desc>`` and the images' alt text. Colour is never the
only signal (WCAG 1.4.1): every heatmap cell and every bar carries its number,
and achievements and challenges sit on opposite sides of the axis. Cell text is
black or white, whichever contrasts more with the cell (never under 4.5:1).
Each chart is followed by a data table in every format.

matplotlib draws with its own bundled DejaVu Sans: nothing is downloaded.
"""

from __future__ import annotations

import io
from functools import lru_cache

from markupsafe import Markup, escape
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from stocktake.core.text import plural
from stocktake.report.data import BalanceRow, Heatmap

LOW, HIGH = (255, 255, 255), (0, 48, 135)  # white to NHS dark blue (#003087)
ACHIEVEMENT_COLOUR = "#007f3b"  # NHS green: 5.1:1 against white
CHALLENGE_COLOUR = "#7c2855"  # NHS plum: 8.4:1 against white
TEXT, BORDER, GRID = "#212b32", "#4c6272", "#d8dde0"
LABEL_CHARS = 40  # a longer theme or system name is shortened in the drawing (the table has it whole)
PNG_DPI = 150
FONT = {"font.family": "DejaVu Sans", "font.size": 8}  # bundled with matplotlib: no downloads


# Colours ---------------------------------------------------------------------------------

def _hex(rgb) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def cell_colour(count: int, maximum: int) -> str:
    """The heatmap cell's fill: white for none, darker for more (linear in the count)."""
    share = count / maximum if maximum else 0.0
    return _hex(round(lo + (hi - lo) * share) for lo, hi in zip(LOW, HIGH))


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two "#rrggbb" colours."""
    a, b = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with the background (always at least 4.58:1)."""
    return "#000000" if contrast(background, "#000000") >= contrast(background, "#ffffff") \
        else "#ffffff"


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1].rstrip() + "…"


# Descriptions (SVG <desc>, image alt text) -----------------------------------------------

def heatmap_description(heatmap: Heatmap) -> str:
    if not heatmap.themes or not heatmap.systems or not heatmap.maximum:
        return "No findings from any system have been coded to a theme yet."
    best = max(((n, t, s) for t, row in zip(heatmap.themes, heatmap.counts)
                for s, n in zip(heatmap.systems, row)), key=lambda item: item[0])
    raised = sum(1 for row in heatmap.counts if any(row))
    return (f"A grid of {plural(len(heatmap.themes), 'theme')} (rows) by "
            f"{plural(len(heatmap.systems), 'system')} (columns); each cell gives the number of "
            f"findings from that system coded to that theme, darker for more. "
            f"{plural(raised, 'theme')} {'was' if raised == 1 else 'were'} raised by at least one "
            f"system; the largest count is {best[0]}, for {best[1]} in {best[2]}. "
            "The table that follows gives every count.")


def balance_description(rows: tuple[BalanceRow, ...]) -> str:
    if not rows or not any(r.achievements or r.challenges for r in rows):
        return "No findings have been coded to a theme as an achievement or a challenge yet."
    most_a = max(rows, key=lambda r: r.achievements)
    most_c = max(rows, key=lambda r: r.challenges)
    more_a = sum(1 for r in rows if r.achievements > r.challenges)
    more_c = sum(1 for r in rows if r.challenges > r.achievements)
    return (f"Bars for {plural(len(rows), 'theme')}: achievements to the left of the axis, "
            f"challenges to the right, each bar labelled with its number. "
            f"Most achievements: {most_a.theme} ({most_a.achievements}); most challenges: "
            f"{most_c.theme} ({most_c.challenges}). {plural(more_a, 'theme')} had more "
            f"achievements than challenges and {plural(more_c, 'theme')} more challenges than "
            "achievements. The table that follows gives every count.")


# SVG ---------------------------------------------------------------------------------------

def _svg_open(ident: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart-svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="system-ui, Arial, sans-serif" font-size="13">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]


def heatmap_svg(heatmap: Heatmap, *, ident: str = "chart-heatmap", title: str) -> Markup:
    """The heatmap as an inline SVG element ("" when there is nothing to draw)."""
    if not heatmap.themes or not heatmap.systems:
        return Markup("")
    label_w, cell_w, cell_h, head_h = 290, 56, 28, 170
    width = label_w + cell_w * len(heatmap.systems) + 150
    height = head_h + cell_h * len(heatmap.themes) + 10
    maximum = heatmap.maximum
    out = _svg_open(ident, width, height, title, heatmap_description(heatmap))
    for j, system in enumerate(heatmap.systems):
        x, y = label_w + cell_w * j + cell_w / 2, head_h - 8
        out.append(f'<text x="{x:.0f}" y="{y}" transform="rotate(-40 {x:.0f} {y})" '
                   f'fill="{TEXT}">{escape(_short(system))}</text>')
    for i, (theme, row) in enumerate(zip(heatmap.themes, heatmap.counts)):
        y = head_h + cell_h * i
        out.append(f'<text x="{label_w - 8}" y="{y + cell_h / 2 + 4.5:.1f}" text-anchor="end" '
                   f'fill="{TEXT}">{escape(_short(theme))}</text>')
        for j, count in enumerate(row):
            fill = cell_colour(count, maximum)
            x = label_w + cell_w * j
            out.append(f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{fill}" '
                       f'stroke="{GRID}"/>'
                       f'<text x="{x + cell_w / 2:.0f}" y="{y + cell_h / 2 + 4.5:.1f}" '
                       f'text-anchor="middle" fill="{text_colour(fill)}">{count}</text>')
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 - every text escaped above


def balance_svg(rows: tuple[BalanceRow, ...], *, ident: str = "chart-balance",
                title: str) -> Markup:
    """Achievements (left) against challenges (right) per theme, as an inline SVG element."""
    if not rows:
        return Markup("")
    label_w, half, row_h, head_h = 290, 230, 26, 34
    width, height = label_w + 2 * half + 20, head_h + row_h * len(rows) + 10
    axis = label_w + half
    top = max(max(r.achievements for r in rows), max(r.challenges for r in rows), 1)
    scale = (half - 40) / top
    out = _svg_open(ident, width, height, title, balance_description(rows))
    out.append(f'<text x="{axis - 8}" y="20" text-anchor="end" font-weight="bold" '
               f'fill="{ACHIEVEMENT_COLOUR}">← Achievements</text>'
               f'<text x="{axis + 8}" y="20" font-weight="bold" '
               f'fill="{CHALLENGE_COLOUR}">Challenges →</text>')
    for i, row in enumerate(rows):
        y = head_h + row_h * i
        mid = y + row_h / 2 + 4.5
        out.append(f'<text x="{label_w - 8}" y="{mid:.1f}" text-anchor="end" '
                   f'fill="{TEXT}">{escape(_short(row.theme))}</text>')
        a_w, c_w = row.achievements * scale, row.challenges * scale
        out.append(f'<rect x="{axis - a_w:.1f}" y="{y + 4}" width="{a_w:.1f}" '
                   f'height="{row_h - 8}" fill="{ACHIEVEMENT_COLOUR}"/>'
                   f'<text x="{axis - a_w - 5:.1f}" y="{mid:.1f}" text-anchor="end" '
                   f'fill="{TEXT}">{row.achievements}</text>'
                   f'<rect x="{axis:.1f}" y="{y + 4}" width="{c_w:.1f}" height="{row_h - 8}" '
                   f'fill="{CHALLENGE_COLOUR}"/>'
                   f'<text x="{axis + c_w + 5:.1f}" y="{mid:.1f}" fill="{TEXT}">'
                   f'{row.challenges}</text>')
    out.append(f'<line x1="{axis}" y1="{head_h - 4}" x2="{axis}" y2="{height - 6}" '
               f'stroke="{BORDER}" stroke-width="2"/></svg>')
    return Markup("".join(out))  # noqa: S704 - every text escaped above


# PNG ----------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _colour_map() -> LinearSegmentedColormap:
    return LinearSegmentedColormap.from_list("stocktake", [_hex(LOW), _hex(HIGH)])


def png_inches(png: bytes) -> float:
    """The width a chart image was drawn for, in inches (its pixels at :data:`PNG_DPI`)."""
    return int.from_bytes(png[16:20], "big") / PNG_DPI  # the IHDR width of a PNG


def _label_inches(names) -> float:
    """Room for the longest (shortened) label at 8 pt, in inches."""
    return 0.2 + 0.068 * max((len(_short(name)) for name in names), default=0)


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": "stocktake"})
    return buffer.getvalue()


@lru_cache(maxsize=4)  # the Word file and the PDF of one report draw the same charts
def heatmap_png(heatmap: Heatmap) -> bytes | None:
    """The heatmap as a PNG image (None when there is nothing to draw)."""
    if not heatmap.themes or not heatmap.systems:
        return None
    rows, cols = len(heatmap.themes), len(heatmap.systems)
    maximum = heatmap.maximum
    left = _label_inches(heatmap.themes)
    slanted = _label_inches(heatmap.systems)  # system names slanted at 40 degrees
    top, right = slanted * 0.68 + 0.3, max(0.3, slanted * 0.77 - 0.2)
    width, height = left + 0.55 * cols + right, top + 0.28 * rows + 0.15
    with rc_context(FONT):
        figure = Figure(figsize=(width, height))
        axes = figure.add_axes((left / width, 0.15 / height, 0.55 * cols / width,
                                0.28 * rows / height))
        axes.imshow(heatmap.counts, cmap=_colour_map(), vmin=0, vmax=max(maximum, 1),
                    aspect="auto")
        axes.set_xticks(range(cols), [_short(s) for s in heatmap.systems], rotation=40,
                        ha="left", rotation_mode="anchor")
        axes.xaxis.tick_top()
        axes.set_yticks(range(rows), [_short(t) for t in heatmap.themes])
        axes.tick_params(length=0)
        for i, row in enumerate(heatmap.counts):
            for j, count in enumerate(row):
                axes.text(j, i, str(count), ha="center", va="center",
                          color=text_colour(cell_colour(count, maximum)))
        axes.set_xticks([x - 0.5 for x in range(1, cols)], minor=True)
        axes.set_yticks([y - 0.5 for y in range(1, rows)], minor=True)
        axes.grid(which="minor", color=GRID, linewidth=0.8)
        axes.tick_params(which="minor", length=0)
        for spine in axes.spines.values():
            spine.set_color(GRID)
        return _png(figure)


@lru_cache(maxsize=4)
def balance_png(rows: tuple[BalanceRow, ...]) -> bytes | None:
    """Achievements (left) against challenges (right) per theme as a PNG image."""
    if not rows:
        return None
    top = max(max(r.achievements for r in rows), max(r.challenges for r in rows), 1)
    left = _label_inches(r.theme for r in rows)
    width, height = max(6.3, left + 4.0), 0.55 + 0.26 * len(rows)
    with rc_context(FONT):
        figure = Figure(figsize=(width, height))
        axes = figure.add_axes((left / width, 0.1 / height, (width - left - 0.2) / width,
                                0.26 * len(rows) / height))
        positions = range(len(rows))
        axes.barh(positions, [-r.achievements for r in rows], color=ACHIEVEMENT_COLOUR,
                  label="Achievements")
        axes.barh(positions, [r.challenges for r in rows], color=CHALLENGE_COLOUR,
                  label="Challenges")
        for y, row in zip(positions, rows):
            axes.text(-row.achievements - top * 0.02, y, str(row.achievements), ha="right",
                      va="center", color=TEXT)
            axes.text(row.challenges + top * 0.02, y, str(row.challenges), ha="left",
                      va="center", color=TEXT)
        axes.set_yticks(list(positions), [_short(r.theme) for r in rows])
        axes.tick_params(length=0)
        axes.set_ylim(len(rows) - 0.5, -0.5)
        axes.set_xlim(-top * 1.25, top * 1.25)
        axes.axvline(0, color=BORDER, linewidth=1.2)
        axes.set_xticks([])
        axes.set_title("← Achievements        Challenges →", fontsize=9, fontweight="bold")
        for side in ("top", "right", "bottom", "left"):
            axes.spines[side].set_visible(False)
        return _png(figure)
