"""State changes made while tracking a published report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from stocktake.collect.importers import ExtractedResponse
from stocktake.collect.models import SourceDocument
from stocktake.collect.response_matching import matcher_for, normalise_label, response_name
from stocktake.core import audit
from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.report.models import Recommendation, RecommendationStatus
from stocktake.reviews.models import Review
from stocktake.track.models import ProgressUpdate, RecommendationResponse, ResponseStatus


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


@dataclass
class ResponsesRecorded:
    """What :func:`record_responses` did with a document's responses."""

    attached: int = 0
    unattached: list[str] = field(default_factory=list)  # one line each: which, where, why
    duplicates: int = 0  # already recorded for this review from another copy of the document
    reattached: int = 0  # earlier unattached responses whose recommendation now exists

    @property
    def stored(self) -> int:
        return self.attached + len(self.unattached)


def _same(text: str) -> str:
    return " ".join(text.split()).lower()


@transaction.atomic
def record_responses(
    *, review: Review, responses: Sequence[ExtractedResponse], by,
    source_document: SourceDocument | None = None,
) -> ResponsesRecorded:
    """Store a response or progress document's answers, each attached to the recommendation of
    ``review`` it answers (:mod:`stocktake.collect.response_matching`).

    A response whose recommendation is not found is stored unattached and named in the
    result. A response already recorded for the same recommendation with the same status and
    text (another copy of the document) is not stored again. Responses left unattached by an
    earlier import are attached first when their recommendation now exists (the report was
    imported after its response), so the import calls this after storing recommendations too.
    """
    outcome = ResponsesRecorded()
    matcher = matcher_for(review)
    for earlier in (review.recommendation_responses.filter(recommendation__isnull=True)
                    .select_for_update()):
        found = matcher.match(label=earlier.label, number=earlier.number,
                              quoted=earlier.recommendation_text)
        if found.target is not None:
            earlier.recommendation_id = found.target.id
            earlier.save(update_fields=["recommendation"])
            outcome.reattached += 1
    if not responses and not outcome.reattached:
        return outcome
    seen = {(rec_id, normalise_label(label) if rec_id is None else "", status, _same(text))
            for rec_id, label, status, text in review.recommendation_responses.values_list(
                "recommendation_id", "label", "status", "text")}
    for item in responses:
        text = item.text.strip()
        if not text:
            continue
        status = item.status if item.status in ResponseStatus.values else ResponseStatus.UNKNOWN
        found = matcher.match(label=item.label, number=item.number, quoted=item.recommendation_text)
        rec_id = found.target.id if found.target else None
        key = (rec_id, normalise_label(item.label) if rec_id is None else "", status, _same(text))
        if key in seen:
            outcome.duplicates += 1
            continue
        seen.add(key)
        RecommendationResponse.objects.create(
            review=review, recommendation_id=rec_id, label=item.label[:40], number=item.number,
            text=text, status=status, recommendation_text=item.recommendation_text.strip(),
            source_document=source_document, source_location=item.location[:255],
            imported_by=by if getattr(by, "is_authenticated", False) else None)
        if rec_id is None:
            where = f" ({item.location})" if item.location else ""
            outcome.unattached.append(
                f"The response to {response_name(item.label, item.number)}{where} was kept "
                f"but not attached: {found.reason}")
        else:
            outcome.attached += 1
    audit.record(actor=by, verb="responses.imported", subject=source_document, review=review,
                 attached=outcome.attached, unattached=len(outcome.unattached),
                 duplicates=outcome.duplicates, reattached=outcome.reattached)
    return outcome
