"""A comparison of two stocktakes as data: CSV (one row per item) and XLSX (items, and the
counts by theme and by system, one sheet each). Cells that a spreadsheet would read as a
formula are written as text."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from stocktake.report.models import RecommendationStatus
from stocktake.reviews.orgtree import OrgTree
from stocktake.track.cycle_compare import STATUS_ORDER
from stocktake.track.cycle_queries import Comparison
from stocktake.track.models import DecisionOutcome, Rag

STATUS = dict(RecommendationStatus.choices)
OUTCOME = dict(DecisionOutcome.choices)
RAG = dict(Rag.choices)

COLUMNS = ["Kind", "Number", "Item", "Theme", "System or organisation",
           "Status before", "Status now", "RAG before", "RAG now",
           "Decision before", "Decision now", "Adoptions before", "Adoptions now",
           "Updates this cycle", "New evidence", "Changed"]


def _safe(value):
    if isinstance(value, int) or value is None:
        return "" if value is None else value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _absent(value, labels):
    return "Not in that cycle" if value is None else labels.get(value, value)


def item_rows(comparison: Comparison) -> list[list]:
    rows = []
    for e in comparison.recommendations:
        rec = e.recommendation
        where = (e.organisation.name if e.organisation_id
                 else rec.owner.name if rec.owner_id else "")
        changed = (e.prev_status != e.status or (e.prev_rag or "") != (e.rag or "")
                   or e.evidence > 0)
        rows.append(["Recommendation", rec.shown_number, rec.text,
                     rec.theme.name if rec.theme_id else "", where,
                     _absent(e.prev_status, STATUS), STATUS.get(e.status, e.status),
                     RAG.get(e.prev_rag or "", "") if e.prev_status is not None else "",
                     RAG.get(e.rag or "", ""), "", "", "", "", e.updates, e.evidence,
                     "yes" if changed else "no"])
    for e in comparison.innovations:
        changed = e.prev_outcome != e.outcome or e.prev_adoptions != e.adoptions
        rows.append(["Innovation", "", e.innovation.title, "",
                     e.organisation.name if e.organisation_id else "", "", "", "", "",
                     _absent(e.prev_outcome, OUTCOME), OUTCOME.get(e.outcome, e.outcome),
                     e.prev_adoptions, e.adoptions, e.updates, e.evidence,
                     "yes" if changed else "no"])
    return rows


def comparison_csv(comparison: Comparison) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"Cycle {comparison.cycle.number} ({comparison.cycle.title}) compared "
                     f"with {comparison.before.phrase}"])
    writer.writerow(COLUMNS)
    for row in item_rows(comparison):
        writer.writerow([_safe(c) for c in row])
    return out.getvalue()


def _count_sheet(book, title: str, groups: dict, names: dict, unnamed: str) -> None:
    sheet = book.create_sheet(title)
    used = [s for s in STATUS_ORDER
            if any(g["before"].get(s) or g["now"].get(s) for g in groups.values())]
    sheet.append([title.split(" ", 1)[-1].capitalize()]
                 + [f"{STATUS[s]} ({when})" for s in used for when in ("before", "now")])
    for key, group in sorted(groups.items(), key=lambda kv: names.get(kv[0], unnamed)):
        sheet.append([_safe(names.get(key, unnamed))]
                     + [group[when].get(s, 0) for s in used for when in ("before", "now")])


def comparison_xlsx(comparison: Comparison, *, theme_names: dict) -> bytes:
    book = Workbook(write_only=True)
    items = book.create_sheet("Items")
    items.append(COLUMNS)
    for row in item_rows(comparison):
        items.append([_safe(c) for c in row])
    tree = OrgTree.shared()
    _count_sheet(book, "By theme", comparison.themes, theme_names, "No theme")
    _count_sheet(book, "By system", comparison.systems,
                 {k: tree.name(k) for k in comparison.systems if k}, "No system")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
