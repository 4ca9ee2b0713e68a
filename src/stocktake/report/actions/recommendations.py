"""Building the report's recommendations: add, edit, move, delete and cite findings.

Numbering follows one rule (:func:`stocktake.report.recommendation_queries.numbers_frozen`):

- while the report was never published, the numbers run 1, 2, 3… through the report in
  reading order (theme sections in framework order, then the further recommendations);
  every addition, move and deletion renumbers them
  (:func:`stocktake.report.actions.renumber_recommendations`);
- once it was published (a ReportVersion exists), numbers are frozen: a new
  recommendation takes the highest number plus one, a move to another theme keeps its
  number, reordering within a theme and deleting are refused
  (docs/adr/0008-reportrecs-recommendation-numbering.md).

Each action is atomic, takes the actor as ``by`` and is audited (numbers and field
names, never the words). Citing and unciting a finding add or remove one link and do not
raise the recommendation's revision: the edit form does not carry citations, so a
citation made meanwhile never makes someone's edit of the wording fail.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max

from stocktake.collect.models import Finding, SubmissionStatus
from stocktake.core import audit
from stocktake.core.errors import InvalidInput
from stocktake.report.actions import (
    create_recommendation,
    renumber_recommendations,
    update_recommendation,
)
from stocktake.report.models import Recommendation
from stocktake.report.recommendation_queries import numbers_frozen, section_of, themes_in_order
from stocktake.reviews.models import Review

# What the builder edits; the number follows from where the recommendation stands.
EDITABLE = ("text", "theme", "owner", "lead_contact", "due_date")
FROZEN = ("The report has been published, so recommendation numbers are frozen: "
          "nothing is renumbered")


def _check_theme(review: Review, theme) -> None:
    if theme is not None and theme.framework_id != review.framework_id:
        raise InvalidInput(f"Theme {theme.key!r} is not part of this review's framework")


def _next_number(review: Review) -> int:
    return (review.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1


def _renumber_if_live(review: Review, by) -> None:
    if not numbers_frozen(review):
        renumber_recommendations(review=review, by=by)


def _lock_numbering(review_id: int) -> None:
    """One change to a review's numbers at a time: the review's row is locked until the
    transaction ends (PostgreSQL; SQLite writes one at a time anyway)."""
    Review.objects.select_for_update().filter(pk=review_id).values_list("pk", flat=True).first()


def _lock(recommendation: Recommendation) -> Recommendation:
    """The recommendation read again, its review's numbering locked first."""
    _lock_numbering(recommendation.review_id)
    return Recommendation.objects.select_for_update().select_related("review").get(
        pk=recommendation.pk)


@transaction.atomic
def add_recommendation(*, review: Review, text: str, by, theme=None, owner=None,
                       lead_contact: str = "", due_date: dt.date | None = None,
                       findings=()) -> Recommendation:
    """Add a recommendation at the end of its theme's section (or of the further ones).

    While never published the report is renumbered so that it reads 1, 2, 3…; once
    published it takes the highest number plus one and nothing else moves.
    """
    _check_theme(review, theme)
    findings = list(findings)
    _check_citable(review, findings)
    _lock_numbering(review.pk)
    rec = create_recommendation(
        review=review, text=text, by=by, theme=theme, owner=owner, findings=findings,
        lead_contact=lead_contact, due_date=due_date)
    _renumber_if_live(review, by)
    rec.refresh_from_db()
    return rec


@transaction.atomic
def edit_recommendation(*, recommendation: Recommendation, by,
                        expected_revision: int | None = None, **changes) -> Recommendation:
    """Change any of ``EDITABLE``; refused (EditConflict) when made from an older revision.

    A change of theme moves it to the end of the new theme's section: renumbered while
    never published, keeping its number once published.
    """
    for name in changes:
        if name not in EDITABLE:
            raise InvalidInput(f"The {name!r} of a recommendation cannot be changed here; "
                               f"these can: {', '.join(EDITABLE)}")
    rec = _lock(recommendation)
    review = rec.review
    frozen = numbers_frozen(review)
    moving = "theme" in changes and getattr(changes["theme"], "pk", None) != rec.theme_id
    if moving:
        _check_theme(review, changes["theme"])
        if not frozen:
            changes["number"] = _next_number(review)  # last of all, then renumbered
    rec = update_recommendation(recommendation=rec, by=by, expected_revision=expected_revision,
                                **changes)
    if moving and not frozen:
        renumber_recommendations(review=review, by=by)
        rec.refresh_from_db()
    return rec


@transaction.atomic
def move_to_theme(*, recommendation: Recommendation, theme, by,
                  expected_revision: int | None = None) -> Recommendation:
    """Move it to ``theme``'s section (None: the further recommendations), at the end."""
    return edit_recommendation(recommendation=recommendation, by=by, theme=theme,
                               expected_revision=expected_revision)


@transaction.atomic
def move_recommendation(*, recommendation: Recommendation, direction: str,
                        by) -> Recommendation:
    """Move it one place ``"up"`` or ``"down"`` within its section, swapping numbers with
    its neighbour. Refused once the report is published (that would renumber both)."""
    if direction not in ("up", "down"):
        raise InvalidInput(f"Move a recommendation up or down, not {direction!r}")
    rec = _lock(recommendation)
    review = rec.review
    if numbers_frozen(review):
        raise InvalidInput(f"{FROZEN}; recommendation {rec.number} cannot be moved within "
                           "its theme. Moving it to another theme keeps its number.")
    renumber_recommendations(review=review, by=by)  # numbers in reading order first
    rec.refresh_from_db()
    section = section_of(rec, review.recommendations.all(), themes_in_order(review))
    index = next(i for i, other in enumerate(section) if other.pk == rec.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(section):
        where = "first" if direction == "up" else "last"
        raise InvalidInput(f"Recommendation {rec.number} is already the {where} in its section")
    other = section[target]
    mine, theirs = rec.number, other.number
    # Through a free number, so the unique (review, number) constraint never clashes.
    Recommendation.objects.filter(pk=rec.pk).update(number=_next_number(review))
    Recommendation.objects.filter(pk=other.pk).update(number=mine)
    Recommendation.objects.filter(pk=rec.pk).update(number=theirs)
    audit.record(actor=by, verb="recommendation.moved", subject=rec, review=review,
                 direction=direction, number=theirs, changes={str(mine): theirs,
                                                              str(theirs): mine})
    rec.refresh_from_db()
    return rec


def deletion_refusal(recommendation: Recommendation) -> str:
    """Why it may not be deleted ("" when it may): published, or answered already."""
    if numbers_frozen(recommendation.review):
        return (f"Recommendation {recommendation.number} cannot be deleted: the report has "
                "been published with it and its number stays. Reword it, or record it as "
                "superseded when tracking progress.")
    responses = recommendation.responses.count()
    progress = recommendation.progress_updates.count()
    if responses or progress:
        held = " and ".join(part for part in (
            f"{responses} imported response{'s' if responses != 1 else ''}" if responses else "",
            f"{progress} progress update{'s' if progress != 1 else ''}" if progress else "")
            if part)
        return (f"Recommendation {recommendation.number} cannot be deleted: it has {held}.")
    return ""


@transaction.atomic
def delete_recommendation(*, recommendation: Recommendation, by) -> int:
    """Delete a recommendation of a report never published, then renumber the rest.
    Returns the number it had."""
    rec = _lock(recommendation)
    review = rec.review
    if refusal := deletion_refusal(rec):
        raise InvalidInput(refusal)
    number = rec.number
    audit.record(actor=by, verb="recommendation.deleted", subject=rec, review=review,
                 number=number, cited=rec.findings.count())
    Recommendation.objects.filter(pk=rec.pk).delete()
    renumber_recommendations(review=review, by=by)
    return number


def _check_citable(review: Review, findings: list) -> None:
    """Refuse findings of another review, or not submitted (as stored now)."""
    if any(finding.review_id != review.pk for finding in findings):
        raise InvalidInput("A recommendation can cite only findings of its own review")
    draft = (Finding.objects.filter(pk__in=[f.pk for f in findings])
             .exclude(submission__status=SubmissionStatus.SUBMITTED)
             .order_by("pk").values_list("pk", flat=True).first())
    if draft is not None:
        raise InvalidInput(f"Finding {draft} is not submitted yet; only submitted findings "
                           "can be cited")


@transaction.atomic
def cite_finding(*, recommendation: Recommendation, finding, by) -> bool:
    """Cite ``finding`` (a submitted finding of the review) as evidence; False when it
    already was."""
    rec = _lock(recommendation)
    _check_citable(rec.review, [finding])
    if rec.findings.filter(pk=finding.pk).exists():
        return False
    rec.findings.add(finding)
    audit.record(actor=by, verb="recommendation.cited", subject=rec, review=rec.review,
                 number=rec.number, finding=finding.pk)
    return True


@transaction.atomic
def uncite_finding(*, recommendation: Recommendation, finding, by) -> bool:
    """Stop citing ``finding``; False when it was not cited."""
    rec = _lock(recommendation)
    if not rec.findings.filter(pk=finding.pk).exists():
        return False
    rec.findings.remove(finding)
    audit.record(actor=by, verb="recommendation.uncited", subject=rec, review=rec.review,
                 number=rec.number, finding=finding.pk)
    return True
