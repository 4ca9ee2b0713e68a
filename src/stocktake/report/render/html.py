"""The report as one self-contained HTML5 document (Jinja2 templates in ``report/templates``).

Jinja2 rather than Django's template engine, so the command line can render
without a request. Writing the file is an action:
:func:`stocktake.report.actions.write_report`.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from stocktake.core.text import join_names, plural
from stocktake.report.build import build_report
from stocktake.report.data import ReportData
from stocktake.report.render import charts
from stocktake.report.render.common import (
    LANGUAGE,
    appendices,
    citation_source,
    clean_narrative,
    long_date,
    merged_note,
    method_counts,
    more_citations,
    recommendation_details,
    recommendation_heading,
    shown_citations,
    shows_draft_warning,
    version_stamp,
)
from stocktake.reviews.models import Review

CHART_TITLES = {
    "heatmap": "Findings by theme and system",
    "balance": "Achievements and challenges by theme",
}


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment for report templates (autoescaped, strict about names)."""
    env = Environment(
        loader=PackageLoader("stocktake.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = long_date
    env.filters["safe_narrative"] = lambda html: Markup(clean_narrative(html))  # noqa: S704
    env.filters["rec_heading"] = recommendation_heading
    env.filters["rec_details"] = recommendation_details
    env.filters["rec_citations"] = shown_citations
    env.filters["more_citations"] = more_citations
    env.filters["citation_source"] = citation_source
    env.filters["merged_note"] = merged_note
    env.filters["method_counts"] = method_counts
    env.filters["paragraphs"] = _paragraphs
    env.filters["plural"] = plural
    env.filters["capfirst"] = lambda text: text[:1].upper() + text[1:] if text else text
    env.filters["join_names"] = join_names
    return env


def render_html(data: ReportData, *, print_variant: bool = False) -> str:
    """Render already-built report data as a standalone HTML document.

    ``print_variant`` is the document the PDF is made from (:mod:`.pdf`): the same
    content, with the charts as PNG images with alt text (as in the Word file) instead
    of inline SVG, and page numbers in the contents.
    """
    env = environment()

    def chart(kind: str) -> Markup:
        title = CHART_TITLES[kind]
        if print_variant:
            png = charts.heatmap_png(data.heatmap) if kind == "heatmap" else \
                charts.balance_png(data.balance)
            alt = chart_description(data, kind)
            if png is None:
                return Markup("")
            width = charts.png_inches(png)
            encoded = base64.b64encode(png).decode("ascii")
            return Markup(f'<img class="chart-img" src="data:image/png;base64,{encoded}" '  # noqa: S704
                          f'style="width: {width:.2f}in" alt="{escape(title)}. {escape(alt)}">')
        if kind == "heatmap":
            return charts.heatmap_svg(data.heatmap, title=title)
        return charts.balance_svg(data.balance, title=title)

    return env.get_template("report/report.html").render(
        report=data, css=_stylesheet(), print_variant=print_variant, language=LANGUAGE,
        stamp=version_stamp(data), draft_warning=shows_draft_warning(data),
        appendices=appendices(data), chart=chart, chart_titles=CHART_TITLES)


def chart_description(data: ReportData, kind: str) -> str:
    """The chart's description: its SVG ``<desc>`` and its images' alt text."""
    if kind == "heatmap":
        return charts.heatmap_description(data.heatmap)
    return charts.balance_description(data.balance)


@lru_cache(maxsize=1)
def _stylesheet() -> Markup:
    """The report's CSS, inlined verbatim (read as source so braces are never template syntax)."""
    source, _, _ = environment().loader.get_source(environment(), "report/report.css")
    return Markup(source.replace("</", "<\\/"))


BODY_START, BODY_END = "<!-- report:body -->", "<!-- /report:body -->"


def report_body(document: str) -> Markup:
    """The report's content (inside its ``<main>``, between the body markers) from a
    document :func:`render_html` made, for showing the report inside another page.

    A slice of the stored document, so a page showing it does not render it again.
    """
    start = document.index(BODY_START) + len(BODY_START)
    return Markup(document[start:document.index(BODY_END, start)].strip())  # noqa: S704 - our own escaped HTML


def render_report_html(review: Review, **options) -> str:
    """A complete, standalone HTML5 document for the review's report."""
    return render_html(build_report(review, **options))

