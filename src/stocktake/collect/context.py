"""A finding in its source: the findings around it from the same document, and the document's
findings in order, a page at a time. Callers pass findings already scoped to the user
(``Finding.objects.visible_to(access)``): nothing outside that comes back."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from stocktake.collect.models import Finding, SourceDocument

ORDER = ("submission_id", "position", "id")  # a document's findings as they were read
PAGE_SIZE = 100


def heading_of(location: str) -> str:
    """The part of a location above the item: "heading 'People' › bullet 3" -> "heading 'People'"."""
    head, sep, _tail = location.rpartition(" › ")
    return head if sep else ""


def _before(finding: Finding) -> Q:
    return (Q(submission_id__lt=finding.submission_id)
            | Q(submission_id=finding.submission_id, position__lt=finding.position)
            | Q(submission_id=finding.submission_id, position=finding.position,
                id__lt=finding.pk))


def neighbours(finding: Finding, findings: QuerySet, around: int = 2
               ) -> tuple[list[Finding], list[Finding]]:
    """Up to ``around`` findings before and after ``finding`` from its submission and document."""
    if finding.source_document_id is None:
        return [], []
    same = findings.filter(submission_id=finding.submission_id,
                           source_document_id=finding.source_document_id).exclude(pk=finding.pk)
    before = list(same.filter(_before(finding)).order_by("-position", "-id")[:around])
    after = list(same.exclude(_before(finding)).order_by("position", "id")[:around])
    return before[::-1], after


def document_for(review, document_id: int, findings: QuerySet) -> SourceDocument | None:
    """The review's document, if the user may see at least one finding from it."""
    document = SourceDocument.objects.filter(review=review, pk=document_id).select_related(
        "imported_by").first()
    if document is None or not findings.filter(source_document=document).exists():
        return None
    return document


@dataclass(frozen=True)
class DocumentPage:
    findings: list[Finding]
    number: int
    pages: int
    total: int


def document_page(document: SourceDocument, findings: QuerySet, *, page: int = 1,
                  finding: Finding | None = None) -> DocumentPage:
    """One page of the document's findings in reading order; with ``finding``, its page."""
    of_document = findings.filter(source_document=document)
    total = of_document.count()
    pages = max(1, -(-total // PAGE_SIZE))
    if finding is not None and finding.source_document_id == document.pk:
        page = of_document.filter(_before(finding)).count() // PAGE_SIZE + 1
    page = min(max(page, 1), pages)
    rows = list(of_document.select_related("domain").order_by(*ORDER)
                [(page - 1) * PAGE_SIZE: page * PAGE_SIZE])
    return DocumentPage(findings=rows, number=page, pages=pages, total=total)
