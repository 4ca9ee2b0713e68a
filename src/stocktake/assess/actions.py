"""State changes for coding: running the analysis over a review and human coding decisions.

Permission checks belong to the caller (views, CLI); these actions check that
the data fit together (a theme from the review's own framework).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from stocktake.analysis.backends import get_backend
from stocktake.analysis.coder import APPLIES_THRESHOLD
from stocktake.analysis.errors import InputError
from stocktake.assess.models import AnalysisRun, Code, CodeOrigin
from stocktake.collect.models import Finding, Origin
from stocktake.core import audit
from stocktake.core.errors import InvalidInput
from stocktake.reviews.frameworks import spec_for
from stocktake.reviews.models import Review, Theme

CHUNK_SIZE = 2000

# Machine codes stored per finding: the top theme always, and every other theme
# whose score (probability of being the finding's main theme) is at least
# STORE_THRESHOLD — see stocktake.analysis.coder for what the scores mean.
STORE_THRESHOLD = APPLIES_THRESHOLD


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _examples(review: Review) -> list[tuple[str, str, str | None]]:
    """Confirmed human codes of the review as (text, theme key, domain key) examples."""
    rows = (
        Code.objects.filter(finding__review=review, origin=CodeOrigin.HUMAN, applies=True,
                            theme__framework_id=review.framework_id)
        .order_by("finding_id", "theme_id")
        .values_list("finding__text", "theme__key", "finding__domain__key")
    )
    return [(text, theme, domain) for text, theme, domain in rows]


def analyse_review(
    *, review: Review, user, backend: str = "tfidf", seed: int = 0,
    progress: Callable[[int, int], None] | None = None, run: AnalysisRun | None = None,
) -> AnalysisRun:
    """Code every finding of ``review`` with ``backend`` and store the machine suggestions.

    Records an :class:`AnalysisRun` (running → done, or failed with the message).
    For each finding, previous machine codes are replaced by this run's: the top
    theme (rank 0) and any other theme scoring ≥ ``STORE_THRESHOLD`` — none at all for a
    finding in which nothing pointed to any theme, each with its own reason. Human codes
    are never touched; confirmed ones (applies=True) are the examples the coder
    learns from. Polarity is set only where ``polarity_origin`` is machine, and
    the domain only where the finding has none. Results are written in chunks of
    ``CHUNK_SIZE`` findings, each in its own transaction, with ``run.progress``
    and ``progress(done, total)`` updated after each; a run that fails part-way
    leaves the chunks already written (their codes name the failed run).
    Unusable input (an unknown backend, a bad example) raises InvalidInput.

    ``run``, a queued run of this review (see :func:`queue_analysis`), is used
    instead of a new one; its backend and seed win, and an unknown backend
    fails it with the message.
    """
    if run is not None:
        backend, seed = run.backend, run.seed
    try:
        factory = get_backend(backend)
    except InputError as exc:
        if run is not None:
            _fail(run, user, str(exc))
        raise InvalidInput(str(exc)) from None
    if run is None:
        run = AnalysisRun.objects.create(
            review=review, backend=backend, seed=seed, status=AnalysisRun.Status.RUNNING,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
    else:
        run.status = AnalysisRun.Status.RUNNING
        run.save(update_fields=["status"])
    try:
        spec = spec_for(review.framework)
        rows = list(
            Finding.objects.filter(review=review).order_by("id")
            .values_list("id", "text", "domain_id", "polarity_origin")
        )
        examples = _examples(review)
        coder = factory(spec, seed=seed)
        coder.fit_examples(examples)
        texts = [text for _, text, _, _ in rows]
        coder.fit(texts)
        run.finding_count = len(rows)
        run.parameters = {**coder.parameters, "store_threshold": STORE_THRESHOLD,
                          "chunk_size": CHUNK_SIZE}
        run.save(update_fields=["finding_count", "parameters"])

        themes = {t.key: t.id for t in Theme.objects.filter(framework_id=review.framework_id)}
        domains = {d.key: d.id for d in review.framework.domains.all()}
        counts = {"findings": len(rows), "codes": 0, "polarity_set": 0, "domains_set": 0,
                  "examples": len(examples)}
        done = 0
        for chunk in _chunks(rows, CHUNK_SIZE):
            results = coder.code([text for _, text, _, _ in chunk])
            _store_chunk(run, chunk, results, themes, domains, counts)
            done += len(chunk)
            run.progress = done
            run.save(update_fields=["progress"])
            if progress is not None:
                progress(done, len(rows))
    except Exception as exc:
        _fail(run, user, str(exc) or exc.__class__.__name__)
        if isinstance(exc, InputError):
            raise InvalidInput(str(exc)) from None
        raise
    run.status = AnalysisRun.Status.DONE
    run.finished_at = timezone.now()
    run.message = (
        f"{counts['findings']} findings coded, {counts['codes']} suggestions, "
        f"{counts['examples']} confirmed examples used"
    )
    run.save(update_fields=["status", "finished_at", "message"])
    audit.record(actor=user, verb="analysis.completed", subject=run, review=review,
                 backend=backend, seed=seed, **counts)
    return run


def _fail(run: AnalysisRun, user, message: str) -> None:
    run.status = AnalysisRun.Status.FAILED
    run.message = message[:2000]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "message", "finished_at"])
    audit.record(actor=user, verb="analysis.failed", subject=run, review=run.review,
                 backend=run.backend, message=run.message)


@transaction.atomic
def queue_analysis(*, review: Review, user, backend: str = "tfidf", seed: int = 0) -> AnalysisRun:
    """Record a queued :class:`AnalysisRun` and put it on the background task queue.

    A worker (``stocktake worker``, or the one ``stocktake serve`` starts) picks
    it up and runs :func:`analyse_review` on it. The run and its task are
    written in one transaction: both or neither. An unknown or uninstalled
    backend raises InvalidInput before anything is written; so does a second
    request while a run of this review is still waiting for a worker.
    """
    try:
        get_backend(backend)
    except InputError as exc:
        raise InvalidInput(str(exc)) from None
    if AnalysisRun.objects.filter(review=review, status=AnalysisRun.Status.QUEUED).exists():
        raise InvalidInput("An analysis of this review is already waiting to start")
    run = AnalysisRun.objects.create(
        review=review, backend=backend, seed=seed, status=AnalysisRun.Status.QUEUED,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    from stocktake.assess.tasks import run_analysis  # the task module imports this one

    result = run_analysis.enqueue(run.pk)
    audit.record(actor=user, verb="analysis.queued", subject=run, review=review,
                 backend=backend, seed=seed, task=str(result.id))
    run.refresh_from_db()  # an immediate backend (a test setting) has already run it
    return run


@transaction.atomic
def _store_chunk(run, chunk, results, themes, domains, counts) -> None:
    ids = [row[0] for row in chunk]
    Code.objects.filter(finding_id__in=ids, origin=CodeOrigin.MACHINE).delete()
    codes = []
    by_polarity: dict[str, list[int]] = defaultdict(list)
    by_domain: dict[int, list[int]] = defaultdict(list)
    for (finding_id, _, domain_id, polarity_origin), result in zip(chunk, results, strict=True):
        # A finding that matched nothing gets no suggestion rather than a tie-break theme.
        applies = result.applies(STORE_THRESHOLD) if result.matched else []
        for rank, (key, score) in enumerate(applies):
            why = result.reasons.get(key) or (result.explanation if rank == 0 else "")
            codes.append(Code(
                finding_id=finding_id, theme_id=themes[key], origin=CodeOrigin.MACHINE,
                score=score, rank=rank, explanation=why[:500], analysis_run=run,
            ))
        if polarity_origin == Origin.MACHINE:
            by_polarity[result.polarity].append(finding_id)
        if domain_id is None and result.domain is not None and result.domain[0] in domains:
            by_domain[domains[result.domain[0]]].append(finding_id)
    Code.objects.bulk_create(codes, batch_size=1000)
    counts["codes"] += len(codes)
    for polarity, finding_ids in by_polarity.items():
        counts["polarity_set"] += Finding.objects.filter(
            id__in=finding_ids, polarity_origin=Origin.MACHINE
        ).update(polarity=polarity)
    for domain_id, finding_ids in by_domain.items():
        counts["domains_set"] += Finding.objects.filter(
            id__in=finding_ids, domain__isnull=True
        ).update(domain_id=domain_id)


@transaction.atomic
def confirm_code(*, finding: Finding, theme: Theme, user, applies: bool = True) -> Code:
    """A reviewer's decision that ``theme`` applies (or, with applies=False, does not)."""
    if theme.framework_id != finding.review.framework_id:
        raise InvalidInput(
            f"Theme {theme.key!r} is not part of this review's framework "
            f"({finding.review.framework.name})"
        )
    code, created = Code.objects.update_or_create(
        finding=finding, theme=theme, origin=CodeOrigin.HUMAN,
        defaults={
            "applies": applies, "confirmed_by": user if getattr(user, "is_authenticated", False)
            else None, "confirmed_at": timezone.now(), "score": None, "rank": 0,
            "explanation": "", "analysis_run": None,
        },
    )
    audit.record(
        actor=user, verb="code.confirmed" if applies else "code.rejected", subject=code,
        review=finding.review, finding=finding.pk, theme=theme.key, created=created,
    )
    return code
