"""What a cycle's page, its export and the stocktake report read: one comparison of two
sides for a user, built from :mod:`stocktake.track.cycle_compare`'s aggregates.

The lists of items come a page at a time (``page`` None: all of them, for exports and
the report); the counts are aggregates over every item the filters keep.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from stocktake.core.errors import InvalidInput
from stocktake.reviews.models import OrganisationLevel
from stocktake.reviews.orgtree import OrgTree
from stocktake.track import cycle_compare as cc
from stocktake.track.cycle_compare import Filters, Side
from stocktake.track.models import StocktakeCycle

PER_PAGE = 50


@dataclass(frozen=True)
class Comparison:
    cycle: StocktakeCycle
    before: Side
    filters: Filters
    summary: cc.Summary
    themes: dict  # theme id -> {"before": {status: n}, "now": {status: n}}
    systems: dict  # system id -> the same
    recommendations: list  # CycleEntry rows annotated with prev_* (this page)
    recommendation_count: int
    innovation_summary: cc.InnovationSummary
    innovations: list
    innovation_count: int
    page: int | None
    pages: int


def find_cycle(visible: QuerySet, number) -> StocktakeCycle | None:
    try:
        return visible.filter(number=int(number)).first()
    except (TypeError, ValueError):
        return None


def choose_before(cycle: StocktakeCycle, visible: QuerySet, before) -> Side:
    """The earlier side: cycle ``before`` (0 for publication; any earlier visible cycle), or
    the one before ``cycle`` when not given. A later or unknown number is refused."""
    if before in (None, ""):
        return cc.previous_side(cycle, visible)
    try:
        number = int(before)
    except (TypeError, ValueError):
        raise InvalidInput(f"{before!r} is not a cycle number") from None
    if number == cc.PUBLICATION:
        return cc.publication_side(cycle.review)
    if number >= cycle.number:
        raise InvalidInput(f"Compare cycle {cycle.number} with an earlier cycle or with the "
                           "publication (0)")
    earlier = visible.filter(number=number).first()
    if earlier is None:
        raise InvalidInput(f"There is no cycle {number} you can see")
    return cc.cycle_side(earlier)


def compare(access, cycle: StocktakeCycle, before: Side, filters: Filters = Filters(),
            page: int | None = 1, per_page: int = PER_PAGE) -> Comparison:
    base = cc.entries_visible_to(access, cycle)
    recs = cc.recommendation_entries(base, before, filters)
    innovations = cc.innovation_entries(base, before, filters)
    rec_count = recs.order_by().count()
    inn_count = innovations.order_by().count()
    pages = max(1, -(-max(rec_count, inn_count) // per_page))
    rec_rows = (recs.select_related("recommendation__theme", "recommendation__owner", "organisation")
                .order_by("recommendation__number", "organisation__name"))
    inn_rows = (innovations.select_related("innovation", "organisation")
                .order_by("innovation__title", "id"))
    if page is not None:
        page = min(max(1, page), pages)
        start = (page - 1) * per_page
        rec_rows, inn_rows = rec_rows[start:start + per_page], inn_rows[start:start + per_page]
    return Comparison(
        cycle=cycle, before=before, filters=filters,
        summary=cc.recommendation_summary(recs),
        themes=cc.status_counts(recs, "recommendation__theme_id"),
        systems=cc.by_system(recs),
        recommendations=list(rec_rows), recommendation_count=rec_count,
        innovation_summary=cc.innovation_summary(innovations),
        innovations=list(inn_rows), innovation_count=inn_count,
        page=page, pages=pages)


def systems_of(review) -> list:
    """The review region's integrated care systems (for the filter and the matrix)."""
    if not review.region_id:
        return []
    return OrgTree.shared().below(review.region_id, levels=[OrganisationLevel.SYSTEM])


def owner_entries(access, cycle: StocktakeCycle) -> QuerySet:
    """An action owner's items in the cycle (what their personal link opens)."""
    return (cc.entries_visible_to(access, cycle)
            .select_related("recommendation", "innovation", "organisation")
            .order_by("innovation_id", "recommendation__number", "organisation__name"))
