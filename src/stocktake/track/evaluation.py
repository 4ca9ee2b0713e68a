"""Queries of the evaluation, decision and spread pages and commands (read only).

Every function takes the innovation already checked against the user's scope
(:func:`innovation_for`), or the user, and reads nothing outside that scope: similar
practice searches only findings the user may see in each of their reviews.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet

from stocktake.analysis import feedback as feedback_analysis
from stocktake.analysis.similar import SimilarityIndex
from stocktake.collect.models import Finding, Submission
from stocktake.collect.paging import query_key
from stocktake.reviews.models import Organisation, OrganisationLevel
from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.permissions import access_for, reviews_visible_to
from stocktake.track.models import (
    Adoption,
    Decision,
    DecisionFramework,
    Feedback,
    FeedbackSource,
    Innovation,
    Measure,
    MeasureValue,
)
from stocktake.track.scopes import InnovationScope, innovation_scope, innovations_visible_to

FEEDBACK_SHOWN = 200  # comments listed per source (the summary counts them all)
SUMMARISED = 2000  # comments read for the summary, newest first
SIMILAR_FINDINGS = 20_000  # newest findings searched for similar practice
SIMILAR_ORGS = 5
SPREAD_PAGE = 50  # rows of the region's spread table on one page


def innovation_for(user, innovation_id: int) -> Innovation:
    """The innovation if ``user`` may see it; Innovation.DoesNotExist otherwise."""
    return (innovations_visible_to(user).select_related("organisation")
            .get(pk=innovation_id))


def may_edit(user, innovation: Innovation) -> bool:
    return innovation_scope(user).may_log_for(innovation.organisation_id)


def measures(innovation: Innovation) -> list[Measure]:
    return list(innovation.measures.prefetch_related(
        Prefetch("values", queryset=MeasureValue.objects.order_by("on"))))


@dataclass(frozen=True)
class FeedbackSide:
    source: str
    label: str
    total: int
    summary: feedback_analysis.Summary
    representative: dict[str, list[Feedback]]
    shown: list[Feedback]


def feedback_sides(innovation: Innovation) -> list[FeedbackSide]:
    """Staff and service users' feedback, each counted, summarised and listed."""
    sides = []
    for source, label in FeedbackSource.choices:
        rows = list(innovation.feedback.filter(source=source)[:SUMMARISED])
        summary = feedback_analysis.summarise([f.text for f in rows], [f.polarity for f in rows],
                                              [f.rating for f in rows])
        sides.append(FeedbackSide(
            source=source, label=label, total=innovation.feedback.filter(source=source).count(),
            summary=summary,
            representative={p: [rows[i] for i in positions]
                            for p, positions in summary.representative.items()},
            shown=rows[:FEEDBACK_SHOWN]))
    return sides


def frameworks_for(organisation_id: int) -> list[DecisionFramework]:
    """The default framework, then those of the organisation and the organisations above it."""
    tree = OrgTree.shared()
    own = [organisation_id] + [o.id for o in tree.ancestors(organisation_id)]
    found = list(DecisionFramework.objects.filter(organisation_id__in=own).select_related("organisation"))
    defaults = list(DecisionFramework.objects.filter(organisation__isnull=True))
    return defaults + sorted(found, key=lambda f: (own.index(f.organisation_id), f.name))


def decisions(innovation: Innovation) -> list[Decision]:
    return list(innovation.decisions.select_related("decided_by", "framework", "cycle"))


def adoptions(innovation: Innovation) -> list[Adoption]:
    return list(innovation.adoptions.select_related("organisation", "recorded_by"))


def adoptable_organisations(innovation: Innovation) -> list[Organisation]:
    return list(Organisation.objects.exclude(pk=innovation.organisation_id).order_by("name"))


def region_innovations(user, *, organisation_id: int | None = None,
                       scope: InnovationScope | None = None) -> QuerySet:
    """Innovations the user sees (those of one organisation's subtree, if given), newest
    first; ``scope``: the user's, where the caller has it already."""
    qs = innovations_visible_to(user, scope=scope)
    if organisation_id is not None:
        qs = qs.filter(organisation_id__in=OrgTree.shared().descendants(organisation_id))
    return qs.order_by("-created_at", "-id")


def adoptions_of(innovation_ids) -> dict[int, list[tuple[int, str]]]:
    """{innovation id: [(organisation id, status)...]} of the given innovations (a page's:
    one query of plain tuples)."""
    found: dict[int, list[tuple[int, str]]] = {}
    for innovation_id, org_id, status in (Adoption.objects
                                          .filter(innovation_id__in=list(innovation_ids))
                                          .order_by("organisation__name", "id")
                                          .values_list("innovation_id", "organisation_id",
                                                       "status")):
        found.setdefault(innovation_id, []).append((org_id, status))
    return found


@dataclass(frozen=True)
class SpreadCounts:
    """Where the innovations were logged and taken up, counted in the database."""

    logged: dict[int, int]  # organisation id → innovations logged there
    adopted: dict[int, dict[str, int]]  # organisation id → {adoption status: count}


def spread_counts(innovations: QuerySet) -> SpreadCounts:
    """:class:`SpreadCounts` of ``innovations`` (already scoped): two grouped queries."""
    logged = dict(innovations.order_by().values_list("organisation_id")
                  .annotate(n=Count("id")))
    adopted: dict[int, dict[str, int]] = {}
    for org_id, status, n in (Adoption.objects.filter(innovation__in=innovations.values("id"))
                              .order_by().values_list("organisation_id", "status")
                              .annotate(n=Count("id"))):
        adopted.setdefault(org_id, {})[status] = n
    return SpreadCounts(logged=logged, adopted=adopted)


def spread_areas(user) -> list:
    """Regions, systems and places whose innovations the user may see (the view's filter)."""
    scope, tree = innovation_scope(user), OrgTree.shared()
    areas = tree.below(None, levels=(OrganisationLevel.REGION, OrganisationLevel.SYSTEM,
                                      OrganisationLevel.PLACE))
    return [a for a in areas if scope.everything or a.id in scope.sees]


# Similar practice -------------------------------------------------------------------------

_INDEXES: dict[tuple, tuple[list[int], list[int], SimilarityIndex]] = {}
_CACHE_SIZE = 4
_BUILDING = threading.Lock()


def _visible_findings(user) -> QuerySet:
    found = Finding.objects.none()
    for review in reviews_visible_to(user):
        found = found | Finding.objects.visible_to(access_for(user, review))
    return found


def _version() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX(id) FROM {Finding._meta.db_table}), "
                       f"(SELECT MAX(updated_at) FROM {Submission._meta.db_table})")
        return tuple(str(v) for v in cursor.fetchone())


def _index(findings: QuerySet) -> tuple[list[int], list[int], SimilarityIndex]:
    key = (query_key(findings), _version())
    if key in _INDEXES:
        return _INDEXES[key]
    with _BUILDING:
        if key in _INDEXES:
            return _INDEXES[key]
        rows = list(findings.order_by("-pk").values_list("pk", "text", "organisation_id")
                    [:SIMILAR_FINDINGS])
        ids = [r[0] for r in rows]
        orgs = [r[2] for r in rows]
        if not rows:
            return [], [], None
        index = SimilarityIndex([r[1] for r in rows], [str(o) for o in orgs])
        if len(_INDEXES) >= _CACHE_SIZE:
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[key] = (ids, orgs, index)
        return _INDEXES[key]


@dataclass(frozen=True)
class SimilarPractice:
    organisation_id: int
    organisation: str
    finding_text: str
    score: float
    adopted: str  # the adoption's status label, or ""


def similar_practice(user, innovation: Innovation) -> list[SimilarPractice]:
    """Organisations whose findings (that ``user`` may see) describe what the innovation
    changed: the best finding of each, best first, the innovation's own organisation left out."""
    findings = _visible_findings(user)
    ids, orgs, index = _index(findings)
    if not ids:
        return []
    query = f"{innovation.title}. {innovation.what_changed}"
    matches = index.similar(query, organisation=str(innovation.organisation_id),
                            k=SIMILAR_ORGS * 4)
    tree = OrgTree.shared()
    adopted = {a.organisation_id: a.get_status_display() for a in innovation.adoptions.all()}
    texts = dict(findings.filter(pk__in=[ids[m.index] for m in matches])
                 .values_list("pk", "text"))
    out, seen = [], set()
    for m in matches:
        org = orgs[m.index]
        if org in seen or org is None:
            continue
        seen.add(org)
        out.append(SimilarPractice(org, tree.name(org), texts.get(ids[m.index], ""),
                                   round(m.score, 2), adopted.get(org, "")))
        if len(out) == SIMILAR_ORGS:
            break
    return out
