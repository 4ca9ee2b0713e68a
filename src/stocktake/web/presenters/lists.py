"""The examples and recommendations pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stocktake.reviews.orgtree import OrgTree
from stocktake.web.presenters.labels import recommendation_status_tag
from stocktake.web.presenters.links import finding_url


@dataclass(frozen=True)
class ExampleRow:
    domain: str
    system: str
    organisation: str
    title: str
    synopsis: str
    source: str
    id: int = 0


def example_rows(examples: Iterable, *, tree: OrgTree) -> list[ExampleRow]:
    """The report appendix's columns: domain · system · example · synopsis (and where from)."""
    rows = []
    for e in examples:
        system = tree.system_of(e.organisation_id) if e.organisation_id else None
        source = e.source_document.original_name if e.source_document_id else ""
        if source and e.source_location:
            source = f"{source}, {e.source_location}"
        rows.append(ExampleRow(
            domain=e.domain.name if e.domain_id else "No domain",
            system=system.display_name if system else "Not in a system",
            organisation=tree.name(e.organisation_id, missing="Not recorded"),
            title=e.title,
            synopsis=e.synopsis,
            source=source or "Not recorded",
            id=e.pk,
        ))
    return rows


@dataclass(frozen=True)
class FindingLink:
    text: str
    href: str


@dataclass(frozen=True)
class RecommendationRow:
    number: int
    anchor: str
    text: str
    section: str
    theme: str
    owner: str
    status: dict
    findings: list[FindingLink]


def recommendation_rows(
    recommendations: Iterable, *, slug: str, tree: OrgTree
) -> list[RecommendationRow]:
    """Recommendations with ``theme`` selected and ``visible_findings`` prefetched.

    ``visible_findings`` holds only the cited findings the user may see (the
    view prefetches them through ``Finding.objects.visible_to``).
    """
    return [
        RecommendationRow(
            number=r.number,
            anchor=f"recommendation-{r.number}",
            text=r.text,
            section=r.section or "No section",
            theme=r.theme.name if r.theme_id else "No theme",
            owner=tree.name(r.owner_id, missing="No owner") if r.owner_id else "No owner",
            status=recommendation_status_tag(r.status),
            findings=[
                FindingLink(f.text if len(f.text) <= 90 else f.text[:87].rstrip() + "…",
                            finding_url(slug, f.id))
                for f in r.visible_findings
            ],
        )
        for r in recommendations
    ]
