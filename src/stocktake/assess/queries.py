"""Read-only questions about coding a review (no state changes here)."""

from __future__ import annotations

from stocktake.analysis.active import suggest_next
from stocktake.analysis.similar import SimilarityIndex
from stocktake.assess.models import Code, CodeOrigin
from stocktake.collect.models import Finding
from stocktake.reviews.frameworks import spec_for


def confirmed_examples(review) -> list[tuple[str, str, str | None]]:
    """The review's confirmed human codes as (text, theme key, domain key) examples."""
    rows = (
        Code.objects.filter(finding__review=review, origin=CodeOrigin.HUMAN, applies=True,
                            theme__framework_id=review.framework_id)
        .order_by("finding_id", "theme_id")
        .values_list("finding__text", "theme__key", "finding__domain__key")
    )
    return list(rows)


def next_to_review(*, review, limit: int = 10, backend: str = "tfidf") -> list[Finding]:
    """The review's findings with no reviewer decision yet that are most worth coding next.

    Most informative first (see :mod:`stocktake.analysis.active`: the coder is least
    sure between its two best themes, and the list is kept varied). Learns from the
    review's confirmed codes. Codes the uncoded findings on the fly, so it costs
    about a second per 10,000 of them. Callers scope access themselves (views pass
    only reviews the user may code).
    """
    decided = Code.objects.filter(finding__review=review, origin=CodeOrigin.HUMAN)
    findings = list(
        Finding.objects.filter(review=review).exclude(pk__in=decided.values("finding_id"))
        .order_by("pk").only("pk", "text")
    )
    if not findings or limit <= 0:
        return []
    picked = suggest_next(spec_for(review.framework), [f.text for f in findings],
                          confirmed_examples(review), limit, backend=backend)
    return [findings[i] for i in picked]


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
