"""The report's recommendations: placed under their theme, or among the further ones."""

from __future__ import annotations

from stocktake.report.data import RecommendationItem
from stocktake.report.labels import origins
from stocktake.reviews.models import Review


def recommendation_item(rec) -> RecommendationItem:
    return RecommendationItem(
        number=rec.number, text=rec.text, owner=rec.owner.name if rec.owner else "",
        status=rec.status, status_label=rec.get_status_display(), section=rec.section,
        label=rec.label, origin=getattr(rec, "origin", ""),
    )


def by_theme(review: Review, themes) -> tuple[dict[int, list], list]:
    """The review's recommendations per theme id, and those under no theme of the framework."""
    recommendations = list(review.recommendations.select_related(
        "owner", "theme", "source_document").order_by("number", "id"))
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
