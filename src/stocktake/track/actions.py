"""State changes made while tracking a published report."""

from __future__ import annotations

from django.db import transaction

from stocktake.core import audit
from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.report.models import Recommendation, RecommendationStatus
from stocktake.track.models import ProgressUpdate


@transaction.atomic
def record_progress(
    *, recommendation: Recommendation, status: str, by, note: str = ""
) -> ProgressUpdate:
    if status not in RecommendationStatus.values or status == RecommendationStatus.DRAFT:
        raise InvalidInput(f"{status!r} is not a progress status")
    if not recommendation.review.is_published:
        raise InvalidTransition(
            "Progress can be recorded once the report is published (the review is "
            f"{recommendation.review.get_status_display().lower()})"
        )
    update = ProgressUpdate.objects.create(
        recommendation=recommendation, status=status, note=note.strip(), reported_by=by
    )
    previous = recommendation.status
    recommendation.status = status
    recommendation.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=by, verb="recommendation.progress", subject=recommendation,
        review=recommendation.review, previous=previous, status=status,
    )
    return update
