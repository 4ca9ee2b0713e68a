"""State changes made while tracking: owners' updates on a published report's
recommendations (:mod:`.progress`), responses imported from response or progress
documents (here), the innovations register (:mod:`.innovations`) and its golden threads
(:mod:`.threads`), stocktake cycles (:mod:`.cycles`; their entries kept up to date by
:mod:`.cycle_entries`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from stocktake.collect import actions as collect_actions
from stocktake.collect.importers import ExtractedResponse
from stocktake.collect.models import SourceDocument
from stocktake.collect.response_matching import matcher_for, normalise_label, response_name
from stocktake.core import audit
from stocktake.report.models import Recommendation, RecommendationStatus
from stocktake.reviews.models import Review
from stocktake.track.actions.cycle_entries import open_cycle, refresh, refresh_everywhere
from stocktake.track.actions.cycles import (
    close_cycle,
    issue_update_request,
    mark_request_sent,
    record_request_used,
    revoke_organisation_links,
    revoke_update_request,
    set_cycle_dates,
    start_cycle,
)
from stocktake.track.actions.innovations import (
    code_innovations,
    import_innovations,
    link_findings,
    log_innovation,
    set_innovation_themes,
    update_innovation,
)
from stocktake.track.actions.progress import record_progress, set_per_system
from stocktake.track.actions.threads import (
    create_golden_thread,
    dissolve_golden_thread,
    move_to_thread,
    suggest_golden_threads,
    update_golden_thread,
)
from stocktake.track.models import RecommendationResponse, ResponseStatus, UpdateChannel

__all__ = [
    "ResponsesRecorded", "close_cycle", "code_innovations", "create_golden_thread",
    "dissolve_golden_thread", "import_innovations", "issue_update_request", "link_findings",
    "log_innovation", "mark_request_sent", "move_to_thread", "open_cycle", "record_progress",
    "record_request_used", "record_responses", "refresh", "refresh_everywhere",
    "revoke_organisation_links", "revoke_update_request", "set_cycle_dates",
    "set_innovation_themes", "set_per_system", "start_cycle", "suggest_golden_threads",
    "update_golden_thread", "update_innovation",
]

# What an imported response says, as the recommendation's progress (None: its status stays).
RESPONSE_PROGRESS = {
    ResponseStatus.IN_PROGRESS: RecommendationStatus.IN_PROGRESS,
    ResponseStatus.COMPLETE: RecommendationStatus.COMPLETED,
    ResponseStatus.NOT_ACCEPTED: RecommendationStatus.NOT_PROGRESSED,
}


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
    source_document: SourceDocument | None = None, as_updates: bool = True,
) -> ResponsesRecorded:
    """Store a response or progress document's answers, each attached to the recommendation of
    ``review`` it answers (:mod:`stocktake.collect.response_matching`).

    A response whose recommendation is not found is stored unattached and named in the
    result. A response already recorded for the same recommendation with the same status and
    text (another copy of the document) is not stored again. Responses left unattached by an
    earlier import are attached first when their recommendation now exists (the report was
    imported after its response), so the import calls this after storing recommendations too.
    Once the report is published each attached response is also recorded as an update on its
    recommendation; ``as_updates=False`` leaves that out (loading a review document, whose
    updates travel on their own).
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
    stored = []
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
        response = RecommendationResponse.objects.create(
            review=review, recommendation_id=rec_id, label=item.label[:40], number=item.number,
            text=text, status=status, recommendation_text=item.recommendation_text.strip(),
            source_document=source_document, source_location=item.location[:255],
            imported_by=by if getattr(by, "is_authenticated", False) else None)
        stored.append(response)
        if rec_id is None:
            where = f" ({item.location})" if item.location else ""
            outcome.unattached.append(
                f"The response to {response_name(item.label, item.number)}{where} was kept "
                f"but not attached: {found.reason}")
        else:
            outcome.attached += 1
            if review.is_published and as_updates:
                _as_update(response, rec_id, by=by)
    collect_actions.flag_personal_data(review=review, items=stored, by=by, subject=source_document)
    audit.record(actor=by, verb="responses.imported", subject=source_document, review=review,
                 attached=outcome.attached, unattached=len(outcome.unattached),
                 duplicates=outcome.duplicates, reattached=outcome.reattached)
    return outcome


def _as_update(response: RecommendationResponse, recommendation_id: int, *, by) -> None:
    """Once the report is published, a response attaches to its recommendation's history as an
    update (channel "import"); its status moves the recommendation where it says how far
    it has got. A per-system recommendation's systems are not told apart by a document."""
    recommendation = Recommendation.objects.get(pk=recommendation_id)
    if recommendation.per_system:
        return
    status = RESPONSE_PROGRESS.get(response.status, recommendation.status)
    if status == RecommendationStatus.DRAFT:
        return
    source = response.source_document.original_name if response.source_document_id else ""
    record_progress(
        recommendation=recommendation, status=status, note=response.text, by=by,
        channel=UpdateChannel.IMPORT, response=response, rag=recommendation.rag,
        reason=(f"Reported complete in {source or 'an imported response document'}"
                if status == RecommendationStatus.COMPLETED else ""))
