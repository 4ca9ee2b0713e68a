"""Read-only: a finding's similar findings, as the user may see them."""

from __future__ import annotations

from django.db.models import F

from stocktake.collect.models import Finding, SimilarityState

SHOWN = 5


def similar_findings(*, access, finding, limit: int = SHOWN) -> list[tuple[Finding, float]]:
    """Findings from *other* organisations most like ``finding``, best first, with scores.

    One indexed query over the stored neighbours (``SimilarFinding``, worked out in the
    background by :mod:`stocktake.collect.similarity.actions`), through
    ``Finding.objects.visible_to(access)``: neighbours the user may not see are dropped,
    so nobody is shown what they may not see (and may be shown fewer than ``limit``)."""
    rows = (
        Finding.objects.visible_to(access)
        .filter(similar_to__finding_id=finding.pk)
        .annotate(similarity=F("similar_to__score"))
        .order_by("similar_to__rank")
        .only("id", "text", "organisation_id")[:limit]
    )
    return [(row, row.similarity) for row in rows]


def progress(review_id: int) -> tuple[bool, int]:
    """(whether the review's similar findings are worked out for its findings as they are,
    the newest finding included): one query, and the same for every finding of the review."""
    state = SimilarityState.objects.filter(pk=review_id).first()
    return (False, 0) if state is None else (state.current, state.through)


def being_worked_out(finding, known: tuple[bool, int] | None = None) -> bool:
    """Whether ``finding``'s similar findings may still change (ask only when it shows
    none); ``known``: :func:`progress` of its review, if the caller has it."""
    current, through = known or progress(finding.review_id)
    return not current or finding.pk > through
