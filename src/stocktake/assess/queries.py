"""Read-only questions about coding a review (no state changes here)."""

from __future__ import annotations

import threading

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from stocktake.analysis.similar import SimilarityIndex
from stocktake.assess.models import Code, CodeOrigin
from stocktake.collect.models import Finding, Submission, scope_key


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


# Similarity indexes of recently viewed scopes, keyed by the scope's query and
# what changes its set of findings, so a finding page neither rebuilds the index
# nor reads every finding id of the review on each load.
_INDEXES: dict[tuple, tuple[dict[int, int], list[int], SimilarityIndex]] = {}
_INDEX_CACHE_SIZE = 4
# One build at a time in a process: threads that miss together wait for the first
# build instead of each building the same index (seconds, and memory, apiece).
_BUILDING = threading.Lock()


def _findings_version(review_id: int) -> tuple:
    """Moves on when findings are added or a submission changes (its status decides who sees)."""
    with connection.cursor() as cursor:  # one round trip, no ORM compiling: every view asks
        cursor.execute(f"SELECT (SELECT MAX(id) FROM {Finding._meta.db_table}), "
                       f"(SELECT MAX(updated_at) FROM {Submission._meta.db_table} "
                       f"WHERE review_id = %s)", [review_id])
        return tuple(str(value) for value in cursor.fetchone())


def similar_findings(*, access, finding, limit: int = 5) -> list[tuple[Finding, float]]:
    """Findings from *other* organisations most like ``finding``, best first, with scores.

    Searched among the findings ``access`` may see (``Finding.objects.visible_to``),
    so nobody is shown what they may not see. The index is kept per scope
    (:func:`~stocktake.collect.models.scope_key`) and version of the review's findings.
    """
    findings = Finding.objects.visible_to(access)
    key = (finding.review_id, scope_key(access), _findings_version(finding.review_id))
    positions, ids, index = _INDEXES.get(key) or _build_index(key, findings)
    if finding.pk not in positions:
        return []
    matches = index.similar(positions[finding.pk], k=limit)
    by_id = findings.only("id", "text", "organisation_id").in_bulk(
        [ids[m.index] for m in matches])
    return [(by_id[ids[m.index]], m.score) for m in matches if ids[m.index] in by_id]


def _build_index(key: tuple, findings) -> tuple:
    """Build (once: threads that miss together wait for the first) and keep a scope's index."""
    with _BUILDING:
        if key in _INDEXES:  # built while this thread waited
            return _INDEXES[key]
        ids, texts, organisations = [], [], []  # three lists, not 100,000 row tuples
        for pk, text, org in (findings.order_by("pk").values_list("pk", "text", "organisation_id")
                              .iterator(chunk_size=5000)):
            ids.append(pk)
            texts.append(text)
            organisations.append(str(org))
        if len(_INDEXES) >= _INDEX_CACHE_SIZE:
            _INDEXES.pop(next(iter(_INDEXES)))
        index = SimilarityIndex(texts, organisations)
        del texts
        _INDEXES[key] = ({pk: i for i, pk in enumerate(ids)}, ids, index)
        return _INDEXES[key]
