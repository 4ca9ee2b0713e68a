"""Queries of the recommendations register: filtered, counted in the database, one page of
rows with their per-system statuses, and a recommendation's full history.

Every query starts from ``Recommendation.objects.visible_to(access)``; a page costs the same
few queries however many recommendations and systems there are (tests/web count them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import chain

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from stocktake.report.models import Recommendation, RecommendationStatus
from stocktake.reviews.models import Role
from stocktake.reviews.permissions import Access
from stocktake.track.models import ProgressUpdate, RecommendationResponse, SystemStatus

LAST_UPDATE = Subquery(ProgressUpdate.objects.filter(recommendation=OuterRef("pk"))
                       .order_by("-reported_at").values("reported_at")[:1])
# A recommendation past its due date in one of these is not overdue.
CLOSED = (RecommendationStatus.COMPLETED, RecommendationStatus.SUPERSEDED,
          RecommendationStatus.NO_LONGER_RELEVANT)


@dataclass(frozen=True)
class RegisterFilters:
    """What the register is narrowed to ("" / None / False: everything)."""

    status: str = ""
    rag: str = ""  # red, amber, green, or "none" for not rated
    owner: int | None = None
    theme: str = ""  # a theme's key, or "none"
    overdue: bool = False

    @property
    def active(self) -> bool:
        return bool(self.status or self.rag or self.owner or self.theme or self.overdue)


def overdue_q(today: dt.date) -> Q:
    return Q(due_date__lt=today) & ~Q(status__in=CLOSED)


def _filtered(qs: QuerySet, filters: RegisterFilters, today: dt.date, *,
              status: bool = True) -> QuerySet:
    if status and filters.status:
        qs = qs.filter(status=filters.status)
    if filters.rag:
        qs = qs.filter(rag="" if filters.rag == "none" else filters.rag)
    if filters.owner:
        qs = qs.filter(owner_id=filters.owner)
    if filters.theme:
        qs = (qs.filter(theme__isnull=True) if filters.theme == "none"
              else qs.filter(theme__key=filters.theme))
    if filters.overdue:
        qs = qs.filter(overdue_q(today))
    return qs


def register(access: Access, filters: RegisterFilters, *, today: dt.date) -> QuerySet:
    """The recommendations the register lists, in number order, each with ``last_update``
    (when its latest update was made: a subquery, so only the rows of the page asked for
    compute it). Their per-system statuses: :func:`system_statuses`."""
    return (
        _filtered(Recommendation.objects.visible_to(access), filters, today)
        .select_related("theme")
        .annotate(last_update=LAST_UPDATE)
        .order_by("number")
    )


def scope_key(access: Access) -> tuple:
    """What :meth:`Recommendation.objects.visible_to` decides by, as a value: two users with
    equal keys see the same recommendations (for naming what is kept per scope)."""
    return (access.review_id, access.sees_all_submitted,
            tuple(sorted(access.own_organisations(Role.ACTION_OWNER))))


def register_rows_by_id() -> QuerySet:
    """Where the register reads a page's rows by id (:class:`collect.paging.IdsFirst`), with
    what :func:`register` adds to each."""
    return Recommendation.objects.select_related("theme").annotate(last_update=LAST_UPDATE)


def system_statuses(recommendation_ids) -> dict[int, dict[int, tuple[str, str]]]:
    """{recommendation id: {organisation id: (status, rag)}} for per-system recommendations
    (plain tuples in one query: a page of 50 across 12 systems is 600 rows)."""
    found: dict[int, dict[int, tuple[str, str]]] = {}
    for rec_id, org_id, status, rag in (SystemStatus.objects
                                        .filter(recommendation_id__in=list(recommendation_ids))
                                        .values_list("recommendation_id", "organisation_id",
                                                     "status", "rag")):
        found.setdefault(rec_id, {})[org_id] = (status, rag)
    return found


def status_counts(access: Access, filters: RegisterFilters, *, today: dt.date) -> dict[str, int]:
    """How many recommendations have each status, under every filter but the status one."""
    rows = (_filtered(Recommendation.objects.visible_to(access), filters, today, status=False)
            .order_by().values_list("status").annotate(n=Count("id")))
    return dict(rows)


def overdue_count(access: Access, *, today: dt.date) -> int:
    return Recommendation.objects.visible_to(access).filter(overdue_q(today)).count()


def owners_in_register(access: Access) -> list[int]:
    """The owner organisations (ids) of the recommendations the user sees, for the filter."""
    return list(Recommendation.objects.visible_to(access).exclude(owner__isnull=True)
                .order_by().values_list("owner_id", flat=True).distinct())


def history(recommendation: Recommendation) -> list:
    """The recommendation's updates and its imported responses not (yet) made updates,
    newest first: ProgressUpdate and RecommendationResponse objects, mixed."""
    updates = (ProgressUpdate.objects.filter(recommendation=recommendation)
               .select_related("reported_by", "response__source_document", "cycle"))
    responses = (RecommendationResponse.objects.filter(recommendation=recommendation,
                                                       update__isnull=True)
                 .select_related("source_document"))
    return sorted(chain(updates, responses), reverse=True,
                  key=lambda item: (getattr(item, "reported_at", None)
                                    or item.imported_at, item.pk))


def owned_across_reviews(organisation_ids: frozenset[int], reviews_and_access) -> list:
    """The recommendations owned by ``organisation_ids`` in each review the user may see them:
    (review, [recommendation...]) per review with any, by review title."""
    found = []
    for review, access in reviews_and_access:
        recs = list(Recommendation.objects.visible_to(access)
                    .filter(owner_id__in=organisation_ids)
                    .select_related("theme")
                    .annotate(last_update=LAST_UPDATE).order_by("number"))
        if recs:
            found.append((review, recs))
    return found


def export_updates(recommendations: list[Recommendation]) -> dict[int, list[ProgressUpdate]]:
    """Every update of ``recommendations``, oldest first, by recommendation id (one query)."""
    by_rec: dict[int, list[ProgressUpdate]] = {r.pk: [] for r in recommendations}
    for update in (ProgressUpdate.objects.filter(recommendation_id__in=by_rec)
                   .select_related("reported_by").order_by("reported_at", "id")):
        by_rec[update.recommendation_id].append(update)
    return by_rec
