"""Undoing an import batch: everything it created goes, in one transaction, audited."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django_tasks import task

from stocktake.collect import actions as collect_actions
from stocktake.collect import files, staging
from stocktake.collect.models import (
    BatchStatus,
    Example,
    Finding,
    ImportBatch,
    SourceDocument,
    Submission,
)
from stocktake.collect.similarity.actions import findings_changed
from stocktake.core import audit
from stocktake.core.errors import InvalidTransition, NotAllowed
from stocktake.report.models import CaseStudy, Recommendation
from stocktake.reviews.models import Organisation, OrganisationLevel, Participant
from stocktake.reviews.permissions import access_for
from stocktake.track.imports import liveness
from stocktake.track.imports.plan import UndoPlan, plan_undo
from stocktake.track.imports.staged import import_staged_file
from stocktake.track.models import ProgressUpdate, RecommendationResponse


class DependentWork(InvalidTransition):
    """Undoing the import would remove other people's work; a lead must confirm it."""

    def __init__(self, message: str, plan: UndoPlan):
        super().__init__(message)
        self.plan = plan


@transaction.atomic
def undo_import(*, batch: ImportBatch, by, confirm_dependents: bool = False) -> UndoPlan:
    """Remove everything ``batch`` created: its source documents (and stored originals), their
    submissions, findings and examples, its recommendations, the participants it added and
    the organisations it created that nothing else uses now.

    Refused (:class:`DependentWork`, naming each piece) when other work depends on it — a
    reviewer's theme decisions on its findings, recommendations based on them, progress on
    recommendations it brought in — unless ``confirm_dependents`` and ``by`` is a lead (or
    the command line, ``by`` None); then that work goes too. Returns what was removed.
    """
    batch = ImportBatch.objects.select_for_update().select_related("review").get(pk=batch.pk)
    review = batch.review
    access = access_for(by, review) if by is not None else None
    if access is not None and not access.has("import_documents"):
        raise NotAllowed("Only the review's leads and reviewers may undo an import")
    if batch.status == BatchStatus.UNDONE:
        raise InvalidTransition(f"Import {batch.pk} was already undone")
    if batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING):
        raise InvalidTransition(f"Import {batch.pk} is still running; undo it once it has finished")
    plan = plan_undo(batch)
    if plan.other_kinds:  # recorded by a newer import step that does not say how to remove it
        raise InvalidTransition(f"Import {batch.pk} also created {', '.join(sorted(plan.other_kinds))}, "
                                "which cannot be undone here yet; nothing was removed")
    dependents = plan.dependents
    if dependents and not confirm_dependents:
        raise DependentWork(f"Import {batch.pk} cannot be undone as it is: "
                            + "; ".join(dependents)
                            + ". A lead can confirm undoing it, which removes those too.", plan)
    if dependents and access is not None and not access.has("manage_review"):
        raise NotAllowed("Only a lead of the review can undo an import that other work depends on")

    for recommendation in Recommendation.objects.filter(findings__in=plan.finding_ids).distinct():
        recommendation.findings.remove(*plan.finding_ids)
    Recommendation.objects.filter(pk__in=plan.recommendation_ids).delete()
    Example.objects.filter(pk__in=plan.example_ids).delete()
    CaseStudy.objects.filter(pk__in=plan.case_study_ids).delete()
    # The updates made from its responses go with them (the history keeps the others).
    ProgressUpdate.objects.filter(response_id__in=plan.response_ids).delete()
    RecommendationResponse.objects.filter(pk__in=plan.response_ids).delete()
    Finding.objects.filter(pk__in=plan.finding_ids).delete()  # codes and priorities go with them
    if plan.finding_ids:
        findings_changed(review_id=review.pk)
    Submission.objects.filter(pk__in=plan.submission_ids).delete()
    stored = list(SourceDocument.objects.filter(pk__in=plan.document_ids)
                  .values_list("stored_path", flat=True))
    SourceDocument.objects.filter(pk__in=plan.document_ids).delete()
    # Participants it added, unless they have since been invited or sent something else.
    Participant.objects.filter(pk__in=plan.participant_ids, submissions__isnull=True,
                               invitations__isnull=True).delete()
    kept = _remove_organisations(plan.organisation_ids)
    batch.status, batch.undone_at, batch.undone_by = BatchStatus.UNDONE, timezone.now(), by
    batch.save(update_fields=["status", "undone_at", "undone_by"])
    audit.record(actor=by, verb="import.undone", subject=batch, review=review,
                 documents=len(plan.document_ids), findings=len(plan.finding_ids),
                 examples=len(plan.example_ids), recommendations=len(plan.recommendation_ids),
                 case_studies=len(plan.case_study_ids), responses=len(plan.response_ids),
                 organisations_removed=len(plan.organisation_ids) - len(kept),
                 organisations_kept=kept, confirmed_dependents=dependents)
    transaction.on_commit(lambda: _delete_stored(stored))
    return plan


def _remove_organisations(ids: list[int]) -> list[int]:
    """Delete the organisations an import created (units first, systems last) where nothing
    refers to them any more; returns the ids kept."""
    kept = []
    order = {OrganisationLevel.SYSTEM: 1}
    for org in sorted(Organisation.objects.filter(pk__in=ids), key=lambda o: order.get(o.level, 0)):
        try:
            with transaction.atomic():
                if org.children.exists():
                    raise ProtectedError("has children", set())
                org.delete()
        except (ProtectedError, RestrictedError):
            kept.append(org.pk)
    return kept


def _delete_stored(paths: list[str]) -> None:
    storage = files.uploads()
    for path in paths:
        if path and storage.exists(path):
            storage.delete(path)


# -- large uploads, imported by the background worker ------------------------------------


@transaction.atomic
def queue_import(*, batch: ImportBatch, token: str, wanted: list[int], by) -> ImportBatch:
    """Hand a confirmed upload's files (staged under ``token``) to the background worker;
    the batch and its task are written together (docs/adr/0004-background-work.md)."""
    batch = collect_actions.set_batch_progress(
        batch=batch, by=by, status=BatchStatus.QUEUED, staging_token=token, wanted=list(wanted),
        files_total=len(wanted), files_done=0)
    run_import.enqueue(batch.pk)
    return batch


@task()
def run_import(batch_id: int) -> str:
    """The background task: import the queued batch's staged files one by one, recording
    progress after each; the staged folder is removed at the end. Returns the final status."""
    batch = ImportBatch.objects.select_related("review__framework", "created_by").get(pk=batch_id)
    if batch.status != BatchStatus.QUEUED:
        return batch.status
    user = batch.created_by
    staged = staging.load(batch.staging_token, user_id=batch.created_by_id,
                          review_id=batch.review_id) if user is not None else None
    if staged is None:
        collect_actions.set_batch_progress(batch=batch, by=user, status=BatchStatus.FAILED,
                                           message="The uploaded files were no longer there; "
                                                   "upload them again.")
        return batch.status
    collect_actions.set_batch_progress(batch=batch, by=user, status=BatchStatus.RUNNING)
    for done, item in enumerate([i for i in staged.files if i.index in batch.wanted], start=1):
        collect_actions.set_batch_progress(batch=batch, by=user, current_file=item.name, message="")
        import_staged_file(review=batch.review, staged=staged, item=item, by=user, batch=batch,
                           progress=page_progress(batch, user))
        collect_actions.set_batch_progress(batch=batch, by=user, files_done=done, message="")
    staging.discard(staged)
    collect_actions.set_batch_progress(batch=batch, by=user, status=BatchStatus.IMPORTED,
                                       current_file="", message="")
    return batch.status


PAGE_PROGRESS_EVERY = 1.0  # seconds between two writes of a file's page progress


def page_progress(batch: ImportBatch, by):
    """``progress(done, total)`` for a long read of the batch's current file (a scanned PDF's
    text recognition): "page 12 of 40" kept in the batch's ``message`` while it runs (at
    most one write a second, and the last page), which also counts as the worker's heartbeat."""
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < PAGE_PROGRESS_EVERY:
            return
        last[0] = now
        collect_actions.set_batch_progress(batch=batch, by=by, message=f"page {done} of {total}")

    return progress


def wait_of(batch: ImportBatch, *, now=None) -> liveness.Wait | None:
    """How a queued batch is doing while it waits for the background worker (None once a
    worker has it, or when the queue cannot be read)."""
    if batch.status != BatchStatus.QUEUED:
        return None
    return liveness.wait_for(run_import, args=[batch.pk], now=now,
                             since=batch.heartbeat_at or batch.created_at)


def fail_stale_imports(*, review, by=None, now=None) -> list[ImportBatch]:
    """Mark failed the running imports of ``review`` whose worker has gone: no progress for
    ``STOCKTAKE_ANALYSIS_STALE_SECONDS`` (the same rule as analysis runs). The files they
    finished stay imported (the batch can be undone). Queued ones wait for a worker, unless
    their task is no longer in the queue (nothing would ever import them)."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.STOCKTAKE_ANALYSIS_STALE_SECONDS)
    stale = list(ImportBatch.objects.filter(review=review, status=BatchStatus.RUNNING,
                                            heartbeat_at__lt=cutoff))
    for batch in stale:
        collect_actions.set_batch_progress(
            batch=batch, by=by, status=BatchStatus.FAILED, current_file="",
            message=f"The background worker stopped after {batch.files_done} of "
                    f"{batch.files_total} files. The files it finished are imported; undo this "
                    "import to remove them, then upload the files again.")
    lost = [batch for batch in ImportBatch.objects.filter(review=review, status=BatchStatus.QUEUED)
            if (wait := wait_of(batch, now=now)) is not None and wait.state == liveness.GONE]
    for batch in lost:
        collect_actions.set_batch_progress(
            batch=batch, by=by, status=BatchStatus.FAILED, current_file="",
            message="Its task is no longer in the background queue, so no worker will import "
                    "these files; nothing from them was imported. Upload them again.")
    return stale + lost
