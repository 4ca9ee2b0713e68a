"""Which material a report may use: submitted findings and examples."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from stocktake.assess.counts import data_version
from stocktake.collect.models import Example, Finding, SubmissionStatus
from stocktake.reviews.models import Review

# --------------------------------------------------------------------------- queries


def reportable_findings(review: Review) -> QuerySet[Finding]:
    """The review's findings that may appear in a report: submitted ones only, in report order."""
    return (
        Finding.objects.filter(review=review, submission__status=SubmissionStatus.SUBMITTED)
        .select_related("organisation", "domain", "source_document")
        .order_by("organisation__name", "position", "id")
    )


def reportable_examples(review: Review) -> QuerySet[Example]:
    """Examples for the appendix: not tied to a submission, or tied to a submitted one;
    neither excluded nor merged into another (each counts the duplicates merged into it)."""
    return (
        Example.objects.filter(review=review, excluded=False, merged_into__isnull=True)
        .filter(Q(submission__isnull=True) | Q(submission__status=SubmissionStatus.SUBMITTED))
        .select_related("domain", "organisation")
        .annotate(merged_count=Count("merged"))
    )


def submitted_examples(review: Review) -> QuerySet[Example]:
    """Every example of submitted material (not tied to a submission, or to a submitted one),
    curated ones too (excluded, merged into another): the data pack's examples."""
    return (
        Example.objects.filter(review=review)
        .filter(Q(submission__isnull=True) | Q(submission__status=SubmissionStatus.SUBMITTED))
        .select_related("domain", "organisation")
    )


def report_fingerprint(review: Review, *, today: dt.date) -> str:
    """What the review's report was built from: its data version and the date printed on it."""
    return f"{today.isoformat()}|{data_version(review)}"
