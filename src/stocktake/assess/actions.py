"""State changes for coding: running the analysis over a review and human coding decisions.

Permission checks belong to the caller (views, CLI); these actions check that
the data fit together (a theme from the review's own framework).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from stocktake.analysis.active import review_order, uncertainty
from stocktake.analysis.backends import default_backend, get_backend
from stocktake.analysis.coder import APPLIES_THRESHOLD
from stocktake.analysis.errors import InputError
from stocktake.assess.liveness import last_sign_of_life, stale_runs
from stocktake.assess.models import AnalysisRun, Code, CodeOrigin, Memo, MemoKind, ReviewPriority
from stocktake.assess.queries import confirmed_examples
from stocktake.collect.models import Finding, Origin
from stocktake.collect.similarity.actions import similar_findings_wanted
from stocktake.core import audit
from stocktake.core.actors import acting_user
from stocktake.core.edits import check_revision
from stocktake.core.errors import EditConflict, InvalidInput
from stocktake.reviews.frameworks import spec_for
from stocktake.reviews.models import Organisation, Review, Theme
from stocktake.reviews.permissions import access_for

CHUNK_SIZE = 2000

# Machine codes stored per finding: the top theme always, and every other theme
# whose score (probability of being the finding's main theme) is at least
# STORE_THRESHOLD — see stocktake.analysis.coder for what the scores mean.
STORE_THRESHOLD = APPLIES_THRESHOLD

STALE_MESSAGE = "The worker stopped before the run finished; start it again."
INTERRUPTED_MESSAGE = "Interrupted before the run finished; start it again."
# What a worker, a canceller or the stale check may have changed on a run's row.
RUN_STATE = ["status", "progress", "finding_count", "parameters", "message", "finished_at",
             "heartbeat_at"]


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def analyse_review(
    *, review: Review, by, backend: str | None = None, seed: int = 0,
    progress: Callable[[int, int], None] | None = None, run: AnalysisRun | None = None,
) -> AnalysisRun:
    """Code every finding of ``review`` with ``backend`` and store the machine suggestions.

    Records an :class:`AnalysisRun` (running → done; or failed with the message,
    interrupted included; or cancelled by someone else).
    For each finding, previous machine codes are replaced by this run's: the top
    theme (rank 0) and any other theme scoring ≥ ``STORE_THRESHOLD`` — none at all for a
    finding in which nothing pointed to any theme, each with its own reason. Human codes
    are never touched; confirmed ones (applies=True) are the examples the coder
    learns from. Polarity is set only where ``polarity_origin`` is machine, and
    the domain only where the finding has none.

    Findings are coded in chunks of ``CHUNK_SIZE``; after each, ``run.progress``,
    ``run.heartbeat_at`` and ``progress(done, total)`` are updated, and a run that
    is no longer running (cancelled, or failed as stale) stops there. Results are
    written at the end, in one transaction that also marks the run done: a run
    that fails, is cancelled or loses its worker stores nothing, and every
    finding keeps its earlier suggestions. Unusable input (an unknown backend, a
    bad example) raises InvalidInput.

    ``run``, a queued run of this review (see :func:`queue_analysis`), is used
    instead of a new one; its backend and seed win, and an unknown backend
    fails it with the message. A run that is no longer queued is returned as it is.
    """
    if run is not None:
        backend, seed = run.backend, run.seed
    backend = backend or default_backend()
    factory = _backend_factory(backend, run=run, by=by)
    run = _start(review=review, by=by, backend=backend, seed=seed, run=run)
    if run.status != AnalysisRun.Status.RUNNING:
        return run  # cancelled, or failed as stale, before a worker took it
    try:
        parts, examples = _code(run, review, factory, progress)
        _store(run, by, parts, examples=examples)
    except _Stopped:
        _reload(run)  # cancelled or failed as stale while it worked: nothing was stored
    except (KeyboardInterrupt, SystemExit):  # Ctrl+C, or a worker told to abandon its task
        _fail(run, by, INTERRUPTED_MESSAGE)
        raise
    except Exception as exc:
        _fail(run, by, str(exc) or exc.__class__.__name__)
        if isinstance(exc, InputError):
            raise InvalidInput(str(exc)) from None
        raise
    return run


@task()
def run_analysis(run_id: int) -> str:
    """The background task: analyse the review of queued run ``run_id``; returns its final status.

    :func:`queue_analysis` enqueues it with the run's id; a database worker
    (``stocktake worker``, or the thread ``stocktake serve`` starts) claims it
    (docs/adr/0004-background-work.md). A run that is no longer queued (already
    taken by another worker, cancelled, failed as stale, or a task retried after
    it finished) is left alone; a run cancelled while it works stops at its next
    progress step and returns ``"cancelled"``. Input problems (an uninstalled
    backend) are recorded on the run as a failure and end the task normally;
    anything unexpected is recorded on the run and re-raised, so the task's
    result row keeps the traceback. Progress and the outcome live on the run's
    row, which is what the pages show.
    """
    run = AnalysisRun.objects.select_related("review__framework", "created_by").get(pk=run_id)
    if run.status != AnalysisRun.Status.QUEUED:
        return run.status
    try:
        analyse_review(review=run.review, by=run.created_by, run=run)
    except InvalidInput:
        pass  # analyse_review recorded it on the run
    return run.status


class _Stopped(Exception):
    """The run is no longer running: someone cancelled it, or it was failed as stale."""


@dataclass
class _Part:
    """One chunk's writes, worked out while coding and written with the others at the end."""

    finding_ids: list[int]
    codes: list[tuple[int, int, float, int, str]]  # finding, theme, score, rank, explanation
    polarity: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    domains: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    ranked: list[tuple[int, str, float]] = field(default_factory=list)  # finding, text, uncertainty



def _reload(run: AnalysisRun) -> None:
    run.refresh_from_db(fields=RUN_STATE)


def _backend_factory(backend: str, *, run: AnalysisRun | None, by):
    try:
        return get_backend(backend)
    except InputError as exc:
        if run is not None:
            _fail(run, by, str(exc))
        raise InvalidInput(str(exc)) from None


def _start(*, review: Review, by, backend: str, seed: int, run: AnalysisRun | None):
    """A new running run, or ``run`` moved from queued to running if it still is queued."""
    now = timezone.now()
    if run is None:
        return AnalysisRun.objects.create(
            review=review, backend=backend, seed=seed, status=AnalysisRun.Status.RUNNING,
            heartbeat_at=now, created_by=acting_user(by),
        )
    AnalysisRun.objects.filter(pk=run.pk, status=AnalysisRun.Status.QUEUED).update(
        status=AnalysisRun.Status.RUNNING, heartbeat_at=now)
    _reload(run)
    return run


def _beat(run: AnalysisRun, **fields) -> None:
    """Record progress and that the worker is alive; _Stopped if the run is no longer running."""
    now = timezone.now()
    updated = AnalysisRun.objects.filter(pk=run.pk, status=AnalysisRun.Status.RUNNING).update(
        heartbeat_at=now, **fields)
    if not updated:
        raise _Stopped
    for name, value in {**fields, "heartbeat_at": now}.items():
        setattr(run, name, value)


def _code(run: AnalysisRun, review: Review, factory, progress) -> tuple[list[_Part], int]:
    """Code the findings chunk by chunk, reporting progress: the writes, and examples used."""
    rows = list(
        Finding.objects.filter(review=review).order_by("id")
        .values_list("id", "text", "domain_id", "polarity_origin")
    )
    examples = confirmed_examples(review)
    coder = factory(spec_for(review.framework, active_only=True), seed=run.seed)
    coder.fit_examples(examples)
    coder.fit([text for _, text, _, _ in rows])
    _beat(run, finding_count=len(rows), parameters={
        **coder.parameters, "store_threshold": STORE_THRESHOLD, "chunk_size": CHUNK_SIZE})
    themes = {t.key: t.id for t in Theme.objects.filter(framework_id=review.framework_id)}
    domains = {d.key: d.id for d in review.framework.domains.all()}
    parts, done = [], 0
    for chunk in _chunks(rows, CHUNK_SIZE):
        results = coder.code([text for _, text, _, _ in chunk])
        parts.append(_plan_chunk(chunk, results, themes, domains))
        done += len(chunk)
        _beat(run, progress=done)
        if progress is not None:
            progress(done, len(rows))
    return parts, len(examples)


def _plan_chunk(chunk, results, themes, domains) -> _Part:
    part = _Part(finding_ids=[row[0] for row in chunk], codes=[])
    for (finding_id, text, domain_id, polarity_origin), result in zip(chunk, results, strict=True):
        part.ranked.append((finding_id, text, uncertainty([score for _, score in result.themes])))
        # A finding that matched nothing gets no suggestion rather than a tie-break theme.
        applies = result.applies(STORE_THRESHOLD) if result.matched else []
        for rank, (key, score) in enumerate(applies):
            why = result.reasons.get(key) or (result.explanation if rank == 0 else "")
            part.codes.append((finding_id, themes[key], score, rank, why[:500]))
        if polarity_origin == Origin.MACHINE:
            part.polarity[result.polarity].append(finding_id)
        if domain_id is None and result.domain is not None and result.domain[0] in domains:
            part.domains[domains[result.domain[0]]].append(finding_id)
    return part


@transaction.atomic
def _store(run: AnalysisRun, user, parts: list[_Part], *, examples: int) -> None:
    """Mark the run done and write every chunk's codes: all of it or, if stopped, none."""
    now = timezone.now()
    claimed = AnalysisRun.objects.filter(pk=run.pk, status=AnalysisRun.Status.RUNNING).update(
        status=AnalysisRun.Status.DONE, finished_at=now, heartbeat_at=now)
    if not claimed:  # cancelled or failed as stale after its last progress step
        raise _Stopped
    counts = {"findings": run.finding_count, "codes": 0, "polarity_set": 0, "domains_set": 0,
              "examples": examples}
    for part in parts:
        _store_chunk(run, part, counts)
    _store_priorities(run, [row for part in parts for row in part.ranked])
    run.status, run.finished_at, run.heartbeat_at = AnalysisRun.Status.DONE, now, now
    run.message = (
        f"{counts['findings']} findings coded, {counts['codes']} suggestions, "
        f"{counts['examples']} confirmed examples used"
    )
    run.save(update_fields=["message"])
    audit.record(actor=user, verb="analysis.completed", subject=run, review=run.review,
                 backend=run.backend, seed=run.seed, **counts)
    similar_findings_wanted(review_id=run.review_id)  # for a review stored before they were


def _store_chunk(run: AnalysisRun, part: _Part, counts: dict) -> None:
    """Replace the machine codes of one chunk's findings (inside :func:`_store`'s transaction)."""
    Code.objects.filter(finding_id__in=part.finding_ids, origin=CodeOrigin.MACHINE).delete()
    Code.objects.bulk_create([
        Code(finding_id=finding_id, theme_id=theme_id, origin=CodeOrigin.MACHINE, score=score,
             rank=rank, explanation=why, analysis_run=run)
        for finding_id, theme_id, score, rank, why in part.codes
    ], batch_size=1000)
    counts["codes"] += len(part.codes)
    for polarity, finding_ids in part.polarity.items():
        counts["polarity_set"] += Finding.objects.filter(
            id__in=finding_ids, polarity_origin=Origin.MACHINE
        ).update(polarity=polarity)
    for domain_id, finding_ids in part.domains.items():
        counts["domains_set"] += Finding.objects.filter(
            id__in=finding_ids, domain__isnull=True
        ).update(domain_id=domain_id)


def _store_priorities(run: AnalysisRun, ranked: list[tuple[int, str, float]]) -> None:
    """Replace the review's "Review next" order with this run's (inside :func:`_store`)."""
    ReviewPriority.objects.filter(review_id=run.review_id).delete()
    decided = set(Code.objects.filter(finding__review_id=run.review_id, origin=CodeOrigin.HUMAN)
                  .values_list("finding_id", flat=True))
    ranked = [row for row in ranked if row[0] not in decided]
    order = review_order([text for _, text, _ in ranked], [u for _, _, u in ranked])
    ReviewPriority.objects.bulk_create([
        ReviewPriority(finding_id=ranked[i][0], review_id=run.review_id, position=position,
                       uncertainty=ranked[i][2])
        for position, i in enumerate(order)
    ], batch_size=1000)


def _end(run: AnalysisRun, user, *, status: str, message: str, verb: str,
         where: dict | None = None, now=None, **details) -> bool:
    """Move a run that has not ended (and matches ``where``) to ``status``, with an audit event.

    Returns False, leaving it alone, when it has already ended (or no longer matches):
    a worker, a canceller and the stale check may race, and the first one wins.
    """
    now = now or timezone.now()
    message = message[:2000]
    matching = where or {"status__in": AnalysisRun.ACTIVE}
    if not AnalysisRun.objects.filter(pk=run.pk, **matching).update(
            status=status, message=message, finished_at=now):
        _reload(run)
        return False
    run.status, run.message, run.finished_at = status, message, now
    audit.record(actor=user, verb=verb, subject=run, review=run.review, backend=run.backend,
                 message=message, **details)
    return True


def _fail(run: AnalysisRun, user, message: str) -> None:
    _end(run, user, status=AnalysisRun.Status.FAILED, message=message, verb="analysis.failed")


@transaction.atomic
def fail_stale_runs(*, by=None, now=None, review: Review | None = None) -> list[AnalysisRun]:
    """Mark failed the runs (of ``review``, or of every review) that no worker will finish.

    Which runs those are is :func:`stocktake.assess.liveness.stale_runs`: running
    with no progress for ``STOCKTAKE_ANALYSIS_STALE_SECONDS``, or queued with no
    task left to run them. Called when a worker starts and before a run is queued,
    so a run whose worker died never blocks a new one. A run that reports
    progress meanwhile is left alone. Returns the runs it failed.
    """
    now = now or timezone.now()
    failed = []
    for run in stale_runs(task=run_analysis, now=now, review=review):
        seen = last_sign_of_life(run).isoformat()
        where = {"status": run.status, "heartbeat_at": run.heartbeat_at}
        if _end(run, by, status=AnalysisRun.Status.FAILED, message=STALE_MESSAGE,
                verb="analysis.failed", where=where, now=now, reason="stale",
                previous_status=run.status, last_heartbeat=seen):
            failed.append(run)
    return failed


@transaction.atomic
def cancel_run(*, run: AnalysisRun, by) -> AnalysisRun:
    """Cancel a queued or running run; InvalidInput if it has already ended.

    A queued run's task finds it cancelled and does nothing. A running one stops
    at its next progress step and stores nothing (see :func:`analyse_review`);
    if it is already writing its results, it has in effect finished and cannot
    be cancelled. Who may cancel is the caller's check (the same as who may analyse).
    """
    previous = run.status
    author = acting_user(by)
    who = f" by {author.get_full_name() or author.get_username()}" if author else ""
    if not _end(run, by, status=AnalysisRun.Status.CANCELLED, verb="analysis.cancelled",
                message=f"Cancelled{who}; nothing from this run was stored.",
                previous_status=previous):
        raise InvalidInput(f"Run {run.pk} has already ended "
                           f"({run.get_status_display().lower()}): there is nothing to cancel")
    return run


@transaction.atomic
def queue_analysis(*, review: Review, by, backend: str | None = None, seed: int = 0
                   ) -> AnalysisRun:
    """Record a queued :class:`AnalysisRun` and put it on the background task queue.

    A worker (``stocktake worker``, or the one ``stocktake serve`` starts) picks
    it up and runs :func:`analyse_review` on it. The run and its task are
    written in one transaction: both or neither. An unknown or uninstalled
    backend raises InvalidInput before anything is written; so does a second
    request while a run of this review is still waiting for a worker. Runs of
    the review that no worker will finish are failed first (:func:`fail_stale_runs`),
    so they never block a new one.
    """
    backend = backend or default_backend()
    try:
        get_backend(backend)
    except InputError as exc:
        raise InvalidInput(str(exc)) from None
    fail_stale_runs(by=by, review=review)
    if AnalysisRun.objects.filter(review=review, status=AnalysisRun.Status.QUEUED).exists():
        raise InvalidInput("An analysis of this review is already waiting to start")
    run = AnalysisRun.objects.create(
        review=review, backend=backend, seed=seed, status=AnalysisRun.Status.QUEUED,
        created_by=acting_user(by),
    )
    result = run_analysis.enqueue(run.pk)
    audit.record(actor=by, verb="analysis.queued", subject=run, review=review,
                 backend=backend, seed=seed, task=str(result.id))
    run.refresh_from_db()  # an immediate backend (a test setting) has already run it
    return run


def decision_state(code: Code | None) -> str:
    """A reviewer's decision on a theme as a page shows it: "none", "yes" (applies) or "no"."""
    if code is None:
        return "none"
    return "yes" if code.applies else "no"


def _check_unchanged(finding: Finding, theme: Theme, expected: str | None) -> None:
    """Refuse a decision made on a page that showed another reviewer's decision than the one now
    stored: nothing is overwritten silently (EditConflict says who decided what, and when)."""
    if expected is None:
        return
    current = (Code.objects.select_for_update(of=("self",)).select_related("confirmed_by")
               .filter(finding=finding, theme=theme, origin=CodeOrigin.HUMAN).first())
    if decision_state(current) == expected:
        return
    if current is None:
        raise EditConflict(f"{theme.name}: the decision you saw was taken back by another "
                           "reviewer after the page was loaded. Nothing was changed: look "
                           "again and decide.")
    who = (current.confirmed_by.get_full_name() or current.confirmed_by.get_username()
           if current.confirmed_by_id else "Another reviewer")
    said = "applies" if current.applies else "does not apply"
    when = timezone.localtime(current.confirmed_at).strftime("%H:%M") if current.confirmed_at \
        else "earlier"
    raise EditConflict(f"{theme.name}: {who} decided it {said} at {when}, after this page was "
                       "loaded. Nothing was changed: look again and decide.")


@transaction.atomic
def confirm_code(*, finding: Finding, theme: Theme, by, applies: bool = True,
                 expected: str | None = None, batch: str = "") -> Code:
    """A reviewer's decision that ``theme`` applies (or, with applies=False, does not).

    ``expected``: the decision on this theme the reviewer's page showed ("none",
    "yes" or "no", see :func:`decision_state`); when another reviewer has changed it
    since, nothing is saved and EditConflict says so. ``batch`` groups decisions
    saved together (the coding workspace's undo).
    """
    if theme.framework_id != finding.review.framework_id:
        raise InvalidInput(
            f"Theme {theme.key!r} is not part of this review's framework "
            f"({finding.review.framework.name})"
        )
    _check_unchanged(finding, theme, expected)
    ReviewPriority.objects.filter(finding=finding).delete()  # decided: off the review-next list
    code, created = Code.objects.update_or_create(
        finding=finding, theme=theme, origin=CodeOrigin.HUMAN,
        defaults={
            "applies": applies, "confirmed_by": acting_user(by), "confirmed_at": timezone.now(),
            "score": None, "rank": 0, "explanation": "", "analysis_run": None, "batch": batch,
        },
    )
    audit.record(
        actor=by, verb="code.confirmed" if applies else "code.rejected", subject=code,
        review=finding.review, finding=finding.pk, theme=theme.key, created=created,
    )
    return code


@transaction.atomic
def withdraw_decision(*, finding: Finding, theme: Theme, by) -> bool:
    """Take back a reviewer's decision on ``theme`` for ``finding`` (an undo).

    The machine's suggestion, if any, counts again as it did before the decision.
    Returns False when there was no decision to take back.
    """
    deleted, _ = Code.objects.filter(finding=finding, theme=theme,
                                     origin=CodeOrigin.HUMAN).delete()
    if deleted:
        audit.record(actor=by, verb="code.withdrawn", subject=finding, review=finding.review,
                     finding=finding.pk, theme=theme.key)
    return bool(deleted)


@dataclass(frozen=True)
class MachineCode:
    """One machine suggestion for :func:`record_machine_codes`: ``theme`` for ``finding``."""

    finding: Finding
    theme: Theme
    score: float
    rank: int = 0
    explanation: str = ""


@transaction.atomic
def record_machine_codes(
    *, review: Review, codes: Iterable[MachineCode], by, backend: str = "recorded", seed: int = 0,
) -> AnalysisRun:
    """Store machine suggestions made outside :func:`analyse_review` as one finished run.

    For suggestions from another tool, and for tests that need exact codes. As a
    run of :func:`analyse_review` does, the suggestions replace the earlier machine
    codes of the findings they name; human codes are never touched. Each finding
    must belong to ``review``, each theme to its framework, each score lie in
    0–1, and a finding may name a theme once. Returns the run (done).
    """
    codes = list(codes)
    _check_machine_codes(review, codes)
    backend = backend.strip()
    if not backend or len(backend) > 60:
        raise InvalidInput("A run's backend must be a name of 1 to 60 characters")
    finding_ids = sorted({code.finding.pk for code in codes})
    now = timezone.now()
    run = AnalysisRun.objects.create(
        review=review, backend=backend, seed=seed, status=AnalysisRun.Status.DONE,
        finding_count=len(finding_ids), progress=len(finding_ids), finished_at=now,
        heartbeat_at=now, created_by=acting_user(by),
        message=f"{len(codes)} suggestions recorded for {len(finding_ids)} findings",
    )
    Code.objects.filter(finding_id__in=finding_ids, origin=CodeOrigin.MACHINE).delete()
    Code.objects.bulk_create([
        Code(finding=code.finding, theme=code.theme, origin=CodeOrigin.MACHINE,
             score=code.score, rank=code.rank, explanation=code.explanation[:500],
             analysis_run=run)
        for code in codes
    ], batch_size=1000)
    audit.record(actor=by, verb="analysis.recorded", subject=run, review=review,
                 backend=backend, seed=seed, findings=len(finding_ids), codes=len(codes))
    return run


def _check_machine_codes(review: Review, codes: list[MachineCode]) -> None:
    seen = set()
    for code in codes:
        if code.finding.review_id != review.pk:
            raise InvalidInput(f"Finding {code.finding.pk} is not part of {review.slug}")
        if code.theme.framework_id != review.framework_id:
            raise InvalidInput(f"Theme {code.theme.key!r} is not part of this review's framework")
        if isinstance(code.score, bool) or not 0 <= code.score <= 1:
            raise InvalidInput(f"A suggestion's score lies between 0 and 1, not {code.score!r}")
        if isinstance(code.rank, bool) or not isinstance(code.rank, int) or code.rank < 0:
            raise InvalidInput(f"A suggestion's rank is a whole number of 0 or more, "
                               f"not {code.rank!r}")
        if (code.finding.pk, code.theme.pk) in seen:
            raise InvalidInput(f"Finding {code.finding.pk} names theme {code.theme.key!r} twice")
        seen.add((code.finding.pk, code.theme.pk))


# -- memos -----------------------------------------------------------------------------------

MAX_MEMO = 10_000  # characters


def _memo_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Write the memo's text")
    if len(text) > MAX_MEMO:
        raise InvalidInput(f"A memo is at most {MAX_MEMO:,} characters")
    return text


def _memo_writer(review: Review, by) -> None:
    """Memos are the review's leads' and reviewers' notes; the CLI (``by=None``) may write."""
    if by is not None and getattr(by, "is_authenticated", False):
        access_for(by, review).require("code_findings")


@transaction.atomic
def add_memo(*, review: Review, text: str, by, finding: Finding | None = None,
             theme: Theme | None = None, organisation: Organisation | None = None) -> Memo:
    """A memo about ``finding``, ``theme`` or ``organisation`` (at most one), or else about
    the review. The subject must belong to the review (an organisation: any in the register,
    as memos may note one that has not yet taken part)."""
    _memo_writer(review, by)
    about = [x for x in (finding, theme, organisation) if x is not None]
    if len(about) > 1:
        raise InvalidInput("A memo is about one finding, theme or organisation, or the review")
    if finding is not None and finding.review_id != review.pk:
        raise InvalidInput("That finding is not part of this review")
    if theme is not None and theme.framework_id != review.framework_id:
        raise InvalidInput("That theme is not in this review's framework")
    kind = (MemoKind.FINDING if finding else MemoKind.THEME if theme
            else MemoKind.ORGANISATION if organisation else MemoKind.REVIEW)
    author = acting_user(by)
    memo = Memo.objects.create(review=review, kind=kind, finding=finding, theme=theme,
                               organisation=organisation, text=_memo_text(text),
                               author=author, updated_by=author)
    audit.record(actor=by, verb="assess.memo_added", subject=memo, review=review, kind=kind)
    return memo


@transaction.atomic
def update_memo(*, memo: Memo, text: str, by, expected_revision: int | None = None) -> Memo:
    """Change a memo's text; refused (EditConflict) when it changed since ``expected_revision``."""
    row = Memo.objects.select_for_update().select_related("review").get(pk=memo.pk)
    _memo_writer(row.review, by)
    check_revision(row, expected_revision, what="this memo")
    text = _memo_text(text)
    if text == row.text:
        return row
    row.text = text
    row.revision += 1
    row.updated_by = acting_user(by)
    row.save()
    audit.record(actor=by, verb="assess.memo_updated", subject=row, review=row.review,
                 revision=row.revision)
    return row


@transaction.atomic
def delete_memo(*, memo: Memo, by, expected_revision: int | None = None) -> None:
    """Delete a memo; refused when it changed since the reader saw it (``expected_revision``)."""
    row = Memo.objects.select_for_update().select_related("review").filter(pk=memo.pk).first()
    if row is None:
        raise InvalidInput("That memo has already been deleted")
    _memo_writer(row.review, by)
    check_revision(row, expected_revision, what="this memo")
    audit.record(actor=by, verb="assess.memo_deleted", subject=row, review=row.review,
                 kind=row.kind)
    Memo.objects.filter(pk=row.pk).delete()
CONTEXT_TEXTS = 2000  # findings the coder is fitted on beside new ones (word weights)


@transaction.atomic
def suggest_codes(*, review: Review, findings: list[Finding], by,
                  context: Iterable[str] = (), backend: str = "tfidf") -> AnalysisRun | None:
    """Code a few new findings at once (made from a reflection session's notes, say), as
    :func:`analyse_review` would code them: the same coder, taught the reviewers'
    confirmed examples and fitted on ``context`` (up to :data:`CONTEXT_TEXTS` of the
    review's texts, for the words' weights) with the new ones. Their suggestions are
    stored as one finished run; a polarity or domain the source did not give is the
    machine's. Reviewers then accept or reject them like any other; the findings join
    "Review next" after the ranked ones until the next full analysis. None when there
    is nothing to code.
    """
    findings = [f for f in findings if f.review_id == review.pk]
    if not findings:
        return None
    texts = [f.text for f in findings]
    coder = get_backend(backend)(spec_for(review.framework), seed=0)
    coder.fit_examples(confirmed_examples(review))
    coder.fit(list(context)[:CONTEXT_TEXTS] + texts)
    results = coder.code(texts)
    themes = {t.key: t for t in Theme.objects.filter(framework_id=review.framework_id)}
    domains = {d.key: d for d in review.framework.domains.all()}
    codes = []
    for finding, result in zip(findings, results, strict=True):
        applies = result.applies(STORE_THRESHOLD) if result.matched else []
        for rank, (key, score) in enumerate(applies):
            why = result.reasons.get(key) or (result.explanation if rank == 0 else "")
            codes.append(MachineCode(finding=finding, theme=themes[key], score=float(score),
                                     rank=rank, explanation=why))
        changed = []
        if finding.polarity_origin == Origin.MACHINE and finding.polarity != result.polarity:
            finding.polarity = result.polarity
            changed.append("polarity")
        if finding.domain_id is None and result.domain and result.domain[0] in domains:
            finding.domain = domains[result.domain[0]]
            changed.append("domain")
        if changed:
            finding.save(update_fields=changed)
    return record_machine_codes(review=review, codes=codes, by=by, backend=backend)
