"""The examples and recommendations pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stocktake.report.labels import origins
from stocktake.reviews.orgtree import OrgTree
from stocktake.web.presenters.labels import recommendation_status_tag, response_status_tag
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
class ResponseRow:
    """A response or progress document's answer to a recommendation."""

    recommendation: str  # its number as printed, "" when unnumbered
    status: dict  # NHS.UK tag parameters
    text: str
    source: str  # file and place in it


def _source(document, location: str) -> str:
    source = document.original_name if document is not None else ""
    if source and location:
        source = f"{source}, {location}"
    return source or "Not recorded"


def response_rows(responses: Iterable) -> list[ResponseRow]:
    """Responses with ``source_document`` selected."""
    return [ResponseRow(r.label or (str(r.number) if r.number is not None else ""),
                        response_status_tag(r.status), r.text,
                        _source(r.source_document, r.source_location))
            for r in responses]


@dataclass(frozen=True)
class RecommendationRow:
    number: str  # as printed in its source ("8.12"), else the report's number
    anchor: str
    text: str
    section: str
    theme: str
    owner: str
    status: dict
    findings: list[FindingLink]
    responses: list[ResponseRow]
    origin: str = ""  # "from <document>" where another recommendation prints the same label
    id: int = 0


def recommendation_rows(
    recommendations: Iterable, *, slug: str, tree: OrgTree
) -> list[RecommendationRow]:
    """Recommendations with ``theme`` and ``source_document`` selected, ``visible_findings`` and ``responses`` (with
    their ``source_document``) prefetched.

    ``visible_findings`` holds only the cited findings the user may see (the
    view prefetches them through ``Finding.objects.visible_to``).
    """
    recommendations = list(recommendations)
    named = origins(recommendations)
    return [
        RecommendationRow(
            origin=named.get(r.pk, ""),
            number=r.shown_number,
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
            responses=response_rows(r.responses.all()),
            id=r.pk,
        )
        for r in recommendations
    ]


@dataclass(frozen=True)
class CaseStudyRow:
    title: str
    person: str
    organisation: str
    text: str
    consent: str
    source: str


def case_study_rows(studies: Iterable, *, tree: OrgTree) -> list[CaseStudyRow]:
    """Case studies with ``source_document`` selected, read-only (the report builder edits them)."""
    return [CaseStudyRow(
        title=s.title, person=s.person or "Not recorded",
        organisation=tree.name(s.organisation_id, missing="Not recorded") if s.organisation_id
        else "Not recorded",
        text=s.text, consent="Recorded" if s.consent_recorded else "Not recorded",
        source=_source(s.source_document, s.source_location)) for s in studies]
