"""Owners' updates on recommendations after publication, and per-system tracking.

Every update is kept (:class:`ProgressUpdate`, the recommendation's history); the
recommendation's ``status`` and ``rag`` — and, where it is tracked per system, the
:class:`SystemStatus` row of the system the update is about — follow the latest update.
A per-system recommendation's own status and RAG roll up its systems' (:func:`rollup`).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.db import transaction

from stocktake.collect.files import safe_name, uploads
from stocktake.core import audit
from stocktake.core.errors import EditConflict, InvalidInput, InvalidTransition, NotAllowed
from stocktake.report.models import Recommendation, RecommendationStatus
from stocktake.reviews.models import OrganisationLevel
from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.permissions import access_for, may_report_progress
from stocktake.track.actions.cycle_entries import open_cycle, refresh
from stocktake.track.models import ProgressUpdate, Rag, SystemStatus, UpdateChannel

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {  # extension: what it is (shown in the form's hint and the refusal)
    ".pdf": "PDF", ".docx": "Word", ".odt": "OpenDocument text", ".xlsx": "Excel",
    ".ods": "OpenDocument spreadsheet", ".pptx": "PowerPoint", ".csv": "CSV", ".txt": "text",
    ".png": "PNG image", ".jpg": "JPEG image", ".jpeg": "JPEG image",
}
MAX_LINKS = 10
MAX_LINK_LENGTH = 500
MAX_NOTE = 10_000
PROGRESS_STATUSES = [s for s in RecommendationStatus.values if s != RecommendationStatus.DRAFT]
RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN]  # worst first
MOVING = {RecommendationStatus.IN_PROGRESS, RecommendationStatus.COMPLETED}


def clean_links(links: Iterable[str]) -> list[str]:
    """The evidence links, one each, http(s) only; InvalidInput names the first bad one."""
    cleaned: list[str] = []
    for number, link in enumerate((str(x).strip() for x in links), start=1):
        if not link:
            continue
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in link:
            raise InvalidInput(f"Evidence link {number} ({link[:60]}) is not a web address "
                               "starting with https:// or http://")
        if len(link) > MAX_LINK_LENGTH:
            raise InvalidInput(f"Evidence link {number} is longer than {MAX_LINK_LENGTH} characters")
        if link not in cleaned:
            cleaned.append(link)
    if len(cleaned) > MAX_LINKS:
        raise InvalidInput(f"Give at most {MAX_LINKS} evidence links (there are {len(cleaned)})")
    return cleaned


def check_attachment(name: str, size: int) -> str:
    """The attachment's extension, if its type and size are allowed; InvalidInput otherwise."""
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in ATTACHMENT_TYPES:
        kinds = ", ".join(sorted({k.lstrip(".").upper() for k in ATTACHMENT_TYPES}))
        raise InvalidInput(f"The attachment {name[:80]} must be one of: {kinds}")
    if size > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(f"The attachment {name[:80]} is larger than "
                           f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB")
    if size == 0:
        raise InvalidInput(f"The attachment {name[:80]} is empty")
    return suffix


def _store_attachment(recommendation: Recommendation, attachment) -> tuple[str, str]:
    """Keep the uploaded file; (its name in the ``uploads`` storage, the name as uploaded)."""
    original = PurePosixPath(attachment.name or "attachment").name[:255]
    check_attachment(original, attachment.size)
    stored = (f"progress/{recommendation.review.slug}/{recommendation.pk}/"
              f"{secrets.token_hex(8)}-{safe_name(original, 'attachment')}")
    saved = uploads().save(stored, attachment)
    return saved, original


def rollup(statuses: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """A per-system recommendation's own (status, rag) from its systems' (status, rag).

    All systems alike: theirs. Otherwise "in progress" once any has moved (in progress or
    complete), else "agreed, not started". The RAG is the worst any system gives.
    """
    if not statuses:
        return RecommendationStatus.AGREED, ""
    kinds = {status for status, _ in statuses}
    if len(kinds) == 1:
        status = kinds.pop()
    elif kinds & MOVING:
        status = RecommendationStatus.IN_PROGRESS
    else:
        status = RecommendationStatus.AGREED
    rags = {rag for _, rag in statuses if rag}
    return status, next((rag for rag in RAG_ORDER if rag in rags), "")


def latest_update_id(recommendation) -> int:
    """The id of the recommendation's latest update (0 without any): what a form carries."""
    return (ProgressUpdate.objects.filter(recommendation=recommendation)
            .order_by("-reported_at", "-id").values_list("id", flat=True).first() or 0)


def _check_allowed(by, recommendation: Recommendation, organisation_id: int | None) -> None:
    """A signed-in user updates only what their role allows (the CLI and imports act as None)."""
    if not getattr(by, "is_authenticated", False):
        return
    access = access_for(by, recommendation.review)
    if not may_report_progress(access, owner_id=recommendation.owner_id,
                               organisation_id=organisation_id):
        raise NotAllowed("You may update only the recommendations your organisation owns")


@transaction.atomic
def record_progress(
    *, recommendation: Recommendation, status: str, by, note: str = "", rag: str = "",
    evidence_links: Iterable[str] = (), attachment=None, reason: str = "",
    organisation=None, channel: str = UpdateChannel.FORM, response=None, cycle=None,
    expected_latest: int | None = None,
) -> ProgressUpdate:
    """Record an update on ``recommendation`` and bring its status (and RAG) up to date.

    ``organisation``: the system it is about, required where the recommendation is tracked
    per system (one of its systems) and refused otherwise. "Complete" needs evidence — links
    or an ``attachment`` (an uploaded file) — or a ``reason`` why there is none.
    ``expected_latest``: the id of the latest update (0: none) when the form was loaded;
    EditConflict if someone has updated the recommendation since (None: no check).
    """
    recommendation = (Recommendation.objects.select_for_update().select_related("review")
                      .get(pk=recommendation.pk))
    if status not in PROGRESS_STATUSES:
        raise InvalidInput(f"{status!r} is not a progress status")
    if rag and rag not in Rag.values:
        raise InvalidInput(f"{rag!r} is not a RAG rating (red, amber or green)")
    if channel not in UpdateChannel.values:
        raise InvalidInput(f"{channel!r} is not a way of updating")
    if not recommendation.review.is_published:
        raise InvalidTransition(
            "Progress can be recorded once the report is published (the review is "
            f"{recommendation.review.get_status_display().lower()})"
        )
    if expected_latest is not None and int(expected_latest) != latest_update_id(recommendation):
        raise EditConflict(
            f"Recommendation {recommendation.shown_number} was updated by someone else while "
            "you were writing. Nothing was saved: read their update in the history, then save "
            "yours again.")
    org_id = getattr(organisation, "pk", organisation)
    row = None
    if recommendation.per_system:
        if org_id is None:
            raise InvalidInput(f"Recommendation {recommendation.shown_number} is tracked per "
                               "system: choose the system this update is about")
        row = (SystemStatus.objects.select_for_update()
               .filter(recommendation=recommendation, organisation_id=org_id).first())
        if row is None:
            raise InvalidInput(f"Recommendation {recommendation.shown_number} is not tracked "
                               "for that system")
    elif org_id is not None:
        raise InvalidInput(f"Recommendation {recommendation.shown_number} has one status for "
                           "all: leave the system empty")
    if channel != UpdateChannel.IMPORT:  # imports are allowed by the import's own check
        _check_allowed(by, recommendation, org_id)
    links = clean_links(evidence_links)
    note, reason = note.strip(), reason.strip()
    if len(note) > MAX_NOTE or len(reason) > MAX_NOTE:
        raise InvalidInput(f"The update and the reason must each be {MAX_NOTE:,} characters "
                           "or fewer")
    if status == RecommendationStatus.COMPLETED and not (links or attachment or reason):
        raise InvalidInput("A complete recommendation needs evidence (a link or an attachment) "
                           "or a reason why there is none")
    if attachment is not None:
        check_attachment(PurePosixPath(attachment.name or "attachment").name, attachment.size)
    stored = original = ""
    if attachment is not None:
        stored, original = _store_attachment(recommendation, attachment)
    cycle = cycle or open_cycle(recommendation.review_id)  # an open stocktake counts it
    try:
        update, previous = _save_update(
            recommendation, row, org_id=org_id, status=status, rag=rag, note=note, links=links,
            stored=stored, original=original, reason=reason, channel=channel, response=response,
            cycle=cycle, by=by)
    except BaseException:
        if stored:  # nothing refers to it: do not keep it
            uploads().delete(stored)
        raise
    audit.record(
        actor=by, verb="recommendation.progress", subject=recommendation,
        review=recommendation.review, previous=previous, status=status,
        **({"rag": rag} if rag else {}),
        **({"organisation": org_id} if org_id else {}),
        **({"channel": channel} if channel != UpdateChannel.FORM else {}),
        **({"evidence": len(links) + bool(stored)} if links or stored else {}),
    )
    refresh(cycle, recommendation=recommendation, organisation=org_id)
    return update


def _save_update(recommendation, row, *, org_id, status, rag, note, links, stored, original,
                 reason, channel, response, cycle, by) -> tuple[ProgressUpdate, str]:
    update = ProgressUpdate.objects.create(
        recommendation=recommendation, organisation_id=org_id, status=status, rag=rag,
        note=note, evidence_links=links, attachment_path=stored, attachment_name=original,
        reason=reason, channel=channel, response=response, cycle=cycle,
        reported_by=by if getattr(by, "is_authenticated", False) else None)
    previous = recommendation.status
    if row is not None:
        row.status, row.rag, row.latest = status, rag, update
        row.save(update_fields=["status", "rag", "latest", "updated_at"])
        recommendation.status, recommendation.rag = rollup(list(
            SystemStatus.objects.filter(recommendation=recommendation)
            .values_list("status", "rag")))
    else:
        recommendation.status, recommendation.rag = status, rag
    recommendation.save(update_fields=["status", "rag", "updated_at"])
    return update, previous


@transaction.atomic
def set_per_system(*, recommendation: Recommendation, per_system: bool, by) -> Recommendation:
    """Track ``recommendation`` per system (a status for each system of the review's region)
    or as one. Switching on starts each system from its latest update, else the
    recommendation's status; switching off keeps the history and the rolled-up status."""
    recommendation = (Recommendation.objects.select_for_update().select_related("review")
                      .get(pk=recommendation.pk))
    if getattr(by, "is_authenticated", False):
        access = access_for(by, recommendation.review)
        if not access.has("manage_review"):
            raise NotAllowed("Only a lead of the review can choose how a recommendation is "
                             "tracked")
    if recommendation.per_system == per_system:
        return recommendation
    review = recommendation.review
    if per_system:
        if review.region_id is None:
            raise InvalidInput("The review has no region, so it has no systems to track")
        systems = OrgTree.shared().below(review.region_id, levels=[OrganisationLevel.SYSTEM])
        if not systems:
            raise InvalidInput("The review's region has no systems in the organisation register")
        latest = {}
        for update in (ProgressUpdate.objects.filter(recommendation=recommendation,
                                                     organisation__isnull=False)
                       .order_by("reported_at", "id")):
            latest[update.organisation_id] = update
        status = (recommendation.status if recommendation.status in PROGRESS_STATUSES
                  else RecommendationStatus.AGREED)
        SystemStatus.objects.bulk_create([
            SystemStatus(recommendation=recommendation, organisation_id=system.id,
                         status=latest[system.id].status if system.id in latest else status,
                         rag=latest[system.id].rag if system.id in latest else recommendation.rag,
                         latest=latest.get(system.id))
            for system in systems])
        if recommendation.status != RecommendationStatus.DRAFT:
            recommendation.status, recommendation.rag = rollup(list(
                SystemStatus.objects.filter(recommendation=recommendation)
                .values_list("status", "rag")))
    else:
        SystemStatus.objects.filter(recommendation=recommendation).delete()
    recommendation.per_system = per_system
    recommendation.save(update_fields=["per_system", "status", "rag", "updated_at"])
    audit.record(actor=by, verb="recommendation.per_system", subject=recommendation,
                 review=review, per_system=per_system)
    return recommendation


__all__ = ["ATTACHMENT_TYPES", "MAX_ATTACHMENT_BYTES", "check_attachment", "clean_links",
           "record_progress", "rollup", "set_per_system"]
