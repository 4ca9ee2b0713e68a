"""The stocktake report: a cycle compared with the side before it, as a standalone HTML
document (the report's Jinja2 environment and stylesheet, ``report/stocktake.html``), a
PDF of it (the report's WeasyPrint engine), a Word document, or data
(:mod:`stocktake.track.cycle_export`).

:func:`build_stocktake` turns a :class:`~stocktake.track.cycle_queries.Comparison` (every
item, not a page) into a plain :class:`StocktakeReport`; the renderers read only that.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from docx import Document

from stocktake.report.models import RecommendationStatus
from stocktake.report.render import pdf
from stocktake.report.render.html import _stylesheet, environment
from stocktake.reviews.orgtree import OrgTree
from stocktake.track.cycle_compare import OUTCOME_ORDER, STATUS_ORDER
from stocktake.track.cycle_queries import Comparison
from stocktake.track.models import DecisionOutcome, Rag

STATUS = dict(RecommendationStatus.choices)
OUTCOME = dict(DecisionOutcome.choices)
RAG = dict(Rag.choices)
ABSENT = "Not in that cycle"


@dataclass(frozen=True)
class CountRow:
    name: str
    before: list[int]
    now: list[int]


@dataclass(frozen=True)
class ItemRow:
    label: str  # "Recommendation 3 – Northfold ICS", an innovation's title and organisation
    text: str
    before: str
    now: str
    detail: str  # RAG, evidence, adoptions
    changed: bool


@dataclass(frozen=True)
class StocktakeReport:
    review_title: str
    region: str
    title: str
    number: int
    before_label: str
    before_phrase: str
    opens_on: dt.date
    deadline: dt.date
    closed: bool
    made_on: dt.date
    items: int
    changed: int
    completed: int
    with_evidence: int
    owners: int
    owners_answered: int
    statuses: list[str]
    by_theme: list[CountRow]
    by_system: list[CountRow]
    recommendations: list[ItemRow]
    outcomes: list[CountRow]  # one row per decision outcome, before and now
    adoptions_before: int
    adoptions_now: int
    innovations: list[ItemRow]


def _counts(groups: dict, names: dict, used: list[str], unnamed: str) -> list[CountRow]:
    rows = [CountRow(name=names.get(key, unnamed) if key is not None else unnamed,
                     before=[g["before"].get(s, 0) for s in used],
                     now=[g["now"].get(s, 0) for s in used]) for key, g in groups.items()]
    return sorted(rows, key=lambda r: (r.name == unnamed, r.name.lower()))


def build_stocktake(comparison: Comparison, *, theme_names: dict, owners: list,
                    today: dt.date) -> StocktakeReport:
    cycle, review = comparison.cycle, comparison.cycle.review
    tree = OrgTree.shared()
    groups = list(comparison.themes.values()) + list(comparison.systems.values())
    used = [s for s in STATUS_ORDER if any(g["before"].get(s) or g["now"].get(s) for g in groups)]
    recs = []
    for i in comparison.recommendations:
        before_rag = RAG.get(i.prev_rag or "", "not rated") if i.prev_status is not None else ""
        now_rag = RAG.get(i.rag or "", "not rated")
        detail = f"RAG {before_rag} → {now_rag}" if before_rag else f"RAG {now_rag}"
        if i.evidence:
            detail += f"; {i.evidence} new evidence item{'s' if i.evidence != 1 else ''}"
        recs.append(ItemRow(
            label=f"Recommendation {i.number} – {i.where or 'no owner'}", text=i.text,
            before=STATUS.get(i.prev_status, i.prev_status) if i.prev_status is not None else ABSENT,
            now=STATUS.get(i.status, i.status), detail=detail, changed=i.changed))
    innovations = [ItemRow(
        label=i.text, text=i.where,
        before=OUTCOME.get(i.prev_outcome, i.prev_outcome) if i.prev_outcome is not None else ABSENT,
        now=OUTCOME.get(i.outcome, i.outcome),
        detail=f"adopted by {i.prev_adoptions if i.prev_adoptions is not None else 0} → "
               f"{i.adoptions} organisations", changed=i.changed)
        for i in comparison.innovations]
    summary, inn = comparison.summary, comparison.innovation_summary
    return StocktakeReport(
        review_title=review.title, region=tree.name(review.region_id, "") if review.region_id else "",
        title=cycle.title, number=cycle.number, before_label=comparison.before.label,
        before_phrase=comparison.before.phrase,
        opens_on=cycle.opens_on, deadline=cycle.deadline, closed=cycle.status == "closed",
        made_on=today, items=summary.items, changed=summary.changed,
        completed=sum(g["now"].get(RecommendationStatus.COMPLETED, 0)
                      for g in comparison.themes.values()),
        with_evidence=summary.with_evidence, owners=len(owners),
        owners_answered=sum(1 for o in owners if o.answered),
        statuses=[STATUS[s] for s in used],
        by_theme=_counts(comparison.themes, theme_names, used, "No theme"),
        by_system=_counts(comparison.systems, {k: tree.name(k) for k in comparison.systems if k},
                          used, "No system"),
        recommendations=recs,
        outcomes=[CountRow(name=OUTCOME[o], before=[inn.outcomes_before.get(o, 0)],
                           now=[inn.outcomes_now.get(o, 0)]) for o in OUTCOME_ORDER],
        adoptions_before=inn.adoptions_before, adoptions_now=inn.adoptions_now,
        innovations=innovations)


def render_stocktake_html(report: StocktakeReport) -> str:
    return environment().get_template("report/stocktake.html").render(report=report,
                                                                      css=_stylesheet())


def render_stocktake_pdf(report: StocktakeReport) -> bytes:
    """The HTML stocktake report laid out as a tagged PDF by the report's engine (WeasyPrint;
    docs/adr/0011); :class:`~stocktake.report.render.pdf.PdfUnavailable` without pango."""
    if pdf.HTML is None:
        raise pdf.PdfUnavailable(f"The PDF cannot be made on this machine: WeasyPrint needs "
                                 f"Debian's pango (apt-get install {pdf.PANGO_PACKAGES}); "
                                 f"{pdf.MISSING}")
    offline = pdf.URLFetcher(allowed_protocols={"data"})
    return pdf.HTML(string=render_stocktake_html(report), url_fetcher=offline,
                    media_type="print").write_pdf(pdf_variant=pdf.PDF_VARIANT)


def _table(document, header: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = str(value)


def render_stocktake_docx(report: StocktakeReport) -> bytes:
    document = Document()
    document.core_properties.title = report.title
    document.add_heading(report.title, level=0)
    document.add_paragraph(f"{report.review_title}: stocktake cycle {report.number}, compared "
                           f"with {report.before_phrase}. Opened {report.opens_on:%-d %B %Y}; "
                           f"deadline {report.deadline:%-d %B %Y}"
                           f"{'; closed' if report.closed else '; still open'}.")
    document.add_heading("Summary", level=1)
    for line in (f"{report.items} recommendation items; {report.changed} changed since "
                 f"{report.before_phrase}; {report.completed} complete; "
                 f"{report.with_evidence} with new evidence.",
                 f"{report.owners_answered} of {report.owners} owner organisations updated "
                 "every item they own.",
                 f"Innovations adopted elsewhere: {report.adoptions_before} → "
                 f"{report.adoptions_now}."):
        document.add_paragraph(line, style="List Bullet")
    header = ["", *[f"{s} (before → now)" for s in report.statuses]]
    for title, rows in (("By theme", report.by_theme), ("By system", report.by_system)):
        document.add_heading(title, level=1)
        _table(document, header, [[r.name, *[f"{b} → {n}" for b, n in zip(r.before, r.now)]]
                                  for r in rows])
    document.add_heading("Recommendations", level=1)
    _table(document, ["Recommendation", "Before", "Now", "Detail", "Changed"],
           [[f"{r.label}: {r.text}", r.before, r.now, r.detail, "yes" if r.changed else ""]
            for r in report.recommendations])
    if report.innovations:
        document.add_heading("Innovations: retain, adapt or reject", level=1)
        _table(document, ["Decision", "Before", "Now"],
               [[r.name, r.before[0], r.now[0]] for r in report.outcomes])
        document.add_paragraph("")
        _table(document, ["Innovation", "Decision before", "Decision now", "Spread", "Changed"],
               [[f"{r.label} ({r.text})", r.before, r.now, r.detail, "yes" if r.changed else ""]
                for r in report.innovations])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
