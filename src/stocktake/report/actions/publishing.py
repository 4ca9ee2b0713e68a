"""Publishing the report: checks, frozen versions, and the worker that writes their files.

Publishing (:func:`publish_report`) moves the review to tracking, agrees its draft
recommendations and records version 1; a correction (:func:`publish_correction`)
records version N+1 with a change note and changes nothing else. Either way the
publish checks (:mod:`stocktake.report.checks`) are run first: open ones are kept on
the version (``open_checks``) and need a reason (``override_reason``).

A version's files are written by the background worker (:func:`build_version_files`,
enqueued in the same transaction as the version, docs/adr/0004-background-work.md):
every format of :mod:`stocktake.report.formats` this build has, stored in the
``uploads`` storage as ``reports/<slug>/v<N>/<slug>-report-v<N>.<ext>`` with their
SHA-256 and size, and never written again once the version is ready. The version is
*building* meanwhile (its ``message`` says which file is being written), then *ready*,
or *failed* with the reason (:func:`retry_version_build` queues it again).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import task

from stocktake.collect import files
from stocktake.core import audit
from stocktake.core.actors import acting_user
from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.report import formats
from stocktake.report.build import build_report
from stocktake.report.checks import Check, blocking, publish_checks
from stocktake.report.models import RecommendationStatus, ReportVersion, VersionStatus
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import Review

REASON_MAX = 2000


def _reason_needed(checks: tuple[Check, ...], reason: str) -> None:
    open_ = blocking(checks)
    if open_ and not reason:
        listed = " ".join(c.message for c in open_)
        raise InvalidInput(f"{len(open_)} publish check{'s are' if len(open_) != 1 else ' is'} "
                           f"open ({listed}) — give a reason to publish anyway")



def _record_version(*, review: Review, by, checks, reason: str, change_note: str = "",
                    ) -> ReportVersion:
    number = (ReportVersion.objects.filter(review=review).aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion.objects.create(
        review=review, number=number, change_note=change_note, override_reason=reason,
        open_checks=[c.snapshot() for c in checks if c.count], status=VersionStatus.BUILDING,
        message="Waiting for the background worker", published_by=acting_user(by))
    result = build_version_files.enqueue(version.pk)
    audit.record(actor=by, verb="report.version_published", subject=version, review=review,
                 number=number, open_checks=[c.code for c in checks if c.count],
                 overridden=bool(reason and blocking(checks)), task=str(result.id))
    return version


def _clean(text: str, what: str) -> str:
    text = (text or "").strip()
    if len(text) > REASON_MAX:
        raise InvalidInput(f"The {what} is {len(text)} characters long; at most {REASON_MAX}")
    return text


@transaction.atomic
def publish_report(*, review: Review, by, reason: str = "") -> Review:
    """Publish: version 1 is recorded and its files queued for the worker; the review moves
    to tracking and its draft recommendations become agreed.

    The publish checks run first; if any is open (not merely for information), ``reason``
    (why publish anyway) is required, and kept on the version with the open checks.
    """
    reason = _clean(reason, "reason")
    review = review_actions.mark_published(review=review, by=by)  # reporting → tracking
    checks = publish_checks(review)
    _reason_needed(checks, reason)  # refused: the transaction (and the move) is undone
    review.recommendations.filter(status=RecommendationStatus.DRAFT).update(
        status=RecommendationStatus.AGREED
    )
    audit.record(actor=by, verb="report.published", subject=review, review=review)
    _record_version(review=review, by=by, checks=checks, reason=reason)
    return review


@transaction.atomic
def publish_correction(*, review: Review, change_note: str, by, reason: str = "") -> ReportVersion:
    """A correction of the published report: version N+1 with its change note (required).

    The review's status and its recommendations are not touched. The same rule as
    publishing: open checks need ``reason``.
    """
    review = Review.objects.select_for_update().get(pk=review.pk)
    if not review.report_versions.exists():
        raise InvalidTransition("The report has not been published yet: publish it first")
    change_note = _clean(change_note, "change note")
    if not change_note:
        raise InvalidInput("A correction needs a change note saying what changed")
    reason = _clean(reason, "reason")
    checks = publish_checks(review)
    _reason_needed(checks, reason)
    return _record_version(review=review, by=by, checks=checks, reason=reason,
                           change_note=change_note)


def _is_stuck(version: ReportVersion, now: dt.datetime) -> bool:
    """Building with no worker to finish it: nothing changed for the stale threshold."""
    limit = dt.timedelta(seconds=settings.STOCKTAKE_ANALYSIS_STALE_SECONDS)
    return version.status == VersionStatus.BUILDING and version.published_at < now - limit


def may_retry(version: ReportVersion, *, now: dt.datetime | None = None) -> bool:
    return version.status == VersionStatus.FAILED or _is_stuck(version, now or timezone.now())


@transaction.atomic
def retry_version_build(*, version: ReportVersion, by) -> ReportVersion:
    """Queue a failed version's files again (or one whose worker has gone silent)."""
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if not may_retry(version):
        raise InvalidInput(f"Version {version.number} is {version.get_status_display().lower()}: "
                           "there is nothing to build again")
    ReportVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.BUILDING, message="Waiting for the background worker")
    result = build_version_files.enqueue(version.pk)
    audit.record(actor=by, verb="report.version_retried", subject=version,
                 review=version.review, number=version.number, task=str(result.id))
    version.refresh_from_db()
    return version


def version_data(version: ReportVersion):
    """The built report as this version publishes it (its number, date and change note)."""
    data = build_report(version.review)
    return dataclasses.replace(
        data, version=version.number, published_on=timezone.localdate(version.published_at),
        change_note=version.change_note)


def stored_name(version: ReportVersion, key: str) -> str:
    slug = version.review.slug
    fmt = formats.get(key)
    return f"reports/{slug}/v{version.number}/{fmt.filename(slug, version.number)}"


def _set(version: ReportVersion, **fields) -> bool:
    """Change a building version (False if it is no longer building: someone else won)."""
    return bool(ReportVersion.objects.filter(pk=version.pk, status=VersionStatus.BUILDING)
                .update(**fields))


def _store(version: ReportVersion, key: str, path: Path) -> dict:
    storage = files.uploads()
    name = stored_name(version, key)
    with path.open("rb") as handle:
        sha256, size = files.sha256_of(handle)
        handle.seek(0)
        if storage.exists(name):  # left by an earlier try that failed later on
            storage.delete(name)
        saved = storage.save(name, File(handle, name=name))
    return {"path": saved, "sha256": sha256, "size": size}


@task()
def build_version_files(version_id: int) -> str:
    """The background task: :func:`write_version_files` for a version; returns its status.

    Enqueued with the version (docs/adr/0004-background-work.md); a version that is no
    longer building (already written, e.g. by ``stocktake review publish``) is left alone.
    Anything unexpected is recorded on the version and re-raised, so the task's result row
    keeps the traceback.
    """
    version = ReportVersion.objects.get(pk=version_id)
    return write_version_files(version=version)


def write_version_files(*, version: ReportVersion, progress=None) -> str:
    """Write every available format of a building version and store it; returns its status.

    Each file is written to a temporary folder, then stored; only when all are stored does
    the version become ready (with what it holds in ``files``). A format this build lacks
    is named in the version's message, not failed. ``progress(done, total, label)`` is
    called before each format (the CLI shows it). The actor is who published the version.
    """
    version = ReportVersion.objects.select_related("review__framework", "published_by").get(
        pk=version.pk)
    if version.status != VersionStatus.BUILDING:
        return version.status
    by = version.published_by
    keys = list(formats.FORMATS)
    missing = {k: reason for k in keys if (reason := formats.unavailable_reason(k))}
    wanted = [k for k in keys if k not in missing]
    stored: dict[str, dict] = {}
    try:
        data = version_data(version) if formats.needs_data(wanted) else None
        from_review = [k for k in wanted if formats.FORMATS[k].source == "review"]
        document = formats.review_document(version.review) if len(from_review) > 1 else None
        with tempfile.TemporaryDirectory(prefix="stocktake-report-") as folder:
            for index, key in enumerate(wanted, start=1):
                label = formats.FORMATS[key].label
                if progress is not None:
                    progress(index - 1, len(wanted), label)
                if not _set(version, message=f"Writing {label} ({index} of {len(wanted)})"):
                    return _reloaded(version)
                path = Path(folder) / formats.FORMATS[key].filename(version.review.slug,
                                                                    version.number)
                formats.write(key, review=version.review, data=data, path=path,
                              document=document)
                stored[key] = _store(version, key, path)
    except Exception as exc:
        with transaction.atomic():
            if _set(version, status=VersionStatus.FAILED,
                    message=f"{exc.__class__.__name__}: {exc}"[:2000], files=stored):
                audit.record(actor=by, verb="report.version_failed", subject=version,
                             review=version.review, number=version.number,
                             error=exc.__class__.__name__)
        raise
    if progress is not None:
        progress(len(wanted), len(wanted), "done")
    message = ("Not in this version: " + "; ".join(missing.values())) if missing else ""
    with transaction.atomic():
        if _set(version, status=VersionStatus.READY, files=stored, message=message):
            audit.record(actor=by, verb="report.version_ready", subject=version,
                         review=version.review, number=version.number, formats=sorted(stored),
                         bytes=sum(f["size"] for f in stored.values()))
    return _reloaded(version)


def _reloaded(version: ReportVersion) -> str:
    version.refresh_from_db()
    return version.status
