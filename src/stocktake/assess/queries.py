"""Read-only questions about coding a review (no state changes here)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from stocktake.assess.models import Code, CodeOrigin
from stocktake.collect.models import Finding


def confirmed_examples(review) -> list[tuple[str, str, str | None]]:
    """The review's confirmed human codes as (text, theme key, domain key) examples."""
    rows = (
        Code.objects.filter(finding__review=review, origin=CodeOrigin.HUMAN, applies=True,
                            theme__framework_id=review.framework_id)
        .order_by("finding_id", "theme_id")
        .values_list("finding__text", "theme__key", "finding__domain__key")
    )
    return list(rows)


def next_to_review(*, review, findings: QuerySet, limit: int = 10) -> list[Finding]:
    """Of ``findings`` of ``review`` (scoped to the user), the undecided ones most worth coding next.

    Scoped first, ranked after: the order was worked out when the analysis last
    ran (:class:`~stocktake.assess.models.ReviewPriority`, most uncertain first,
    see :func:`stocktake.analysis.active.review_order`), so a page load only reads
    it. Findings with a reviewer decision are left out; findings added since the
    last run follow, oldest first.
    """
    if limit <= 0:
        return []
    undecided = findings.filter(~Exists(Code.objects.filter(finding_id=OuterRef("pk"),
                                                             origin=CodeOrigin.HUMAN)))
    # Naming the review lets the database walk the stored order and stop at ``limit``.
    picked = list(undecided.filter(review_priority__review=review)
                  .order_by("review_priority__position")[:limit])
    if len(picked) < limit:
        picked += list(undecided.filter(review_priority__isnull=True).order_by("pk")
                       [:limit - len(picked)])
    return picked
