"""Read-only questions about coding a review (no state changes here)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from stocktake.analysis.similar import SimilarityIndex
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


# Similarity indexes of recently viewed scopes, keyed by what they were built from,
# so paging through findings does not rebuild the index on every page.
_INDEXES: dict[tuple, tuple[list[int], SimilarityIndex]] = {}
_INDEX_CACHE_SIZE = 8


def similar_findings(*, findings, finding, limit: int = 5) -> list[tuple[Finding, float]]:
    """Findings from *other* organisations most like ``finding``, best first, with scores.

    ``findings`` is the queryset to search — callers pass one already scoped to
    the user (``Finding.objects.visible_to(access)``), so nobody is shown what
    they may not see.
    """
    def key_of(ids: list[int]) -> tuple:
        return (finding.review_id, len(ids), hash(tuple(ids)))

    key = key_of(list(findings.order_by("pk").values_list("pk", flat=True)))
    if key not in _INDEXES:  # texts are read only when an index must be built
        rows = list(findings.order_by("pk").values_list("pk", "text", "organisation_id"))
        key = key_of([pk for pk, _, _ in rows])  # what was read, should it have changed
        if len(_INDEXES) >= _INDEX_CACHE_SIZE:
            _INDEXES.pop(next(iter(_INDEXES)))
        index = SimilarityIndex([text for _, text, _ in rows], [str(org) for _, _, org in rows])
        _INDEXES[key] = ([pk for pk, _, _ in rows], index)
    ids, index = _INDEXES[key]
    if finding.pk not in ids:
        return []
    matches = index.similar(ids.index(finding.pk), k=limit)
    by_id = Finding.objects.select_related("organisation").in_bulk([ids[m.index] for m in matches])
    return [(by_id[ids[m.index]], m.score) for m in matches]
