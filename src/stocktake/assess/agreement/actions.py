"""Every change to a double-coding exercise: start, code blind, close or reopen, reconcile.

Audit events name ids and counts only, never a finding's text.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from stocktake.assess.actions import confirm_code
from stocktake.assess.agreement.models import (
    AgreementCoder,
    AgreementExercise,
    AgreementItem,
    AgreementJudgement,
)
from stocktake.assess.models import Code, CodeOrigin
from stocktake.collect.models import Finding, SubmissionStatus
from stocktake.core import audit
from stocktake.core.actors import acting_user
from stocktake.core.errors import InvalidInput, NotAllowed
from stocktake.reviews.frameworks import items_of
from stocktake.reviews.models import Review
from stocktake.reviews.permissions import access_for

MAX_SAMPLE = 500
MIN_CODERS = 2


def _require(by, review: Review, capability: str) -> None:
    if by is not None and not access_for(by, review).has(capability):
        raise NotAllowed(f"You do not have permission to {capability.replace('_', ' ')}")


def _sample(review: Review, size: int, seed: int) -> list[int]:
    """``size`` submitted findings of the review, drawn by ``seed`` (the same seed, the same sample)."""
    ids = list(Finding.objects.filter(review=review, submission__status=SubmissionStatus.SUBMITTED)
               .order_by("pk").values_list("pk", flat=True))
    if not ids:
        raise InvalidInput("This review has no submitted findings to sample yet")
    if size > len(ids):
        raise InvalidInput(f"The sample size ({size}) is larger than the review's "
                           f"{len(ids)} submitted findings")
    return random.Random(seed).sample(ids, size)


@transaction.atomic
def start_exercise(*, review: Review, title: str, coders, size: int, seed: int, by
                   ) -> AgreementExercise:
    """A new exercise: ``size`` findings drawn at random, to be coded blind by every one of ``coders``."""
    _require(by, review, "manage_review")
    title = (title or "").strip()
    if not title:
        raise InvalidInput("Give the exercise a title")
    if not 1 <= size <= MAX_SAMPLE:
        raise InvalidInput(f"The sample size must be between 1 and {MAX_SAMPLE}")
    coders = list(dict.fromkeys(coders))
    if len(coders) < MIN_CODERS:
        raise InvalidInput("Choose at least two coders")
    for user in coders:
        if not access_for(user, review).has("code_findings"):
            raise InvalidInput(f"{user.get_username()} cannot code findings in this review")
    exercise = AgreementExercise.objects.create(review=review, title=title[:200], seed=seed,
                                                created_by=acting_user(by))
    AgreementCoder.objects.bulk_create(
        AgreementCoder(exercise=exercise, user=user, position=n)
        for n, user in enumerate(coders, start=1))
    AgreementItem.objects.bulk_create(
        AgreementItem(exercise=exercise, finding_id=finding_id, position=n)
        for n, finding_id in enumerate(_sample(review, size, seed), start=1))
    audit.record(actor=by, verb="agreement.started", subject=exercise, review=review,
                 size=size, seed=seed, coders=len(coders))
    return exercise


def coder_of(exercise: AgreementExercise, user) -> AgreementCoder | None:
    """The user's place in the exercise, or None if they are not one of its coders."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return exercise.coders.filter(user=user).first()


@transaction.atomic
def record_judgement(*, item: AgreementItem, themes, domain=None, by) -> AgreementJudgement:
    """The acting coder's themes (and domain) for one sampled finding; coding it again replaces them."""
    exercise = AgreementExercise.objects.select_for_update().get(pk=item.exercise_id)
    if not exercise.is_open:
        raise InvalidInput("This exercise is closed: reopen it to change a coding")
    coder = coder_of(exercise, by)
    if coder is None:
        raise NotAllowed("Only the exercise's coders can code its sample")
    framework = items_of(exercise.review.framework)
    allowed = {theme.pk for theme in framework.themes}
    themes = list(themes)
    if any(theme.pk not in allowed for theme in themes):
        raise InvalidInput("A chosen theme is not part of this review's framework")
    if domain is not None and domain.pk not in {d.pk for d in framework.domains}:
        raise InvalidInput("The chosen domain is not part of this review's framework")
    judgement, created = AgreementJudgement.objects.update_or_create(
        item=item, coder=coder, defaults={"domain": domain, "decided_at": timezone.now()})
    judgement.themes.set(themes)
    audit.record(actor=by, verb="agreement.coded", subject=judgement, review=exercise.review,
                 exercise=exercise.pk, item=item.pk, themes=len(themes), created=created)
    return judgement


@transaction.atomic
def close_exercise(*, exercise: AgreementExercise, by) -> AgreementExercise:
    """Stop further coding; the results stay as they are."""
    _require(by, exercise.review, "manage_review")
    exercise.status = AgreementExercise.Status.CLOSED
    exercise.closed_at = timezone.now()
    exercise.save(update_fields=["status", "closed_at"])
    audit.record(actor=by, verb="agreement.closed", subject=exercise, review=exercise.review)
    return exercise


@transaction.atomic
def reopen_exercise(*, exercise: AgreementExercise, by) -> AgreementExercise:
    _require(by, exercise.review, "manage_review")
    exercise.status = AgreementExercise.Status.OPEN
    exercise.closed_at = None
    exercise.save(update_fields=["status", "closed_at"])
    audit.record(actor=by, verb="agreement.reopened", subject=exercise, review=exercise.review)
    return exercise


@transaction.atomic
def reconcile(*, item: AgreementItem, themes, by) -> AgreementItem:
    """Settle a sampled finding's themes after the coders compared notes: the last word on it.

    The chosen themes become reviewers' decisions on the finding (as if confirmed on
    its page). Every other theme that a coder chose, or that a reviewer had decided
    on before, is recorded as not applying, so the disagreement does not come back
    as a machine suggestion. Reconciling again replaces the earlier settlement.
    """
    review = item.exercise.review
    _require(by, review, "code_findings")
    framework_themes = {theme.pk: theme for theme in items_of(review.framework).themes}
    chosen = {theme.pk for theme in themes}
    if not chosen <= framework_themes.keys():
        raise InvalidInput("A chosen theme is not part of this review's framework")
    proposed = set(AgreementJudgement.themes.through.objects
                   .filter(agreementjudgement__item=item).values_list("theme_id", flat=True))
    finding = item.finding
    decided = set(Code.objects.filter(finding=finding, origin=CodeOrigin.HUMAN)
                  .values_list("theme_id", flat=True))
    for theme_id in sorted((chosen | proposed | decided) & framework_themes.keys()):
        confirm_code(finding=finding, theme=framework_themes[theme_id], by=by,
                     applies=theme_id in chosen)
    item.reconciled_by = acting_user(by)
    item.reconciled_at = timezone.now()
    item.save(update_fields=["reconciled_by", "reconciled_at"])
    audit.record(actor=by, verb="agreement.reconciled", subject=item, review=review,
                 exercise=item.exercise_id, finding=finding.pk, themes=len(chosen))
    return item
