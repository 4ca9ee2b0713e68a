"""A finding in its source document, for the page: neighbours, and the document in reading order."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from stocktake.collect.context import heading_of
from stocktake.web.presenters.links import finding_url


def document_url(slug: str, document_id: int, *, finding: int | None = None,
                 page: int | None = None) -> str:
    url = reverse("document", kwargs={"slug": slug, "document_id": document_id})
    if finding is not None:
        return f"{url}?finding={finding}#finding-{finding}"
    return f"{url}?page={page}" if page and page > 1 else url


@dataclass(frozen=True)
class InDocument:
    text: str
    href: str
    id: int
    current: bool
    heading: str  # shown when it differs from the row before
    location: str


def rows(findings, *, slug: str, current_id: int | None = None) -> list[InDocument]:
    shown, last = [], None
    for f in findings:
        heading = heading_of(f.source_location)
        shown.append(InDocument(text=f.text, href=finding_url(slug, f.pk), id=f.pk,
                                current=f.pk == current_id,
                                heading=heading if heading != last else "",
                                location=f.source_location))
        last = heading
    return shown


def context_panel(finding, before, after, *, slug: str) -> dict | None:
    """The finding page's "In its document" panel, or None for a finding typed into a form."""
    if finding.source_document_id is None:
        return None
    return {
        "document": finding.source_document.original_name,
        "rows": rows([*before, finding, *after], slug=slug, current_id=finding.pk),
        "href": document_url(slug, finding.source_document_id, finding=finding.pk),
    }
