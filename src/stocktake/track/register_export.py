"""The recommendations register as a file: CSV (one row per update, the recommendation's
columns repeated; one row for a recommendation with none) or XLSX (a sheet of
recommendations, a sheet of per-system statuses and a sheet of every update).

Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from stocktake.report.models import Recommendation, RecommendationStatus
from stocktake.reviews.orgtree import OrgTree
from stocktake.track.models import Rag, UpdateChannel
from stocktake.track.registers import CLOSED, export_updates

REC_COLUMNS = ["Number", "Recommendation", "Theme", "Owner", "Lead contact", "Due date",
               "Overdue", "Status", "RAG", "Per system", "Last update"]
UPDATE_COLUMNS = ["Update date", "Update status", "Update RAG", "System or organisation",
                  "Narrative", "Evidence links", "Attachment", "Reason", "Channel", "Updated by"]
SYSTEM_COLUMNS = ["Number", "System or organisation", "Status", "RAG", "Updated"]

STATUS = dict(RecommendationStatus.choices)
RAG = dict(Rag.choices)
CHANNEL = dict(UpdateChannel.choices)


def _safe(value) -> str | int:
    if isinstance(value, int):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def _rec_cells(rec: Recommendation, tree: OrgTree, today: dt.date, last) -> list:
    overdue = bool(rec.due_date and rec.due_date < today and rec.status not in CLOSED)
    return [rec.shown_number, rec.text, rec.theme.name if rec.theme_id else "",
            tree.name(rec.owner_id, missing="") if rec.owner_id else "", rec.lead_contact,
            rec.due_date.isoformat() if rec.due_date else "", "Yes" if overdue else "",
            STATUS.get(rec.status, rec.status), RAG.get(rec.rag, ""),
            "Yes" if rec.per_system else "", _when(last)]


def _update_cells(update, tree: OrgTree) -> list:
    return [_when(update.reported_at), STATUS.get(update.status, update.status),
            RAG.get(update.rag, ""),
            tree.name(update.organisation_id, missing="") if update.organisation_id else "",
            update.note, " ".join(update.evidence_links), update.attachment_name, update.reason,
            CHANNEL.get(update.channel, update.channel), _person(update.reported_by)]


def _recommendations(review) -> list[Recommendation]:
    return list(review.recommendations.select_related("theme")
                .prefetch_related("system_statuses").order_by("number"))


def register_csv(review, *, tree: OrgTree, today: dt.date,
                 recommendations: list[Recommendation] | None = None) -> str:
    recs = _recommendations(review) if recommendations is None else recommendations
    updates = export_updates(recs)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REC_COLUMNS + UPDATE_COLUMNS)
    for rec in recs:
        history = updates[rec.pk]
        cells = _rec_cells(rec, tree, today, history[-1].reported_at if history else None)
        for update in history or [None]:
            extra = _update_cells(update, tree) if update else [""] * len(UPDATE_COLUMNS)
            writer.writerow([_safe(c) for c in cells + extra])
    return out.getvalue()


def register_xlsx(review, *, tree: OrgTree, today: dt.date,
                  recommendations: list[Recommendation] | None = None) -> bytes:
    from openpyxl import Workbook  # heavy: only when a workbook is asked for

    recs = _recommendations(review) if recommendations is None else recommendations
    updates = export_updates(recs)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Recommendations")
    sheet.append(REC_COLUMNS)
    systems = book.create_sheet("Status per system")
    systems.append(SYSTEM_COLUMNS)
    history = book.create_sheet("Updates")
    history.append(["Number"] + UPDATE_COLUMNS)
    for rec in recs:
        mine = updates[rec.pk]
        sheet.append([_safe(c) for c in _rec_cells(rec, tree, today,
                                                   mine[-1].reported_at if mine else None)])
        for row in sorted(rec.system_statuses.all(), key=lambda r: tree.name(r.organisation_id)):
            systems.append([_safe(c) for c in (rec.shown_number, tree.name(row.organisation_id),
                                               STATUS.get(row.status, row.status),
                                               RAG.get(row.rag, ""), _when(row.updated_at))])
        for update in mine:
            history.append([_safe(c) for c in [rec.shown_number] + _update_cells(update, tree)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
