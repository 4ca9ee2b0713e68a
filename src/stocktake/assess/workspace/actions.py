"""Decisions from the coding workspace: one finding's themes together, or every suggestion
above a confidence at once; and undoing either. Audit events name ids and counts only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from stocktake.assess.actions import confirm_code
from stocktake.assess.models import Code, CodeOrigin, ReviewPriority
from stocktake.assess.workspace.queries import bulk_candidates, finding_state
from stocktake.collect.models import Finding
from stocktake.core import audit
from stocktake.core.actors import acting_user
from stocktake.core.errors import EditConflict, InvalidInput, NotAllowed
from stocktake.reviews.models import Review, Theme
from stocktake.reviews.permissions import access_for

BULK_LIMIT = 5_000  # codes a bulk accept writes at once: a short write transaction


def _require(by, review: Review, capability: str = "code_findings") -> None:
    if by is not None and not access_for(by, review).has(capability):
        raise NotAllowed(f"You do not have permission to {capability.replace('_', ' ')}")


def new_batch() -> str:
    return uuid.uuid4().hex


@transaction.atomic
def save_decisions(*, finding: Finding, accepted: list[Theme], rejected: list[Theme],
                   expected: str, by) -> str:
    """A reviewer's themes for one finding: ``accepted`` apply, ``rejected`` do not.

    ``expected`` is the finding's state the reviewer's page showed
    (:func:`~stocktake.assess.workspace.queries.finding_state`); when another reviewer
    has decided on the finding since, nothing is saved and EditConflict says so.
    Returns the batch that undoes these decisions together.
    """
    _require(by, finding.review)
    if set(accepted) & set(rejected):
        raise InvalidInput("A theme cannot both apply and not apply")
    if not accepted and not rejected:
        raise InvalidInput("Choose at least one theme, or reject the suggestions")
    Finding.objects.select_for_update().filter(pk=finding.pk).first()  # one decider at a time
    if finding_state(finding.pk) != expected:
        raise EditConflict("Another reviewer decided on this finding after you opened it. "
                           "Nothing was changed.")
    batch = new_batch()
    for theme in accepted:
        confirm_code(finding=finding, theme=theme, by=by, applies=True, batch=batch)
    for theme in rejected:
        confirm_code(finding=finding, theme=theme, by=by, applies=False, batch=batch)
    return batch


@dataclass(frozen=True)
class BulkResult:
    batch: str
    codes: int
    findings: int
    more: bool  # more suggestions qualified than one bulk accept writes


@transaction.atomic
def bulk_accept(*, review: Review, findings, min_score: float, theme: Theme | None = None,
                by) -> BulkResult:
    """Accept every machine suggestion scored ``min_score`` or more (of ``theme``, if given) on
    the undecided findings among ``findings`` (already scoped to the reviewer), as reviewers'
    decisions in one batch. At most BULK_LIMIT codes at a time."""
    _require(by, review)
    if not 0 < min_score <= 1:
        raise InvalidInput("The confidence must be above 0 and at most 1")
    candidates = list(bulk_candidates(review=review, findings=findings, min_score=min_score,
                                      theme=theme).values_list("finding_id", "theme_id")
                      [:BULK_LIMIT + 1])
    more = len(candidates) > BULK_LIMIT
    candidates = candidates[:BULK_LIMIT]
    if not candidates:
        raise InvalidInput("No undecided finding has a suggestion at or above that confidence")
    batch, now, user = new_batch(), timezone.now(), acting_user(by)
    Code.objects.bulk_create(
        Code(finding_id=finding_id, theme_id=theme_id, origin=CodeOrigin.HUMAN, applies=True,
             confirmed_by=user, confirmed_at=now, batch=batch)
        for finding_id, theme_id in candidates)
    finding_ids = {finding_id for finding_id, _ in candidates}
    ReviewPriority.objects.filter(finding_id__in=finding_ids).delete()
    audit.record(actor=by, verb="code.bulk_accepted", review=review, batch=batch,
                 codes=len(candidates), findings=len(finding_ids), min_score=min_score,
                 theme=theme.key if theme else "")
    return BulkResult(batch=batch, codes=len(candidates), findings=len(finding_ids), more=more)


@transaction.atomic
def undo_batch(*, review: Review, batch: str, by) -> int:
    """Take back a batch of decisions: yours, or anyone's if you lead the review.

    Only decisions still as the batch left them are taken back; one changed since
    (by anyone) stays. The findings go back in the queue.
    """
    _require(by, review)
    codes = Code.objects.filter(finding__review=review, origin=CodeOrigin.HUMAN, batch=batch)
    if by is not None and not access_for(by, review).has("manage_review"):
        codes = codes.filter(confirmed_by=acting_user(by))
    finding_ids = set(codes.values_list("finding_id", flat=True))
    if not finding_ids:
        raise InvalidInput("Those decisions were already undone or changed since")
    deleted, _ = codes.delete()
    still = Code.objects.filter(finding_id=OuterRef("pk"), origin=CodeOrigin.HUMAN)
    requeued = Finding.objects.filter(pk__in=finding_ids).exclude(Exists(still)).count()
    audit.record(actor=by, verb="code.batch_undone", review=review, batch=batch, codes=deleted,
                 findings=len(finding_ids), requeued=requeued)
    return deleted
