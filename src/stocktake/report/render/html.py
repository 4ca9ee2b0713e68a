"""The report as one self-contained HTML5 document (Jinja2 templates in ``report/templates``).

Jinja2 rather than Django's template engine, so the command line can render
without a request. Writing the file is an action:
:func:`stocktake.report.actions.write_report`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from stocktake.core.text import join_names, plural
from stocktake.report.build import build_report
from stocktake.report.data import ReportData
from stocktake.reviews.models import Review


def _date(value: dt.date | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


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
    env.filters["date"] = _date
    env.filters["plural"] = plural
    env.filters["capfirst"] = lambda text: text[:1].upper() + text[1:] if text else text
    env.filters["join_names"] = join_names
    return env


def render_html(data: ReportData) -> str:
    """Render already-built report data as a standalone HTML document."""
    env = environment()
    return env.get_template("report/report.html").render(report=data, css=_stylesheet())


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

