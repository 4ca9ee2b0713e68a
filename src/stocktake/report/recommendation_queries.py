"""Read-only questions the recommendations builder asks: are the numbers frozen, the
recommendations grouped as the report reads them, and the findings a recommendation may cite.

Callers scope first (``Recommendation.objects.visible_to(access)``,
``Finding.objects.visible_to(access)``) and pass those querysets in; the functions here
only narrow and order them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from stocktake.assess.finding_filters import FindingFilters, filter_findings
from stocktake.collect.models import SubmissionStatus
from stocktake.report.models import ReportVersion
from stocktake.reviews.models import Review

FURTHER = "Further recommendations"  # the section of recommendations with no theme


def numbers_frozen(review: Review) -> bool:
    """True once the report has been published (a ReportVersion exists, or the review was
    published before versions were kept): numbers then never change."""
    return review.is_published or ReportVersion.objects.filter(review=review).exists()


@dataclass
class ThemeGroup:
    """One section of the report's recommendations: a theme (None: the further ones)."""

    theme: object | None
    name: str
    recommendations: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.theme.key if self.theme is not None else ""


def themes_in_order(review: Review) -> list:
    """The review's framework themes in the report's order."""
    return list(review.framework.themes.order_by("position", "id"))


def reading_order(recommendations: Iterable, themes: list) -> list:
    """``recommendations`` in the order the report reads them: theme sections in framework
    order, then those with no theme; by number within a section."""
    rank = {theme.pk: index for index, theme in enumerate(themes)}
    return sorted(recommendations,
                  key=lambda r: (rank.get(r.theme_id, len(rank)), r.number, r.pk))


def grouped_recommendations(recommendations: QuerySet, themes: list) -> list[ThemeGroup]:
    """The sections that hold recommendations, in reading order, each in number order."""
    groups = {theme.pk: ThemeGroup(theme=theme, name=theme.name) for theme in themes}
    further = ThemeGroup(theme=None, name=FURTHER)
    for rec in reading_order(recommendations, themes):
        groups.get(rec.theme_id, further).recommendations.append(rec)
    sections = [group for group in groups.values() if group.recommendations]
    return sections + ([further] if further.recommendations else [])


def section_of(recommendation, recommendations: QuerySet, themes: list) -> list:
    """The recommendations of ``recommendation``'s section (its theme, or the further ones),
    in number order."""
    theme_ids = {theme.pk for theme in themes}
    if recommendation.theme_id in theme_ids:
        same = recommendations.filter(theme_id=recommendation.theme_id)
    else:
        same = recommendations.exclude(theme_id__in=theme_ids)
    return list(same.order_by("number", "pk"))


def citable_findings(findings: QuerySet, *, text: str = "", theme: str = "", themes=(),
                     tree=None) -> QuerySet:
    """The submitted findings among ``findings`` (already scoped to the review and the user)
    that match ``text`` (a case-insensitive part of the finding) and ``theme`` (a theme key,
    counted by the rule of :mod:`stocktake.assess.themes`), by organisation then position."""
    submitted = findings.filter(submission__status=SubmissionStatus.SUBMITTED)
    narrowed = filter_findings(submitted, FindingFilters(text=text, theme=theme),
                               tree=tree, themes=themes)
    return (narrowed.select_related("organisation", "source_document")
            .order_by("organisation__name", "position", "id"))


def cited_findings(findings: QuerySet, recommendation) -> QuerySet:
    """The findings among ``findings`` (scoped) that ``recommendation`` cites."""
    return (findings.filter(recommendations=recommendation)
            .select_related("organisation", "source_document", "submission")
            .order_by("organisation__name", "position", "id"))


def citing_by_finding(recommendations: QuerySet) -> dict[int, list]:
    """The (scoped) ``recommendations`` that cite each finding, by finding id, in the
    recommendations' own order: two queries for the whole review, so that a page showing
    one finding's citations can keep the answer until the data change."""
    ordered = {r.pk: r for r in recommendations}
    through = recommendations.model.findings.through
    cited: dict[int, list] = {}
    for finding_id, recommendation_id in (
            through.objects.filter(recommendation__in=recommendations.values("pk")).order_by()
            .values_list("finding_id", "recommendation_id")):
        cited.setdefault(finding_id, []).append(ordered[recommendation_id])
    position = {pk: n for n, pk in enumerate(ordered)}
    for found in cited.values():
        found.sort(key=lambda r: position[r.pk])
    return cited
