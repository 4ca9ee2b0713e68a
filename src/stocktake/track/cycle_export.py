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
    for i in comparison.recommendations:
        rows.append(["Recommendation", i.number, i.text, i.theme, i.where,
                     _absent(i.prev_status, STATUS), STATUS.get(i.status, i.status),
                     RAG.get(i.prev_rag or "", "") if i.prev_status is not None else "",
                     RAG.get(i.rag or "", ""), "", "", "", "", i.updates, i.evidence,
                     "yes" if i.changed else "no"])
    for i in comparison.innovations:
        rows.append(["Innovation", "", i.text, "", i.where, "", "", "", "",
                     _absent(i.prev_outcome, OUTCOME), OUTCOME.get(i.outcome, i.outcome),
                     i.prev_adoptions, i.adoptions, i.updates, i.evidence,
                     "yes" if i.changed else "no"])
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
