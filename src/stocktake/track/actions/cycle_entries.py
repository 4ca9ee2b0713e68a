"""Keeping a stocktake cycle's entries up to date: the one place that writes a
:class:`~stocktake.track.models.CycleEntry` after the cycle has started.

Every action that changes an item's standing — a progress update on a recommendation, a
decision on an innovation, an adoption — calls :func:`refresh` for the review's open
cycle. A closed cycle's entries are frozen: :func:`refresh` leaves them alone.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from stocktake.report.models import Recommendation
from stocktake.track.models import (
    Adoption,
    AdoptionStatus,
    CycleEntry,
    CycleStatus,
    Feedback,
    Innovation,
    ProgressUpdate,
    StocktakeCycle,
    SystemStatus,
)

# Adoptions counted as spread (considering or declined are recorded but not counted).
SPREAD = (AdoptionStatus.ADOPTED, AdoptionStatus.ADAPTED)


def open_cycle(review) -> StocktakeCycle | None:
    """The review's open cycle (at most one is open at a time), or None."""
    review_id = getattr(review, "pk", review)
    return (StocktakeCycle.objects.filter(review_id=review_id, status=CycleStatus.OPEN)
            .order_by("-number").first())


def open_cycles_with(*, recommendation=None, innovation=None) -> list[StocktakeCycle]:
    """The open cycles that follow this item (an innovation may be followed by the cycles of
    several reviews of its region)."""
    entries = CycleEntry.objects.filter(cycle__status=CycleStatus.OPEN)
    entries = (entries.filter(recommendation=recommendation) if recommendation is not None
               else entries.filter(innovation=innovation))
    return list(StocktakeCycle.objects.filter(pk__in=entries.values("cycle_id")))


def refresh_everywhere(*, recommendation=None, innovation=None, organisation=None) -> int:
    """:func:`refresh` in every open cycle that follows the item (what the decision and
    adoption actions call: they do not know which review's cycle asked)."""
    return sum(refresh(cycle, recommendation=recommendation, innovation=innovation,
                       organisation=organisation)
               for cycle in open_cycles_with(recommendation=recommendation,
                                             innovation=innovation))


def evidence_count(links, attachment_path: str) -> int:
    return len(links or []) + (1 if attachment_path else 0)


@transaction.atomic
def refresh(cycle: StocktakeCycle | None, *, recommendation=None, innovation=None,
            organisation=None) -> int:
    """Bring ``cycle``'s entries for one recommendation (and system, where it is tracked per
    system; every system when ``organisation`` is None) or one innovation up to date with
    their standing now. Returns how many entries changed; 0 for a closed cycle or None."""
    if cycle is None or cycle.status != CycleStatus.OPEN:
        return 0
    entries = CycleEntry.objects.select_for_update().filter(cycle=cycle)
    if recommendation is not None:  # read afresh: a caller may hold an older copy
        recommendation = Recommendation.objects.get(pk=getattr(recommendation, "pk", recommendation))
        entries = entries.filter(recommendation=recommendation)
        if organisation is not None:
            entries = entries.filter(Q(organisation=organisation) | Q(organisation__isnull=True))
        return sum(_refresh_recommendation(entry, recommendation) for entry in entries)
    if innovation is not None:
        innovation = Innovation.objects.get(pk=getattr(innovation, "pk", innovation))
        return sum(_refresh_innovation(entry, innovation) for entry in entries.filter(
            innovation=innovation))
    return 0


def _refresh_recommendation(entry: CycleEntry, recommendation) -> bool:
    if entry.organisation_id is not None:
        row = SystemStatus.objects.filter(recommendation=recommendation,
                                          organisation_id=entry.organisation_id).first()
        status, rag = (row.status, row.rag) if row else (recommendation.status, recommendation.rag)
        updates = ProgressUpdate.objects.filter(cycle=entry.cycle, recommendation=recommendation,
                                                organisation_id=entry.organisation_id)
    else:
        status, rag = recommendation.status, recommendation.rag
        updates = ProgressUpdate.objects.filter(cycle=entry.cycle, recommendation=recommendation)
    made = list(updates.values_list("evidence_links", "attachment_path"))
    values = {"status": status, "rag": rag or "", "updates": len(made),
              "evidence": sum(evidence_count(links, path) for links, path in made)}
    return _save(entry, values)


def _refresh_innovation(entry: CycleEntry, innovation) -> bool:
    cycle = entry.cycle
    values = {
        "outcome": innovation.outcome,
        "adoptions": Adoption.objects.filter(innovation=innovation, status__in=SPREAD).count(),
        "updates": innovation.decisions.filter(cycle=cycle).count(),
        "evidence": Feedback.objects.filter(innovation=innovation,
                                            created_at__gte=cycle.created_at).count(),
    }
    return _save(entry, values)


def _save(entry: CycleEntry, values: dict) -> bool:
    changed = [name for name, value in values.items() if getattr(entry, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(entry, name, values[name])
    entry.save(update_fields=[*changed, "updated_at"])
    return True
