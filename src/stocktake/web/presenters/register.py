"""The recommendations register, a recommendation's tracking page and its history, as rows
for the templates (no queries here: the views pass what track.registers selected)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from stocktake.report.models import RecommendationStatus
from stocktake.reviews.orgtree import OrgTree
from stocktake.track.actions.progress import PROGRESS_STATUSES
from stocktake.track.models import ProgressUpdate, Rag, UpdateChannel
from stocktake.track.registers import CLOSED, RegisterFilters
from stocktake.web.presenters.labels import rag_tag, recommendation_status_tag, response_status_tag
from stocktake.web.presenters.links import id_address, with_query

SHORT = 120  # characters of a recommendation in the register's table


def short(text: str, limit: int = SHORT) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def day(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def register_url(slug: str) -> str:
    return reverse("register", kwargs={"slug": slug})


def recommendation_page_url(slug: str, rec_id: int) -> str:
    return id_address("register_recommendation", "rec_id", rec_id, slug=slug)


@dataclass(frozen=True)
class SystemCell:
    name: str
    status: dict | None  # None: not tracked for this system
    rag: dict | None


@dataclass(frozen=True)
class RegisterRow:
    id: int
    number: str
    text: str
    href: str
    theme: str
    owner: str
    lead_contact: str
    due: str
    overdue: bool
    status: dict
    rag: dict | None
    last_update: str
    per_system: bool
    systems: list[SystemCell] = field(default_factory=list)


def is_overdue(rec, today: dt.date) -> bool:
    return bool(rec.due_date and rec.due_date < today and rec.status not in CLOSED)


def register_rows(recs: Iterable, *, slug: str, tree: OrgTree, today: dt.date,
                  systems: Sequence, statuses: dict | None = None) -> list[RegisterRow]:
    """Recommendations from :func:`track.registers.register`; ``systems``: the region's
    systems, the matrix's columns; ``statuses``: :func:`track.registers.system_statuses`."""
    rows = []
    statuses = statuses or {}
    status_tags: dict[str, dict] = {}
    rag_tags: dict[str, dict | None] = {}
    for rec in recs:
        cells = []
        if rec.per_system:
            by_org = statuses.get(rec.pk, {})
            for system in systems:
                status, rag = by_org.get(system.id, ("", ""))
                if status and status not in status_tags:
                    status_tags[status] = recommendation_status_tag(status)
                if rag and rag not in rag_tags:
                    rag_tags[rag] = rag_tag(rag)
                cells.append(SystemCell(name=system.display_name,
                                        status=status_tags[status] if status else None,
                                        rag=rag_tags[rag] if rag else None))
        rows.append(RegisterRow(
            id=rec.pk, number=rec.shown_number, text=short(rec.text),
            href=recommendation_page_url(slug, rec.pk),
            theme=rec.theme.name if rec.theme_id else "No theme",
            owner=tree.name(rec.owner_id, missing="No owner") if rec.owner_id else "No owner",
            lead_contact=rec.lead_contact or "Not recorded",
            due=day(rec.due_date) or "Not set", overdue=is_overdue(rec, today),
            status=recommendation_status_tag(rec.status), rag=rag_tag(rec.rag),
            last_update=day(getattr(rec, "last_update", None)) or "None yet",
            per_system=rec.per_system,
            systems=cells))
    return rows


def filter_items(filters: RegisterFilters, *, themes: Sequence, owners: Sequence[tuple[int, str]]
                 ) -> dict:
    """Items of the filter selects, the current choice selected."""
    def items(choices, current):
        return [{"value": v, "text": t, "selected": str(v) == str(current or "")}
                for v, t in choices]

    return {
        "status": items([("", "Any status")] + [(s, RecommendationStatus(s).label)
                                                for s in PROGRESS_STATUSES]
                        + [(RecommendationStatus.DRAFT, "Draft")], filters.status),
        "rag": items([("", "Any rating"), *Rag.choices, ("none", "Not rated")], filters.rag),
        "owner": items([("", "Any owner"), *owners], filters.owner),
        "theme": items([("", "Any theme"), *((t.key, t.name) for t in themes),
                        ("none", "No theme")], filters.theme),
    }


def filter_params(filters: RegisterFilters) -> dict:
    return {"status": filters.status, "rag": filters.rag, "owner": filters.owner or "",
            "theme": filters.theme, "overdue": "1" if filters.overdue else ""}


@dataclass(frozen=True)
class CountLink:
    text: str
    count: int
    href: str
    current: bool


def count_links(counts: dict[str, int], filters: RegisterFilters, *, slug: str) -> list[CountLink]:
    """One link per status with its count (under the other filters); a click filters by it."""
    base = register_url(slug)
    params = filter_params(filters)
    return [CountLink(text=RecommendationStatus(status).label, count=counts.get(status, 0),
                      href=with_query(base, {**params, "status": status}),
                      current=filters.status == status)
            for status in [*PROGRESS_STATUSES, RecommendationStatus.DRAFT]
            if counts.get(status) or status in PROGRESS_STATUSES]


# -- a recommendation's page -------------------------------------------------------


@dataclass(frozen=True)
class HistoryItem:
    when: str
    status: dict
    rag: dict | None
    system: str
    note: str
    links: list[str]
    attachment: dict | None  # {"name", "href"}
    reason: str
    channel: str
    who: str
    source: str  # the imported document, for responses


def _person(user) -> str:
    if user is None:
        return "Not recorded"
    return user.get_full_name() or user.get_username()


def history_items(items: Iterable, *, slug: str, tree: OrgTree) -> list[HistoryItem]:
    """:func:`track.registers.history`: updates and imported responses, newest first."""
    out = []
    for item in items:
        if isinstance(item, ProgressUpdate):
            response = item.response
            source = ""
            if response is not None:
                source = (response.source_document.original_name
                          if response.source_document_id else "an imported document")
                if response.source_location:
                    source += f", {response.source_location}"
            out.append(HistoryItem(
                when=day(item.reported_at), status=recommendation_status_tag(item.status),
                rag=rag_tag(item.rag),
                system=tree.name(item.organisation_id, missing="") if item.organisation_id else "",
                note=item.note, links=list(item.evidence_links),
                attachment={"name": item.attachment_name, "href": reverse(
                    "progress_attachment", kwargs={"slug": slug, "update_id": item.pk})}
                if item.attachment_path else None,
                reason=item.reason, channel=UpdateChannel(item.channel).label,
                who=_person(item.reported_by) if item.channel != UpdateChannel.IMPORT
                else "Imported", source=source))
        else:  # a response imported before publication, not an update
            source = (item.source_document.original_name if item.source_document_id
                      else "an imported document")
            if item.source_location:
                source += f", {item.source_location}"
            out.append(HistoryItem(
                when=day(item.imported_at), status=response_status_tag(item.status), rag=None,
                system="", note=item.text, links=[], attachment=None, reason="",
                channel="Imported response", who="Imported", source=source))
    return out


def status_items(current: str) -> list[dict]:
    return [{"value": s, "text": RecommendationStatus(s).label, "checked": s == current}
            for s in PROGRESS_STATUSES]


def rag_items(current: str) -> list[dict]:
    return [{"value": v, "text": t, "checked": v == current} for v, t in
            [*Rag.choices, ("", "Not rated")]]


def system_items(rows: Sequence, tree: OrgTree, *, current: str, allowed) -> list[dict]:
    """The systems a per-system update may be about (those the user may report for)."""
    items = [{"value": "", "text": "Choose a system"}]
    items += [{"value": str(row.organisation_id), "text": tree.name(row.organisation_id),
               "selected": str(row.organisation_id) == current}
              for row in sorted(rows, key=lambda r: tree.name(r.organisation_id))
              if allowed(row.organisation_id)]
    return items
