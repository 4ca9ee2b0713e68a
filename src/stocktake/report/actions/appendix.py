"""State changes of the report's case studies: add, edit, consent, exclude, reorder.

A case study reaches the report only once consent to publish it is recorded and while it
is not excluded (:func:`stocktake.report.build.texts.case_study_items`). Each action is
atomic, takes the actor as ``by`` (None: the command line) and records an audit event
without the story, the person or the consent note (they are personal). Edits made from
an older revision are refused (:func:`stocktake.core.edits.check_revision`).
(Curating best-practice examples lives with the examples, in :mod:`stocktake.collect.actions`.)
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from stocktake.collect import actions as collect_actions
from stocktake.core import audit
from stocktake.core.actors import acting_user
from stocktake.core.edits import apply_changes, check_fields, check_revision
from stocktake.core.errors import InvalidInput, NotAllowed
from stocktake.report.actions import create_case_study
from stocktake.report.models import CaseStudy
from stocktake.reviews.models import Participant, Review
from stocktake.reviews.permissions import access_for

MAX_TEXT = 20_000  # characters of one case study
MAX_NOTE = 255  # characters of a consent note

CASE_STUDY_FIELDS = ("title", "person", "organisation", "text")



def _require_editor(review: Review, by) -> None:
    if by is not None and not access_for(by, review).has("edit_report"):
        raise NotAllowed("Only the review's leads and reviewers may edit the report's case studies")


def _field_error(message: str, field: str) -> InvalidInput:
    error = InvalidInput(message)
    error.field = field  # for a form: the field the message is about
    return error


def _clean(review: Review, changes: dict, *, current_organisation_id: int | None = None) -> dict:
    """``changes`` tidied and checked: a title and text are required; the organisation, if
    any, takes part in the review or is in its region."""
    if "title" in changes:
        changes["title"] = " ".join(str(changes["title"] or "").split())
        if not changes["title"]:
            raise _field_error("A case study needs a title", "title")
        if len(changes["title"]) > 255:
            raise _field_error(f"The title is {len(changes['title'])} characters; at most 255 fit",
                               "title")
    if "person" in changes:
        changes["person"] = " ".join(str(changes["person"] or "").split())[:255]
    if "text" in changes:
        changes["text"] = str(changes["text"] or "").replace("\r\n", "\n").strip()
        if not changes["text"]:
            raise _field_error("A case study needs its text", "text")
        if len(changes["text"]) > MAX_TEXT:
            raise _field_error(f"The text is {len(changes['text']):,} characters; at most "
                               f"{MAX_TEXT:,} fit", "text")
    organisation = changes.get("organisation")
    if (organisation is not None and organisation.pk != current_organisation_id
            and not _may_name(review, organisation)):
        raise _field_error(f"{organisation.name} is neither taking part in {review.title} nor in "
                           "its region", "organisation")
    return changes


def _may_name(review: Review, organisation) -> bool:
    if review.region_id is None:
        return True
    if Participant.objects.filter(review=review, organisation=organisation).exists():
        return True
    node, seen = organisation, set()
    while node is not None and node.pk not in seen:
        if node.pk == review.region_id:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


@transaction.atomic
def add_case_study(*, review: Review, title: str, text: str, by, person: str = "",
                   organisation=None) -> CaseStudy:
    """Add a case study at the end of the report's list; consent is not yet recorded."""
    _require_editor(review, by)
    fields = _clean(review, {"title": title, "text": text, "person": person,
                             "organisation": organisation})
    study = create_case_study(review=review, by=by, **fields)
    last = (CaseStudy.objects.filter(review=review).exclude(pk=study.pk)
            .aggregate(n=Max("position"))["n"])
    study.position = 0 if last is None else last + 1
    study.save(update_fields=["position"])
    return study


@transaction.atomic
def update_case_study(*, study: CaseStudy, by, expected_revision: int | None = None,
                      **changes) -> CaseStudy:
    """Change any of ``CASE_STUDY_FIELDS``; the audit event names the fields that changed."""
    check_fields(changes, allowed=CASE_STUDY_FIELDS, what="a case study")
    study = CaseStudy.objects.select_for_update().select_related("review").get(pk=study.pk)
    _require_editor(study.review, by)
    check_revision(study, expected_revision, what="this case study")
    changes = _clean(study.review, changes, current_organisation_id=study.organisation_id)
    before = {field: getattr(study, field) for field in CaseStudy.personal_data_fields}
    changed = apply_changes(study, changes)
    if changed:
        study.revision += 1
        study.save(update_fields=[*changed, "revision"])
        audit.record(actor=by, verb="case_study.updated", subject=study, review=study.review,
                     fields=changed)
        # Its personal data found again in what changed; what a lead kept stays kept.
        collect_actions.reflag_personal_data(obj=study, fields=changed, by=by, before=before)
    return study


@transaction.atomic
def record_consent(*, study: CaseStudy, note: str, by,
                   expected_revision: int | None = None) -> CaseStudy:
    """Record that the person agreed to publish it: how (``note``: "signed form, 3 March");
    who recorded it and when are set here."""
    study = CaseStudy.objects.select_for_update().select_related("review").get(pk=study.pk)
    _require_editor(study.review, by)
    check_revision(study, expected_revision, what="this case study")
    note = " ".join(str(note or "").split())
    if not note:
        raise _field_error("Say how consent was given, for example “signed consent form, "
                           "3 March 2025”", "note")
    if len(note) > MAX_NOTE:
        raise _field_error(f"The note is {len(note)} characters; at most {MAX_NOTE} fit", "note")
    study.consent_recorded, study.consent_note = True, note
    study.consent_recorded_by, study.consent_recorded_at = acting_user(by), timezone.now()
    study.revision += 1
    study.save(update_fields=["consent_recorded", "consent_note", "consent_recorded_by",
                              "consent_recorded_at", "revision"])
    audit.record(actor=by, verb="case_study.consent_recorded", subject=study,
                 review=study.review)
    return study


@transaction.atomic
def withdraw_consent(*, study: CaseStudy, by) -> CaseStudy:
    """Consent withdrawn (or recorded by mistake): the case study leaves the report."""
    study = CaseStudy.objects.select_for_update().select_related("review").get(pk=study.pk)
    _require_editor(study.review, by)
    if not study.consent_recorded:
        raise InvalidInput("Consent to publish this case study is not recorded")
    study.consent_recorded, study.consent_note = False, ""
    study.consent_recorded_by, study.consent_recorded_at = None, None
    study.revision += 1
    study.save(update_fields=["consent_recorded", "consent_note", "consent_recorded_by",
                              "consent_recorded_at", "revision"])
    audit.record(actor=by, verb="case_study.consent_withdrawn", subject=study,
                 review=study.review)
    return study


@transaction.atomic
def set_case_study_excluded(*, study: CaseStudy, excluded: bool, by) -> CaseStudy:
    """Leave a case study out of the report (kept, unpublished), or take it back."""
    study = CaseStudy.objects.select_for_update().select_related("review").get(pk=study.pk)
    _require_editor(study.review, by)
    if study.excluded == bool(excluded):
        return study
    study.excluded = bool(excluded)
    study.revision += 1
    study.save(update_fields=["excluded", "revision"])
    audit.record(actor=by, verb="case_study.excluded" if excluded else "case_study.included",
                 subject=study, review=study.review)
    return study


@transaction.atomic
def move_case_study(*, study: CaseStudy, offset: int, by) -> CaseStudy:
    """Move a case study up (``offset`` -1) or down (+1) the report's list; the review's
    case studies are numbered 0, 1, 2… in their new order."""
    study = CaseStudy.objects.select_related("review").get(pk=study.pk)
    _require_editor(study.review, by)
    if offset not in (-1, 1):
        raise InvalidInput(f"Move a case study by -1 (up) or 1 (down), not {offset!r}")
    order = list(CaseStudy.objects.select_for_update().filter(review_id=study.review_id)
                 .order_by("position", "id"))
    index = next(i for i, s in enumerate(order) if s.pk == study.pk)
    target = index + offset
    if not 0 <= target < len(order):
        return study
    order[index], order[target] = order[target], order[index]
    for position, item in enumerate(order):
        if item.position != position:
            CaseStudy.objects.filter(pk=item.pk).update(position=position)
    audit.record(actor=by, verb="case_study.moved", subject=study, review=study.review,
                 position=target)
    return CaseStudy.objects.get(pk=study.pk)
