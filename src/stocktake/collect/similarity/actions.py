"""State changes for similar findings: a review's findings changed; work out their neighbours.

Each finding's :data:`NEIGHBOURS` most similar findings from *other* organisations of
its review (:class:`~stocktake.analysis.similar.SimilarityIndex`: TF-IDF over the
coder's terms, cosine, at least ``MIN_SIMILARITY``) are stored as
:class:`~stocktake.collect.models.SimilarFinding` rows. The actions that change
findings (added, text or organisation corrected, redacted, removed, an import undone)
call :func:`findings_changed` in their transaction; once it commits, a background task
is queued for the review (one task waiting per review: changes made before it starts
are all included). A round of tasks works out every finding, :data:`TASK_FINDINGS` per
task, each task queueing the next behind whatever else waits (an import, an analysis);
a round that ends with findings changed under it queues another. Findings are scored
:data:`BATCH` at a time, each batch written in its own transaction, so the page keeps
showing the earlier neighbours of findings not yet reached, and memory stays bounded
(the scores of a batch are worked out in blocks, ``analysis.similar.CHUNK_SCORES``).
:func:`compute_similar_findings` does a whole round in the foreground (the benchmarks).
All findings of the review are searched, drafts included: who may see a neighbour is
decided when the page reads it (``visible_to``), so submitting changes nothing here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from stocktake.analysis.similar import SimilarityIndex
from stocktake.collect.models import Finding, SimilarFinding, SimilarityState
from stocktake.core import audit
from stocktake.reviews.models import Review

NEIGHBOURS = 10  # stored per finding; a page shows the first few the user may see
BATCH = 2000  # findings scored and written per transaction
TASK_FINDINGS = 20_000  # findings scored per background task (about half a minute of CPU)
ROUNDS = 3  # computations in one task while findings keep changing under it


def findings_changed(*, review_id: int, findings: Iterable[int] = ()) -> None:
    """Called by the actions that change a review's findings, in their transaction.

    ``findings``: those whose text or organisation changed: their stored neighbours (and
    their places among others' neighbours) are removed at once, so that no page shows a
    similarity the text no longer has. The review's similar findings are worked out
    again once this commits."""
    ids = list(findings)
    if ids:
        SimilarFinding.objects.filter(Q(finding_id__in=ids) | Q(neighbour_id__in=ids)).delete()
    state, created = SimilarityState.objects.get_or_create(
        review_id=review_id, defaults={"changes": 1}
    )
    if not created:
        SimilarityState.objects.filter(pk=review_id).update(changes=F("changes") + 1)
    transaction.on_commit(lambda: queue_similar_findings(review_id=review_id))


def queue_similar_findings(*, review_id: int) -> bool:
    """Enqueue :func:`compute_similar_findings_task` for the review unless one is already
    waiting (it will read the findings as they are when it starts). True if enqueued."""
    waiting = DBTaskResult.objects.filter(
        task_path=compute_similar_findings_task.module_path, status="READY"
    ).values_list("args_kwargs", flat=True)
    if any((a.get("args") or [None])[0] == review_id for a in waiting):
        return False
    compute_similar_findings_task.enqueue(review_id)
    return True


def similar_findings_wanted(*, review_id: int) -> None:
    """Called after an analysis run: queue the review's similar findings if they are not
    worked out for its findings as they are (a review loaded before they were stored)."""
    state = SimilarityState.objects.filter(pk=review_id).first()
    if state is None or not state.current:
        transaction.on_commit(lambda: queue_similar_findings(review_id=review_id))


@task()
def compute_similar_findings_task(review_id: int, after: int = 0) -> int:
    """The background task: work out the similar findings of at most :data:`TASK_FINDINGS`
    of the review's findings (those after id ``after``), then queue the rest as a new task,
    behind whatever else waits: an import or an analysis queued meanwhile is not held up
    for minutes. Returns how many findings it scored (0: nothing to do, or a round is
    already under way, which queues another when it ends if findings changed meanwhile)."""
    working_from = _claim(review_id) if after == 0 else _continuing(review_id)
    if working_from is None:
        return 0
    last, count, total = _compute(review_id, BATCH, after=after, limit=TASK_FINDINGS)
    if last is not None:  # more to do
        _touch(review_id)
        compute_similar_findings_task.enqueue(review_id, last)
        return count
    _finish(
        review_id=review_id, started_from=working_from, through=total[1], count=total[0], by=None
    )
    if not SimilarityState.objects.get(pk=review_id).current:
        queue_similar_findings(review_id=review_id)
    return count


@transaction.atomic
def _claim(review_id: int) -> int | None:
    """Start a round (returns the ``changes`` it starts from), unless the findings are
    worked out already or a round is under way and has written lately."""
    SimilarityState.objects.get_or_create(review_id=review_id)
    state = SimilarityState.objects.select_for_update().get(pk=review_id)
    alive = timezone.now() - timedelta(seconds=settings.STOCKTAKE_ANALYSIS_STALE_SECONDS)
    if state.current or (
        state.working_from is not None and state.worked_at and state.worked_at > alive
    ):
        return None
    state.working_from, state.worked_at = state.changes, timezone.now()
    state.save(update_fields=["working_from", "worked_at"])
    return state.working_from


def _continuing(review_id: int) -> int | None:
    return (
        SimilarityState.objects.filter(pk=review_id).values_list("working_from", flat=True).first()
    )


def _touch(review_id: int) -> None:
    SimilarityState.objects.filter(pk=review_id).update(worked_at=timezone.now())


def compute_similar_findings(*, review_id: int, by, batch: int = BATCH) -> int:
    """Work out every finding's most similar findings of the review at once, in the
    foreground (see the module's docstring); audited with the count only. Not one
    transaction: each batch commits on its own (the state and the audit event last).
    Returns how many findings were scored."""
    scored = 0
    for _ in range(ROUNDS):
        state, _created = SimilarityState.objects.get_or_create(review_id=review_id)
        started_from = state.changes
        _, count, (total, through) = _compute(review_id, batch)
        scored += count
        _finish(review_id=review_id, started_from=started_from, through=through, count=total, by=by)
        if SimilarityState.objects.get(pk=review_id).current:
            return scored
    transaction.on_commit(lambda: queue_similar_findings(review_id=review_id))
    return scored


def _compute(
    review_id: int, batch: int, *, after: int = 0, limit: int | None = None
) -> tuple[int | None, int, tuple[int, int]]:
    """Score the findings after id ``after`` (at most ``limit``) against all of the
    review's; returns (the last id scored when more remain, else None; how many were
    scored; (how many findings the review has, the newest one's id))."""
    ids, texts, organisations = [], [], []  # three lists, not 100,000 row tuples
    for pk, text, org in (
        Finding.objects.filter(review_id=review_id)
        .order_by("pk")
        .values_list("pk", "text", "organisation_id")
        .iterator(chunk_size=5000)
    ):
        ids.append(pk)
        texts.append(text)
        organisations.append(str(org))
    if not ids:
        return None, 0, (0, 0)
    index = SimilarityIndex(texts, organisations)
    del texts
    first = bisect_right(ids, after)
    end = len(ids) if limit is None else min(len(ids), first + limit)
    for start in range(first, end, batch):
        positions = range(start, min(start + batch, end))
        matches = index.similar_many(positions, k=NEIGHBOURS)
        _store(
            review_id,
            [ids[p] for p in positions],
            [[(ids[m.index], m.score) for m in found] for found in matches],
        )
    return (ids[end - 1] if end < len(ids) else None), end - first, (len(ids), ids[-1])


@transaction.atomic
def _store(review_id: int, finding_ids: list[int], neighbours: list[list[tuple[int, float]]]):
    """One batch: its findings' neighbours replaced, leaving out findings removed meanwhile."""
    wanted = set(finding_ids) | {n for found in neighbours for n, _ in found}
    present = set(
        Finding.objects.filter(review_id=review_id, pk__in=wanted).values_list("pk", flat=True)
    )
    SimilarFinding.objects.filter(finding_id__in=finding_ids).delete()
    SimilarFinding.objects.bulk_create(
        [
            SimilarFinding(finding_id=finding, neighbour_id=neighbour, rank=rank, score=score)
            for finding, found in zip(finding_ids, neighbours, strict=True)
            if finding in present
            for rank, (neighbour, score) in enumerate(n for n in found if n[0] in present)
        ],
        batch_size=2000,
    )


@transaction.atomic
def _finish(*, review_id: int, started_from: int, through: int, count: int, by) -> None:
    state = SimilarityState.objects.select_for_update().get(pk=review_id)
    state.computed, state.through, state.computed_at = started_from, through, timezone.now()
    state.working_from = state.worked_at = None
    state.save(update_fields=["computed", "through", "computed_at", "working_from", "worked_at"])
    audit.record(
        actor=by,
        verb="similar_findings.computed",
        review=Review.objects.get(pk=review_id),
        count=count,
    )
