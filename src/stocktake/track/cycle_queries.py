"""What a cycle's page, its export and the stocktake report read: one comparison of two
sides for a user, built from :mod:`stocktake.track.cycle_compare`'s aggregates.

The lists of items come a page at a time (``page`` None: all of them, for exports and
the report); the counts are aggregates over every item the filters keep.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet

from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.reviews.models import OrganisationLevel
from stocktake.reviews.orgtree import OrgTree
from stocktake.track import cycle_compare as cc
from stocktake.track.cycle_compare import Filters, Side
from stocktake.track.cycle_requests import owner_progress
from stocktake.track.models import CycleStatus, StocktakeCycle, UpdateRequest

PER_PAGE = 50
CACHE_SECONDS = 600  # how long a comparison is kept when nothing changes (keyed by version)
_COMPARING = threading.Lock()


@dataclass(frozen=True)
class Item:
    """One item of a comparison, flat (what pages, exports and the report show; cheap to keep
    in the cache). ``prev_*`` are None where the item was not on the earlier side."""

    recommendation_id: int | None
    innovation_id: int | None
    number: str  # a recommendation's number as shown; "" for an innovation
    text: str  # the recommendation's text, or the innovation's title
    theme: str
    where: str  # the system (per-system entries), the owner, or the innovation's organisation
    status: str
    prev_status: str | None
    rag: str
    prev_rag: str | None
    outcome: str
    prev_outcome: str | None
    adoptions: int
    prev_adoptions: int | None
    updates: int
    evidence: int

    @property
    def status_changed(self) -> bool:
        return self.prev_status != self.status

    @property
    def rag_changed(self) -> bool:
        return self.prev_status is not None and (self.prev_rag or "") != (self.rag or "")

    @property
    def changed(self) -> bool:
        if self.innovation_id:
            return self.prev_outcome != self.outcome or self.prev_adoptions != self.adoptions
        return self.status_changed or self.rag_changed or self.evidence > 0


def _items(entries) -> list[Item]:
    out = []
    for e in entries:
        rec, inn = e.recommendation, e.innovation
        where = (e.organisation.name if e.organisation_id
                 else rec.owner.name if rec is not None and rec.owner_id else "")
        out.append(Item(
            recommendation_id=e.recommendation_id, innovation_id=e.innovation_id,
            number=rec.shown_number if rec else "", text=rec.text if rec else inn.title,
            theme=rec.theme.name if rec and rec.theme_id else "", where=where,
            status=e.status, prev_status=getattr(e, "prev_status", None), rag=e.rag,
            prev_rag=getattr(e, "prev_rag", None), outcome=e.outcome,
            prev_outcome=getattr(e, "prev_outcome", None), adoptions=e.adoptions,
            prev_adoptions=getattr(e, "prev_adoptions", None), updates=e.updates,
            evidence=e.evidence))
    return out


@dataclass(frozen=True)
class Comparison:
    cycle: StocktakeCycle
    before: Side
    filters: Filters
    summary: cc.Summary
    themes: dict  # theme id -> {"before": {status: n}, "now": {status: n}}
    systems: dict  # system id -> the same
    recommendations: list[Item]  # this page's (every one when ``page`` is None)
    recommendation_count: int
    innovation_summary: cc.InnovationSummary
    innovations: list[Item]
    innovation_count: int
    page: int | None
    pages: int
    key: str = ""  # the cache key it was kept under ("" when not kept)


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


def cycle_version(cycle: StocktakeCycle) -> str:
    """Changes whenever the cycle's entries may have: a closed cycle never changes; an open
    one's entries are refreshed only inside actions, each of which records an audit event,
    so the newest event's id moves on with every change (read from the primary key)."""
    if cycle.status == CycleStatus.CLOSED:
        return f"closed:{cycle.closed_at.isoformat() if cycle.closed_at else ''}"
    newest = AuditEvent.objects.aggregate(n=Max("id"))["n"]
    return f"open:{newest}"


def cached_compare(access, cycle: StocktakeCycle, before: Side, filters: Filters = Filters(),
                   page: int | None = 1, per_page: int = PER_PAGE) -> Comparison:
    """:func:`compare`, kept in Django's cache until the cycle's entries change; keyed by the
    items the user may see (every item, or their organisations'), the sides, the filters
    and the page, so two users share a comparison only when they see the same items."""
    owned = cc.owned_only(access)
    scope = "all" if owned is None else ",".join(str(i) for i in sorted(owned))
    key = "stocktake:cycle:" + hashlib.sha256(
        f"{cycle.pk}|{before.number}|{scope}|{filters}|{page}|{per_page}|{cycle_version(cycle)}"
        .encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        with _COMPARING:  # threads that miss together wait for the first
            found = cache.get(key)
            if found is None:
                found = replace(compare(access, cycle, before, filters, page=page,
                                        per_page=per_page), key=key)
                cache.set(key, found, CACHE_SECONDS)
    return found


def owner_progress_key(cycle: StocktakeCycle) -> str:
    """Names the cycle's owners' progress as it is now: it changes when the cycle's entries
    or its links do (what :func:`cached_owner_progress` keeps it under)."""
    links = UpdateRequest.objects.filter(cycle=cycle).aggregate(
        n=Count("id"), sent=Count("sent_at"), revoked=Count("revoked_at"))
    return (f"stocktake:cycle-owners:{cycle.pk}:{cycle_version(cycle)}:{links['n']}:"
            f"{links['sent']}:{links['revoked']}")


def cached_owner_progress(cycle: StocktakeCycle, key: str | None = None) -> list:
    """:func:`stocktake.track.cycle_requests.owner_progress` for the page, kept until the
    cycle's entries or its links change (``key``: :func:`owner_progress_key`, where the
    caller has it already)."""
    key = key or owner_progress_key(cycle)
    found = cache.get(key)
    if found is None:
        found = owner_progress(cycle)
        cache.set(key, found, CACHE_SECONDS)
    return found


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
        recommendations=_items(rec_rows), recommendation_count=rec_count,
        innovation_summary=cc.innovation_summary(innovations),
        innovations=_items(inn_rows), innovation_count=inn_count,
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
