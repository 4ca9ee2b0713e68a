"""What undoing an import batch removes, and what other work depends on it (read-only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from stocktake.assess.models import Code, CodeOrigin
from stocktake.collect.models import (
    BatchFileOutcome,
    Example,
    Finding,
    ImportBatch,
    SourceDocument,
    Submission,
)
from stocktake.core.text import plural
from stocktake.report.models import CaseStudy, Recommendation, RecommendationStatus
from stocktake.reviews.models import Organisation, Participant
from stocktake.track.models import RecommendationResponse


@dataclass
class UndoPlan:
    batch: ImportBatch
    document_ids: list[int] = field(default_factory=list)
    finding_ids: list[int] = field(default_factory=list)
    example_ids: list[int] = field(default_factory=list)
    case_study_ids: list[int] = field(default_factory=list)
    response_ids: list[int] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)  # its recommendations answered elsewhere
    submission_ids: list[int] = field(default_factory=list)
    recommendation_ids: list[int] = field(default_factory=list)
    participant_ids: list[int] = field(default_factory=list)
    organisation_ids: list[int] = field(default_factory=list)
    other_kinds: dict[str, list[int]] = field(default_factory=dict)  # e.g. responses
    human_codes: int = 0
    citing: list[tuple[int, int]] = field(default_factory=list)  # (recommendation number, findings)
    tracked: list[int] = field(default_factory=list)  # its recommendations with progress/published

    @property
    def dependents(self) -> list[str]:
        """One line per piece of other work that would go too (empty: nothing depends on it)."""
        lines = []
        if self.human_codes:
            lines.append(f"{plural(self.human_codes, 'theme decision')} made by reviewers on its "
                         "findings (they will be removed)")
        for number, count in self.citing:
            which = "one of its findings" if count == 1 else f"{count} of its findings"
            lines.append(f"Recommendation {number} is based on {which} (the recommendation "
                         "stays; those links are removed)")
        for number in self.answered:
            lines.append(f"Recommendation {number}, which it brought in, has responses imported "
                         "from another document (they will be kept, no longer attached)")
        for number in self.tracked:
            lines.append(f"Recommendation {number}, which it brought in, is published or has "
                         "progress reported (it will be removed with its progress)")
        return lines

    @property
    def removes(self) -> list[str]:
        parts = [plural(len(self.document_ids), "document"),
                 plural(len(self.submission_ids), "submission"),
                 plural(len(self.finding_ids), "finding"),
                 plural(len(self.example_ids), "example")]
        if self.recommendation_ids:
            parts.append(plural(len(self.recommendation_ids), "recommendation"))
        if self.case_study_ids:
            parts.append(plural(len(self.case_study_ids), "case study", "case studies"))
        if self.response_ids:
            parts.append(plural(len(self.response_ids), "response"))
        if self.participant_ids:
            parts.append(plural(len(self.participant_ids), "participant"))
        if self.organisation_ids:
            parts.append(f"{plural(len(self.organisation_ids), 'organisation')} it created, where "
                         "nothing else uses them")
        for kind, ids in self.other_kinds.items():
            parts.append(plural(len(ids), kind))
        return parts


def plan_undo(batch: ImportBatch) -> UndoPlan:
    """What :func:`~stocktake.track.imports.actions.undo_import` would remove for ``batch``."""
    plan = UndoPlan(batch=batch)
    plan.document_ids = list(batch.files.filter(outcome=BatchFileOutcome.IMPORTED,
                                                document__isnull=False)
                             .values_list("document_id", flat=True))
    documents = SourceDocument.objects.filter(pk__in=plan.document_ids)
    plan.finding_ids = list(Finding.objects.filter(source_document__in=documents)
                            .values_list("pk", flat=True))
    plan.submission_ids = list(Submission.objects.filter(source_document__in=documents)
                               .values_list("pk", flat=True))
    plan.example_ids = list(Example.objects.filter(source_document__in=documents)
                            .values_list("pk", flat=True))
    plan.case_study_ids = list(CaseStudy.objects.filter(source_document__in=documents)
                               .values_list("pk", flat=True))
    plan.response_ids = list(RecommendationResponse.objects.filter(source_document__in=documents)
                             .values_list("pk", flat=True))
    records: dict[str, list[int]] = {}
    for kind, pk in batch.records.values_list("kind", "object_id"):
        records.setdefault(kind, []).append(pk)
    plan.recommendation_ids = list(Recommendation.objects.filter(
        review=batch.review, pk__in=records.pop("recommendation", [])).values_list("pk", flat=True))
    plan.participant_ids = list(Participant.objects.filter(
        review=batch.review, pk__in=records.pop("participant", [])).values_list("pk", flat=True))
    plan.organisation_ids = list(Organisation.objects.filter(
        pk__in=records.pop("organisation", [])).values_list("pk", flat=True))
    plan.other_kinds = records
    plan.human_codes = Code.objects.filter(finding_id__in=plan.finding_ids,
                                           origin=CodeOrigin.HUMAN).count()
    citing = (Recommendation.objects.filter(findings__in=plan.finding_ids)
              .exclude(pk__in=plan.recommendation_ids).order_by("number"))
    counts: dict[int, int] = {}
    for number in citing.values_list("number", flat=True):
        counts[number] = counts.get(number, 0) + 1
    plan.citing = sorted(counts.items())
    plan.answered = sorted(set(
        RecommendationResponse.objects.filter(recommendation_id__in=plan.recommendation_ids)
        .exclude(pk__in=plan.response_ids).values_list("recommendation__number", flat=True)))
    plan.tracked = sorted(set(
        Recommendation.objects.filter(pk__in=plan.recommendation_ids)
        .filter(~Q(status=RecommendationStatus.DRAFT) | Q(progress_updates__isnull=False))
        .values_list("number", flat=True)))
    return plan
