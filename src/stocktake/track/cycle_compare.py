"""Comparing two stocktakes side by side, aggregated in the database from their entries.

A *side* is a cycle (its :class:`~stocktake.track.models.CycleEntry` rows: kept up to date
while it is open, frozen once closed) or the report's publication. At publication every
recommendation was agreed and not started (no RAG); an innovation's decision and
adoptions are those recorded by the date of the first published version.

Each item of the later cycle is joined to its entry in the earlier side by one LEFT
JOIN on the (cycle, recommendation, organisation) index, so filters,
"changed only", the counts per theme, the per-system matrix and the transitions are all
one aggregate query each, whatever the size of the region.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from stocktake.report.models import RecommendationStatus, ReportVersion
from stocktake.reviews.models import Role
from stocktake.reviews.orgtree import OrgTree
from stocktake.track.models import (
    Adoption,
    AdoptionStatus,
    CycleEntry,
    CycleStatus,
    Decision,
    DecisionOutcome,
    StocktakeCycle,
)

PUBLICATION = 0  # the number that names the publication as a side
AT_PUBLICATION_STATUS = RecommendationStatus.AGREED
SPREAD = (AdoptionStatus.ADOPTED, AdoptionStatus.ADAPTED)
STATUS_ORDER = [s for s in RecommendationStatus.values if s != RecommendationStatus.DRAFT]
OUTCOME_ORDER = list(DecisionOutcome.values)


# -- who sees which cycles and items ---------------------------------------------------

def cycles_visible_to(access, review) -> QuerySet:
    """Leads and reviewers see every cycle; action owners every cycle (their own items);
    viewers closed cycles once the report is published; contributors none."""
    qs = StocktakeCycle.objects.filter(review=review).order_by("number")
    if access.has("view_all_submitted"):
        return qs
    if access.own_organisations(Role.ACTION_OWNER):
        return qs
    if access.published and Role.VIEWER in access.roles:
        return qs.filter(status=CycleStatus.CLOSED)
    return qs.none()


def owned_only(access) -> frozenset[int] | None:
    """The organisations whose items a user sees in a cycle; None: every item."""
    if access.has("view_all_submitted") or Role.VIEWER in access.roles:
        return None
    return access.own_organisations(Role.ACTION_OWNER)


def entries_visible_to(access, cycle: StocktakeCycle) -> QuerySet:
    qs = CycleEntry.objects.filter(cycle=cycle)
    owned = owned_only(access)
    if owned is None:
        return qs
    return qs.filter(Q(organisation_id__in=owned)
                     | Q(organisation__isnull=True, recommendation__owner_id__in=owned))


# -- sides -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    number: int  # 0: publication
    label: str
    cycle: StocktakeCycle | None
    published_at: dt.datetime | None = None

    @property
    def is_publication(self) -> bool:
        return self.cycle is None

    @property
    def phrase(self) -> str:
        """For sentences: "compared with the report's publication", "… with cycle 2"."""
        return "the report's publication" if self.cycle is None else self.label.lower()


def publication_side(review) -> Side:
    first = ReportVersion.objects.filter(review=review).order_by("number").first()
    return Side(number=PUBLICATION, label="At publication", cycle=None,
                published_at=first.published_at if first else None)


def cycle_side(cycle: StocktakeCycle) -> Side:
    return Side(number=cycle.number, label=f"Cycle {cycle.number}", cycle=cycle)


def previous_side(cycle: StocktakeCycle, visible: QuerySet) -> Side:
    """The side a cycle is compared with by default: the cycle before it, else publication."""
    before = visible.filter(number__lt=cycle.number).order_by("-number").first()
    return cycle_side(before) if before else publication_side(cycle.review)


# -- the join ----------------------------------------------------------------------------

def with_before(qs: QuerySet, before: Side, *, innovations: bool = False) -> QuerySet:
    """Annotate each entry with its standing on the ``before`` side: ``prev_status`` and
    ``prev_rag`` (recommendations), ``prev_outcome`` and ``prev_adoptions`` (innovations);
    None where the item was not there.

    Against a cycle, one LEFT JOIN to the same item's entry in it: for a recommendation, the
    entry of the same system, or its one entry as a whole (a recommendation tracked as a
    whole then, per system now, compares each system with the whole)."""
    if before.cycle is not None:
        if innovations:
            prev = FilteredRelation("innovation__cycle_entries", condition=Q(
                innovation__cycle_entries__cycle_id=before.cycle.pk))
            return qs.annotate(prev=prev).annotate(prev_outcome=F("prev__outcome"),
                                                   prev_adoptions=F("prev__adoptions"))
        entry = "recommendation__cycle_entries"
        same_cycle = Q(**{f"{entry}__cycle_id": before.cycle.pk})
        # Two joins, each on the whole index: the same system's entry, and the entry for
        # the recommendation as a whole (a recommendation tracked as a whole then, per
        # system now, compares each system with the whole).
        system = FilteredRelation(entry, condition=same_cycle & Q(
            **{f"{entry}__organisation_id": F("organisation_id")}))
        whole = FilteredRelation(entry, condition=same_cycle & Q(
            **{f"{entry}__organisation_id__isnull": True}))
        return qs.annotate(prev_system=system, prev_whole=whole).annotate(
            prev_status=Coalesce("prev_system__status", "prev_whole__status"),
            prev_rag=Coalesce("prev_system__rag", "prev_whole__rag"))
    if not innovations:
        return qs.annotate(prev_status=Value(AT_PUBLICATION_STATUS), prev_rag=Value(""))
    when = before.published_at
    decisions = Decision.objects.filter(innovation_id=OuterRef("innovation_id"))
    adoptions = Adoption.objects.filter(innovation_id=OuterRef("innovation_id"),
                                        status__in=SPREAD)
    if when is not None:
        decisions = decisions.filter(decided_at__lte=when)
        adoptions = adoptions.filter(recorded_at__lte=when)
    else:
        decisions, adoptions = decisions.none(), adoptions.none()
    spread = (adoptions.order_by().values("innovation_id").annotate(n=Count("id")).values("n"))
    return qs.annotate(
        prev_outcome=Coalesce(Subquery(decisions.order_by("-decided_at", "-id")
                                       .values("outcome")[:1]), Value(DecisionOutcome.UNDECIDED)),
        prev_adoptions=Coalesce(Subquery(spread[:1], output_field=IntegerField()), Value(0)),
    )


# Changed since the earlier side: new to it, another status or rating, new evidence.
CHANGED_RECOMMENDATION = (Q(prev_status__isnull=True) | ~Q(status=Coalesce("prev_status", Value("")))
                          | ~Q(rag=Coalesce("prev_rag", Value(""))) | Q(evidence__gt=0))
CHANGED_INNOVATION = (Q(prev_outcome__isnull=True) | ~Q(outcome=Coalesce("prev_outcome", Value("")))
                      | ~Q(adoptions=Coalesce("prev_adoptions", Value(-1))))


@dataclass(frozen=True)
class Filters:
    theme: int | None = None
    system: int | None = None  # an integrated care system: its own entries and its members'
    status: str = ""  # the status now
    outcome: str = ""  # an innovation's decision now
    changed: bool = False  # only items whose standing changed

    @property
    def any(self) -> bool:
        return bool(self.theme or self.system or self.status or self.outcome or self.changed)


def _in_system(system_id: int) -> Q:
    inside = OrgTree.shared().descendants(system_id)
    return (Q(organisation_id__in=inside)
            | Q(organisation__isnull=True, recommendation__owner_id__in=inside))


def recommendation_entries(base: QuerySet, before: Side, filters: Filters) -> QuerySet:
    qs = with_before(base.filter(recommendation__isnull=False), before)
    if filters.theme:
        qs = qs.filter(recommendation__theme_id=filters.theme)
    if filters.system:
        qs = qs.filter(_in_system(filters.system))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.changed:
        qs = qs.filter(CHANGED_RECOMMENDATION)
    return qs


def innovation_entries(base: QuerySet, before: Side, filters: Filters) -> QuerySet:
    qs = with_before(base.filter(innovation__isnull=False), before, innovations=True)
    if filters.theme:
        qs = qs.filter(innovation__themes__id=filters.theme)
    if filters.system:
        qs = qs.filter(organisation_id__in=OrgTree.shared().descendants(filters.system))
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.changed:
        qs = qs.filter(CHANGED_INNOVATION)
    return qs


# -- aggregates --------------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    items: int
    changed: int
    improved: int  # moved to complete, or from red/amber to a better rating
    with_evidence: int
    transitions: list[tuple[str, str, int]]  # (before, now, count), most first


def recommendation_summary(qs: QuerySet) -> Summary:
    """One pass of aggregates over the (filtered, annotated) recommendation entries."""
    rows = list(qs.order_by().values("prev_status", "status").annotate(n=Count("id")))
    changed = qs.order_by().filter(CHANGED_RECOMMENDATION).count()
    done = {RecommendationStatus.COMPLETED}
    improved = sum(r["n"] for r in rows if r["status"] in done and r["prev_status"] not in done)
    evidence = qs.order_by().filter(evidence__gt=0).count()
    transitions = sorted(((r["prev_status"] or "", r["status"], r["n"]) for r in rows
                          if r["prev_status"] != r["status"]), key=lambda t: -t[2])
    return Summary(items=sum(r["n"] for r in rows), changed=changed, improved=improved,
                   with_evidence=evidence, transitions=transitions)


def status_counts(qs: QuerySet, key: str) -> dict[tuple, dict[str, int]]:
    """{value of ``key``: {"before": {status: count}, "now": {status: count}}}, both columns
    in one grouped query (``key``: the field to group by, such as the theme)."""
    out: dict = {}
    for row in qs.order_by().values(key, "prev_status", "status").annotate(n=Count("id")):
        group = out.setdefault(row[key], {"before": {}, "now": {}})
        group["before"][row["prev_status"] or ""] = group["before"].get(row["prev_status"] or "", 0) + row["n"]
        group["now"][row["status"]] = group["now"].get(row["status"], 0) + row["n"]
    return out


def by_system(qs: QuerySet) -> dict[int | None, dict]:
    """Counts by status, before and now, per integrated care system: a per-system entry counts
    for its system, a whole recommendation for its owner's system."""
    tree = OrgTree.shared()
    out: dict = {}
    rows = (qs.order_by().annotate(owner=Coalesce("organisation_id", "recommendation__owner_id"))
            .values("owner", "prev_status", "status").annotate(n=Count("id")))
    for row in rows:
        system = tree.system_of(row["owner"]) if row["owner"] else None
        group = out.setdefault(system.id if system else None, {"before": {}, "now": {}})
        before = row["prev_status"] or ""
        group["before"][before] = group["before"].get(before, 0) + row["n"]
        group["now"][row["status"]] = group["now"].get(row["status"], 0) + row["n"]
    return out


@dataclass(frozen=True)
class InnovationSummary:
    items: int
    changed: int
    outcomes_before: dict[str, int]
    outcomes_now: dict[str, int]
    adoptions_before: int
    adoptions_now: int
    transitions: list[tuple[str, str, int]]


def innovation_summary(qs: QuerySet) -> InnovationSummary:
    rows = list(qs.order_by().values("prev_outcome", "outcome").annotate(
        n=Count("id"), before=Sum("prev_adoptions"), now=Sum("adoptions")))
    before: dict[str, int] = {}
    now: dict[str, int] = {}
    for r in rows:
        before[r["prev_outcome"] or ""] = before.get(r["prev_outcome"] or "", 0) + r["n"]
        now[r["outcome"]] = now.get(r["outcome"], 0) + r["n"]
    changed = qs.order_by().filter(CHANGED_INNOVATION).count()
    return InnovationSummary(
        items=sum(r["n"] for r in rows), changed=changed, outcomes_before=before,
        outcomes_now=now, adoptions_before=sum(r["before"] or 0 for r in rows),
        adoptions_now=sum(r["now"] or 0 for r in rows),
        transitions=sorted(((r["prev_outcome"] or "", r["outcome"], r["n"]) for r in rows
                            if r["prev_outcome"] != r["outcome"]), key=lambda t: -t[2]))
