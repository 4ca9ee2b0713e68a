"""State changes for submissions, findings and examples.

Importing whole documents lives in :mod:`stocktake.collect.importing`, which
calls the bulk action here so that a document lands in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from stocktake.collect.models import (
    Example,
    Finding,
    Origin,
    Polarity,
    SectionKind,
    SourceDocument,
    Submission,
    SubmissionSection,
    SubmissionStatus,
)
from stocktake.core import audit
from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.reviews.models import Domain, Participant, Review

# Sections whose findings state their own polarity.
SECTION_POLARITY = {
    SectionKind.ACHIEVEMENTS: Polarity.ACHIEVEMENT,
    SectionKind.CHALLENGES: Polarity.CHALLENGE,
}


@dataclass(frozen=True)
class NewFinding:
    """A finding to be stored by :func:`add_findings`."""

    text: str
    domain: Domain | None = None
    section: str = SectionKind.GENERAL
    polarity: str | None = None
    source_location: str = ""


@transaction.atomic
def create_submission(
    *, participant: Participant, user, source_document: SourceDocument | None = None,
    status: str = SubmissionStatus.DRAFT,
) -> Submission:
    submission = Submission.objects.create(
        review=participant.review, participant=participant, source_document=source_document,
        status=status, submitted_at=timezone.now() if status == SubmissionStatus.SUBMITTED else None,
    )
    audit.record(
        actor=user, verb="submission.created", subject=submission, review=participant.review,
        organisation=participant.organisation.name, status=status,
    )
    return submission


@transaction.atomic
def save_section(
    *, submission: Submission, domain: Domain | None, kind: str, text: str, user
) -> SubmissionSection:
    if submission.status != SubmissionStatus.DRAFT:
        raise InvalidTransition("A submitted submission can no longer be edited")
    section, _ = SubmissionSection.objects.update_or_create(
        submission=submission, domain=domain, kind=kind, defaults={"text": text}
    )
    audit.record(
        actor=user, verb="submission.section_saved", subject=submission,
        review=submission.review, domain=domain.key if domain else None, kind=kind,
    )
    return section


@transaction.atomic
def submit_submission(*, submission: Submission, user) -> Submission:
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != SubmissionStatus.DRAFT:
        raise InvalidTransition("This submission has already been submitted")
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.record(actor=user, verb="submission.submitted", subject=submission, review=submission.review)
    return submission


def _finding(submission: Submission, item: NewFinding, position: int) -> Finding:
    text = " ".join(item.text.split())
    if not text:
        raise InvalidInput(f"Finding {position + 1} has no text")
    polarity, origin = item.polarity, Origin.SOURCE
    if polarity is None:
        polarity = SECTION_POLARITY.get(item.section)
        origin = Origin.SOURCE if polarity else Origin.MACHINE
    return Finding(
        review_id=submission.review_id, submission=submission,
        organisation_id=submission.participant.organisation_id, domain=item.domain,
        section=item.section, text=text, polarity=polarity or Polarity.NEUTRAL,
        polarity_origin=origin, source_document_id=submission.source_document_id,
        source_location=item.source_location[:255], position=position,
    )


@transaction.atomic
def add_findings(
    *, submission: Submission, findings: Iterable[NewFinding], user
) -> list[Finding]:
    """Store many findings of one submission at once (used by importers and forms)."""
    start = submission.findings.count()
    objects = [_finding(submission, item, start + i) for i, item in enumerate(findings)]
    created = Finding.objects.bulk_create(objects, batch_size=500)
    audit.record(
        actor=user, verb="findings.added", subject=submission, review=submission.review,
        count=len(created),
    )
    return created


@transaction.atomic
def add_example(
    *, review: Review, title: str, user, synopsis: str = "", organisation=None, domain=None,
    submission: Submission | None = None, source_document: SourceDocument | None = None,
    source_location: str = "",
) -> Example:
    title = " ".join(title.split())
    if not title:
        raise InvalidInput("An example needs a title")
    example = Example.objects.create(
        review=review, title=title[:255], synopsis=synopsis.strip(), organisation=organisation,
        domain=domain, submission=submission, source_document=source_document,
        source_location=source_location[:255],
    )
    audit.record(actor=user, verb="example.added", subject=example, review=review, title=title)
    return example


@transaction.atomic
def set_polarity(*, finding: Finding, polarity: str, user) -> Finding:
    if polarity not in Polarity.values:
        raise InvalidInput(f"Unknown polarity {polarity!r}")
    previous = finding.polarity
    finding.polarity = polarity
    finding.polarity_origin = Origin.HUMAN
    finding.save(update_fields=["polarity", "polarity_origin"])
    audit.record(
        actor=user, verb="finding.polarity_set", subject=finding, review=finding.review,
        previous=previous, polarity=polarity,
    )
    return finding


@transaction.atomic
def record_source_document(
    *, review: Review, original_name: str, stored_path: str, sha256: str, size: int, format: str,
    user,
) -> SourceDocument:
    """Register a received file (the import action stores the bytes; see collect.importing)."""
    if SourceDocument.objects.filter(review=review, sha256=sha256).exists():
        raise InvalidInput(f"{original_name} has already been imported into {review.slug}")
    document = SourceDocument.objects.create(
        review=review, original_name=original_name[:255], stored_path=stored_path[:500],
        sha256=sha256, size=size, format=format,
        imported_by=user if getattr(user, "is_authenticated", False) else None,
    )
    audit.record(
        actor=user, verb="document.recorded", subject=document, review=review,
        name=original_name, sha256=sha256, format=format,
    )
    return document
