"""The recommendations builder's pages: sections and rows, form values, cited findings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from stocktake.report.build.sources import source_of
from stocktake.report.labels import origins
from stocktake.reviews.orgtree import OrgTree
from stocktake.web.presenters.labels import format_date, recommendation_status_tag
from stocktake.web.presenters.links import finding_url, with_query

TEXT_SHOWN = 300  # characters of a finding shown in the evidence lists


def _address(name: str, slug: str, rec_id: int) -> str:
    return reverse(name, kwargs={"slug": slug, "rec_id": rec_id})


@dataclass(frozen=True)
class BuilderRow:
    id: int
    number: str
    anchor: str
    text: str
    owner: str
    lead_contact: str
    due_date: str
    cited: int
    status: dict
    edit_href: str
    evidence_href: str
    move_href: str
    delete_href: str
    first: bool  # first of its section: no "Move up"
    last: bool
    origin: str = ""

    @property
    def cited_text(self) -> str:
        return f"{self.cited} finding{'' if self.cited == 1 else 's'}" if self.cited else "None"


@dataclass(frozen=True)
class BuilderSection:
    name: str
    anchor: str
    rows: list[BuilderRow]
    add_href: str
    add_text: str


def builder_sections(groups, *, slug: str, tree: OrgTree) -> list[BuilderSection]:
    """One section per :class:`ThemeGroup`; each recommendation with ``cited`` annotated
    (its number of cited findings) and ``source_document`` selected."""
    every = [rec for group in groups for rec in group.recommendations]
    named = origins(every)
    add = reverse("report_recommendation_add", kwargs={"slug": slug})
    sections = []
    for group in groups:
        recs = group.recommendations
        rows = [BuilderRow(
            id=rec.pk, number=rec.shown_number, anchor=f"recommendation-{rec.pk}",
            text=rec.text,
            owner=tree.name(rec.owner_id, missing="No owner") if rec.owner_id else "No owner",
            lead_contact=rec.lead_contact or "Not set", due_date=format_date(rec.due_date),
            cited=rec.cited, status=recommendation_status_tag(rec.status),
            edit_href=_address("report_recommendation_edit", slug, rec.pk),
            evidence_href=_address("report_recommendation_evidence", slug, rec.pk),
            move_href=_address("report_recommendation_move", slug, rec.pk),
            delete_href=_address("report_recommendation_delete", slug, rec.pk),
            first=index == 0, last=index == len(recs) - 1, origin=named.get(rec.pk, ""),
        ) for index, rec in enumerate(recs)]
        sections.append(BuilderSection(
            name=group.name, anchor=f"section-{group.key or 'further'}", rows=rows,
            add_href=with_query(add, {"theme": group.key}),
            add_text=(f"Add a recommendation to {group.name}" if group.key
                      else "Add a further recommendation")))
    return sections


def theme_items(themes: Iterable, chosen: str) -> list[dict]:
    """NHS.UK select items: every theme in framework order, then no theme."""
    items = [{"value": theme.key, "text": theme.name, "selected": theme.key == chosen}
             for theme in themes]
    items.append({"value": "", "text": "Further recommendations (no theme)",
                  "selected": chosen == ""})
    return items


def owner_names(tree: OrgTree) -> list[str]:
    """Every organisation's name in the register, for the owner box's suggestions."""
    return sorted({org.name for org in tree.by_id.values()}, key=str.casefold)


def form_values(form, recommendation=None, tree: OrgTree | None = None,
                theme: str = "") -> dict[str, str]:
    """What each field shows: what was posted, else the recommendation's own values."""
    if form.is_bound:
        data = form.data
        return {name: str(data.get(name, "")) for name in (
            "text", "theme", "owner", "lead_contact", "revision",
            "due-day", "due-month", "due-year")}
    if recommendation is None:
        return {"theme": theme, "revision": ""}
    due = recommendation.due_date
    return {
        "text": recommendation.text,
        "theme": recommendation.theme.key if recommendation.theme_id else "",
        "owner": tree.name(recommendation.owner_id, missing="") if recommendation.owner_id
        else "",
        "lead_contact": recommendation.lead_contact,
        "revision": str(recommendation.revision),
        "due-day": str(due.day) if due else "", "due-month": str(due.month) if due else "",
        "due-year": str(due.year) if due else "",
    }


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    text: str
    organisation: str
    source: str
    href: str
    cited: bool = False


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_SHOWN else text[:TEXT_SHOWN - 1].rstrip() + "…"


def finding_source(finding) -> str:
    """Where a finding came from: its document and place in it, as the report cites it."""
    return source_of(finding) or "Typed in"


def evidence_rows(findings: Iterable, *, slug: str, tree: OrgTree,
                  cited: Iterable[int] = ()) -> list[EvidenceRow]:
    """Findings (``organisation`` and ``source_document`` selected) as the evidence lists
    show them; ``cited``: the ids the recommendation already cites."""
    cited = set(cited)
    return [EvidenceRow(id=f.pk, text=_short(f.text), organisation=tree.name(f.organisation_id),
                        source=finding_source(f), href=finding_url(slug, f.pk),
                        cited=f.pk in cited) for f in findings]
