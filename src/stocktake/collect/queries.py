"""Read-only questions about what a participant has sent (no state changes here)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from stocktake.collect.models import OrganisationApproach, Submission, SubmissionStatus
from stocktake.reviews.permissions import access_for


@dataclass(frozen=True)
class FileSubmission:
    """A submission imported from a file for a participant, as its contributors are told."""

    file_name: str
    received: object  # datetime: when it was imported
    findings: int


def file_submissions(*, participant, access) -> list[FileSubmission]:
    """The participant's submissions imported from files, oldest first, as ``access`` sees them."""
    rows = (Submission.objects.visible_to(access)
            .filter(participant=participant, status=SubmissionStatus.SUBMITTED,
                    source_document__isnull=False)
            .select_related("source_document").annotate(finding_count=Count("findings"))
            .order_by("created_at", "id"))
    return [FileSubmission(row.source_document.original_name,
                           row.submitted_at or row.source_document.imported_at,
                           row.finding_count) for row in rows]


def has_submitted(*, review, organisation, access) -> bool:
    """Whether the organisation has a submitted submission (from a file or the form)."""
    return (Submission.objects.visible_to(access)
            .filter(review=review, participant__organisation=organisation,
                    status=SubmissionStatus.SUBMITTED).exists())


def submitting_organisations(*, access) -> int:
    """How many organisations have a submitted submission, of those ``access`` sees."""
    return (Submission.objects.visible_to(access).filter(status=SubmissionStatus.SUBMITTED)
            .order_by().values("participant__organisation_id").distinct().count())


def organisation_approaches(*, participant, access) -> list[OrganisationApproach]:
    """How the participant's organisation went about its learning (from imported tables'
    approach/method columns), oldest first, as ``access`` sees them."""
    return list(OrganisationApproach.objects.visible_to(access)
                .filter(organisation_id=participant.organisation_id)
                .select_related("source_document").order_by("created_at", "id"))


def participating_organisations(*, review) -> list[tuple[int, str]]:
    """The review's participating organisations as (id, name), by name."""
    return [(row.organisation_id, row.organisation.name) for row in
            review.participants.select_related("organisation").order_by("organisation__name")]


def approaches_by_review(*, organisation, reviews, user) -> list[tuple[object, list[OrganisationApproach]]]:
    """How ``organisation`` went about its learning in each of ``reviews`` (in their order),
    as ``user`` may see it in that review; reviews with none they may see are left out."""
    found = []
    for review in reviews:
        rows = list(OrganisationApproach.objects.visible_to(access_for(user, review))
                    .filter(review=review, organisation=organisation)
                    .select_related("source_document").order_by("created_at", "id"))
        if rows:
            found.append((review, rows))
    return found
