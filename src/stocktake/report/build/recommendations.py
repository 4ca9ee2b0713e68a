"""The report's recommendations: placed under their theme, or among the further ones."""

from __future__ import annotations

from django.db.models import Prefetch

from stocktake.collect.models import Finding, SubmissionStatus
from stocktake.collect.personal_data import hide_flagged
from stocktake.report.build.sources import source_of
from stocktake.report.data import Citation, RecommendationItem
from stocktake.report.labels import origins
from stocktake.reviews.models import Review

CITATION_MAX = 240  # characters of a cited finding shown beside its recommendation


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CITATION_MAX else text[:CITATION_MAX - 1].rstrip() + "…"


def _citation(finding) -> Citation:
    return Citation(finding_id=finding.pk, text=_short(finding.text),
                    organisation=finding.organisation.name, source=source_of(finding))


def recommendation_item(rec) -> RecommendationItem:
    return RecommendationItem(
        number=rec.number, text=rec.text, owner=rec.owner.name if rec.owner else "",
        status=rec.status, status_label=rec.get_status_display(), section=rec.section,
        label=rec.label, origin=getattr(rec, "origin", ""),
        theme_key=rec.theme.key if rec.theme_id else "", lead_contact=rec.lead_contact,
        due_date=rec.due_date,
        citations=tuple(_citation(f) for f in getattr(rec, "cited", ())),
    )


def _cited_findings():
    """Cited findings a report may show: submitted ones, in position order."""
    return Prefetch(
        "findings", to_attr="cited",
        queryset=Finding.objects.filter(submission__status=SubmissionStatus.SUBMITTED)
        .select_related("organisation", "source_document").order_by("position", "id"),
    )


def by_theme(review: Review, themes) -> tuple[dict[int, list], list]:
    """The review's recommendations per theme id, and those under no theme of the framework."""
    recommendations = list(review.recommendations.select_related(
        "owner", "theme", "source_document").prefetch_related(_cited_findings())
        .order_by("number", "id"))
    # Undecided personal data in their text and cited findings is replaced ([NHS number] …).
    hide_flagged(recommendations)
    hide_flagged([f for rec in recommendations for f in rec.cited])
    named = origins(recommendations)
    for rec in recommendations:
        rec.origin = named.get(rec.pk, "")  # two documents' "Recommendation 1": which is which
    recs_by_theme: dict[int, list] = {t.pk: [] for t in themes}
    further = []
    for rec in recommendations:
        if rec.theme_id in recs_by_theme:
            recs_by_theme[rec.theme_id].append(rec)
        else:
            further.append(rec)
    return recs_by_theme, further


def numbering_warnings(numbers: list[int]) -> list[str]:
    warnings = []
    if numbers != sorted(numbers):
        warnings.append(
            "Recommendation numbers do not follow the report's reading order "
            f"({', '.join(map(str, numbers))}); renumber them so they run on through the report."
        )
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        warnings.append("Recommendation numbers have gaps or do not start at 1.")
    return warnings
