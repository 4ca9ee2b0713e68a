"""State changes for submissions, findings and examples.

Importing whole documents lives in :mod:`stocktake.collect.importing`, which
calls the bulk action here so that a document lands in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from stocktake.analysis import pii
from stocktake.analysis.errors import InputError
from stocktake.collect import personal_data
from stocktake.collect.choices import mapping_from
from stocktake.collect.form_findings import MAX_FIELD_CHARS, example_title, form_items
from stocktake.collect.models import (
    REPLACED,
    STOPPED_BY_LEAD,
    BatchFileOutcome,
    Example,
    Finding,
    ImportBatch,
    ImportBatchFile,
    ImportBatchRecord,
    Invitation,
    InvitationKind,
    OrganisationApproach,
    Origin,
    PersonalDataFlag,
    PersonalDataStatus,
    Polarity,
    SavedMapping,
    SectionKind,
    SourceDocument,
    Submission,
    SubmissionSection,
    SubmissionStatus,
)
from stocktake.collect.similarity.actions import findings_changed
from stocktake.collect.tokens import hash_token, new_token
from stocktake.core import audit
from stocktake.core.edits import apply_changes, check_fields, check_revision
from stocktake.core.errors import InvalidInput, InvalidTransition, NotAllowed
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import Domain, Participant, Review, Role
from stocktake.reviews.permissions import access_for
from stocktake.reviews.workflow import ReviewStatus

# Sections whose findings state their own polarity.
SECTION_POLARITY = {
    SectionKind.ACHIEVEMENTS: Polarity.ACHIEVEMENT,
    SectionKind.CHALLENGES: Polarity.CHALLENGE,
}


@dataclass(frozen=True)
class NewFinding:
    """A finding to be stored by :func:`add_findings`."""

    text: str
    domain: Domain | None = None
    section: str = SectionKind.GENERAL
    polarity: str | None = None
    source_location: str = ""
    # Where ``polarity`` came from (collect.models.Origin), when not the source: a review
    # loaded from another database keeps its findings' origins.
    polarity_origin: str | None = None


@transaction.atomic
def create_submission(
    *, participant: Participant, by, source_document: SourceDocument | None = None,
    status: str = SubmissionStatus.DRAFT,
) -> Submission:
    submission = Submission.objects.create(
        review=participant.review, participant=participant, source_document=source_document,
        status=status, submitted_at=timezone.now() if status == SubmissionStatus.SUBMITTED else None,
    )
    audit.record(
        actor=by, verb="submission.created", subject=submission, review=participant.review,
        organisation=participant.organisation.name, status=status,
    )
    return submission


def require_collecting(review: Review) -> None:
    """Contributors save and submit only while the review collects submissions."""
    if review.status != ReviewStatus.COLLECTING:
        raise InvalidTransition(
            f"Submissions to {review.title} are closed (the review is "
            f"{review.get_status_display().lower()}), so nothing can be saved or submitted")


@transaction.atomic
def save_section(
    *, submission: Submission, domain: Domain | None, kind: str, text: str, by
) -> SubmissionSection:
    require_collecting(submission.review)
    if submission.status != SubmissionStatus.DRAFT:
        raise InvalidTransition("A submitted submission can no longer be edited")
    section, _ = SubmissionSection.objects.update_or_create(
        submission=submission, domain=domain, kind=kind, defaults={"text": text}
    )
    audit.record(
        actor=by, verb="submission.section_saved", subject=submission,
        review=submission.review, domain=domain.key if domain else None, kind=kind,
    )
    return section


def _locked_draft(submission: Submission) -> Submission:
    """The submission, locked for update, if it is a draft the review still collects."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    require_collecting(submission.review)
    if submission.status != SubmissionStatus.DRAFT:
        raise InvalidTransition("This submission has already been submitted")
    return submission


@transaction.atomic
def submit_submission(*, submission: Submission, by) -> Submission:
    submission = _locked_draft(submission)
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.record(actor=by, verb="submission.submitted", subject=submission, review=submission.review)
    return submission


def _finding(submission: Submission, item: NewFinding, position: int) -> Finding:
    text = " ".join(item.text.split())
    if not text:
        raise InvalidInput(f"Finding {position + 1} has no text")
    polarity, origin = item.polarity, Origin.SOURCE
    if polarity is None:
        polarity = SECTION_POLARITY.get(item.section)
        origin = Origin.SOURCE if polarity else Origin.MACHINE
    if item.polarity_origin is not None:
        if item.polarity_origin not in Origin.values:
            raise InvalidInput(f"Finding {position + 1}: unknown polarity origin "
                               f"{item.polarity_origin!r}")
        origin = item.polarity_origin
    if polarity is not None and polarity not in Polarity.values:
        raise InvalidInput(f"Finding {position + 1}: unknown polarity {polarity!r}")
    return Finding(
        review_id=submission.review_id, submission=submission,
        organisation_id=submission.participant.organisation_id, domain=item.domain,
        section=item.section, text=text, polarity=polarity or Polarity.NEUTRAL,
        polarity_origin=origin, source_document_id=submission.source_document_id,
        source_location=item.source_location[:255], position=position,
    )


@transaction.atomic
def add_findings(
    *, submission: Submission, findings: Iterable[NewFinding], by
) -> list[Finding]:
    """Store many findings of one submission at once (used by importers and forms)."""
    start = submission.findings.count()
    objects = [_finding(submission, item, start + i) for i, item in enumerate(findings)]
    created = Finding.objects.bulk_create(objects, batch_size=500)
    audit.record(
        actor=by, verb="findings.added", subject=submission, review=submission.review,
        count=len(created),
    )
    flag_personal_data(review=submission.review, items=created, by=by, subject=submission)
    if created:
        findings_changed(review_id=submission.review_id)
    return created


@transaction.atomic
def add_example(
    *, review: Review, title: str, by, synopsis: str = "", organisation=None, domain=None,
    submission: Submission | None = None, source_document: SourceDocument | None = None,
    source_location: str = "", finding: Finding | None = None,
) -> Example:
    """Store a best-practice example; ``finding``: the finding a reviewer marked as one."""
    title = " ".join(title.split())
    if not title:
        raise InvalidInput("An example needs a title")
    example = Example.objects.create(
        review=review, title=title[:255], synopsis=synopsis.strip(), organisation=organisation,
        domain=domain, submission=submission, source_document=source_document,
        source_location=source_location[:255], finding=finding,
    )
    audit.record(actor=by, verb="example.added", subject=example, review=review,
                 **({"finding": finding.pk} if finding is not None else {}))
    flag_personal_data(review=review, items=[example], by=by, subject=example)
    return example


@transaction.atomic
def record_approach(
    *, review: Review, organisation, text: str, by, source_document: SourceDocument | None = None,
    source_location: str = "",
) -> OrganisationApproach:
    """Record how an organisation went about its learning for the review (from an imported
    table's approach/method column); the same text from the same file is recorded once."""
    text = "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())
    if not text:
        raise InvalidInput("An approach needs some text")
    approach, created = OrganisationApproach.objects.get_or_create(
        review=review, organisation=organisation, source_document=source_document, text=text,
        defaults={"source_location": source_location[:255]})
    if created:
        audit.record(actor=by, verb="approach.recorded", subject=approach, review=review,
                     organisation=organisation.pk)
    return approach


@transaction.atomic
def set_polarity(*, finding: Finding, polarity: str, by) -> Finding:
    if polarity not in Polarity.values:
        raise InvalidInput(f"Unknown polarity {polarity!r}")
    previous = finding.polarity
    finding.polarity = polarity
    finding.polarity_origin = Origin.HUMAN
    finding.save(update_fields=["polarity", "polarity_origin"])
    audit.record(
        actor=by, verb="finding.polarity_set", subject=finding, review=finding.review,
        previous=previous, polarity=polarity,
    )
    return finding


# What a reviewer's correction of a finding may change; where it came from stays as it is.
FINDING_FIELDS = ("text", "domain", "organisation", "polarity", "section")
EXAMPLE_FIELDS = ("title", "synopsis", "organisation", "domain")


def _check_domain(domain, review_framework_id: int) -> None:
    if domain is not None and domain.framework_id != review_framework_id:
        raise InvalidInput(f"Domain {domain.key!r} is not part of this review's framework")


def _organisation_error(message: str) -> InvalidInput:
    error = InvalidInput(message)
    error.field = "organisation"  # for a form: the field the message is about
    return error


def _check_organisation(review: Review, organisation) -> None:
    """A finding or example may move only to an organisation taking part in the review or
    in its region (the register's organisations the upload preview offers)."""
    if Participant.objects.filter(review=review, organisation=organisation).exists():
        return
    node, seen = organisation, set()
    while review.region_id is not None and node is not None and node.pk not in seen:
        if node.pk == review.region_id:
            return
        seen.add(node.pk)
        node = node.parent
    if review.region_id is None:
        return
    raise _organisation_error(f"{organisation.name} is neither taking part in {review.title} nor "
                              "in its region: choose one of the review's organisations")


def _submission_for_move(obj, organisation, by, *, what: str) -> Submission | None:
    """The submission a finding or example belongs to once it moves to ``organisation``:
    that organisation's submission from the same file (made, and the organisation added as
    a participant, when there is none yet), so who may see it follows its organisation.
    Text written in an organisation's web form stays with that organisation."""
    _check_organisation(obj.review, organisation)
    current = obj.submission
    if current is None:
        return None
    if current.source_document_id is None:
        raise _organisation_error(
            f"{what} was written in {current.participant.organisation.name}'s web form, so it "
            "stays with that organisation; remove it instead if it does not belong there")
    participant = review_actions.add_participant(review=obj.review, organisation=organisation, by=by)
    target = (Submission.objects.filter(participant=participant,
                                        source_document_id=current.source_document_id)
              .order_by("id").first())
    if target is None:
        target = create_submission(participant=participant, by=by,
                                   source_document=current.source_document, status=current.status)
    return target


def _moves(obj, changes: dict, by, *, what: str, required: bool) -> dict:
    """``changes`` with the submission a new organisation needs, and the ids for the audit."""
    if "organisation" not in changes:
        return {}
    organisation = changes["organisation"]
    if organisation is None and obj.organisation_id is None:
        return {}
    if organisation is None:
        if required or obj.submission_id is not None:
            raise _organisation_error(f"{what} must belong to an organisation")
        return {"from_organisation": obj.organisation_id, "to_organisation": None}
    if organisation.pk == obj.organisation_id:
        return {}
    target = _submission_for_move(obj, organisation, by, what=what)
    if target is not None:
        changes["submission"] = target
    return {"from_organisation": obj.organisation_id, "to_organisation": organisation.pk}


@transaction.atomic
def correct_finding(*, finding: Finding, by, **changes) -> Finding:
    """Correct a finding: any of ``FINDING_FIELDS``, as keyword arguments.

    Text is required (spacing is tidied as on import); the domain comes from the
    review's framework; a polarity set here counts as a reviewer's, which the
    analysis never overwrites (as :func:`set_polarity`). A new organisation must
    take part in the review or be in its region; the finding moves to that
    organisation's submission from the same file (see :func:`_submission_for_move`).
    The audit event names the fields that changed (and the organisations' ids), never
    the text.
    """
    check_fields(changes, allowed=FINDING_FIELDS, what="a finding")
    finding = Finding.objects.select_for_update().select_related("review").get(pk=finding.pk)
    finding._before_edit = {"text": finding.text}
    if "text" in changes:
        changes["text"] = " ".join(str(changes["text"] or "").split())
        if not changes["text"]:
            raise InvalidInput("A finding needs its text")
    _check_domain(changes.get("domain"), finding.review.framework_id)
    if "polarity" in changes and changes["polarity"] not in Polarity.values:
        raise InvalidInput(f"Unknown polarity {changes['polarity']!r}")
    if "section" in changes and changes["section"] not in SectionKind.values:
        raise InvalidInput(f"Unknown section {changes['section']!r}")
    moved = _moves(finding, changes, by, what="A finding", required=True)
    changed = apply_changes(finding, changes)
    if "polarity" in changes and finding.polarity_origin != Origin.HUMAN:
        finding.polarity_origin = Origin.HUMAN
        changed = sorted({*changed, "polarity_origin"})
    if changed:
        finding.save(update_fields=changed)
        audit.record(actor=by, verb="finding.corrected", subject=finding, review=finding.review,
                     fields=changed, **moved)
        if "text" in changed:
            _reflag(finding, ["text"], by)
        if {"text", "organisation"} & set(changed):
            findings_changed(review_id=finding.review_id, findings=[finding.pk])
    return finding


@transaction.atomic
def update_example(*, example: Example, by, expected_revision: int | None = None,
                   **changes) -> Example:
    """Change an example: any of ``EXAMPLE_FIELDS``, as keyword arguments.

    The same rules as :func:`add_example` (a title is required and cut to 255
    characters); the domain comes from the review's framework. The audit event
    names the fields that changed. ``expected_revision``: the revision the editor's
    form was loaded with (EditConflict when someone changed the example since).
    """
    check_fields(changes, allowed=EXAMPLE_FIELDS, what="an example")
    example = Example.objects.select_for_update().select_related("review").get(pk=example.pk)
    check_revision(example, expected_revision, what="this example")
    example._before_edit = {"title": example.title, "synopsis": example.synopsis}
    if "title" in changes:
        changes["title"] = " ".join(str(changes["title"] or "").split())[:255]
        if not changes["title"]:
            raise InvalidInput("An example needs a title")
    if "synopsis" in changes:
        changes["synopsis"] = str(changes["synopsis"] or "").strip()
    _check_domain(changes.get("domain"), example.review.framework_id)
    moved = _moves(example, changes, by, what="An example", required=False)
    changed = apply_changes(example, changes)
    if changed:
        example.revision += 1
        example.save(update_fields=[*changed, "revision"])
        audit.record(actor=by, verb="example.updated", subject=example, review=example.review,
                     fields=changed, **moved)
        edited = [f for f in ("title", "synopsis") if f in changed]
        if edited:
            _reflag(example, edited, by)
    return example


@transaction.atomic
def record_source_document(
    *, review: Review, original_name: str, stored_path: str, sha256: str, size: int, format: str,
    by,
) -> SourceDocument:
    """Register a received file (the import action stores the bytes; see collect.importing)."""
    if SourceDocument.objects.filter(review=review, sha256=sha256).exists():
        raise InvalidInput(f"{original_name} has already been imported into {review.title}")
    document = SourceDocument.objects.create(
        review=review, original_name=original_name[:255], stored_path=stored_path[:500],
        sha256=sha256, size=size, format=format,
        imported_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        actor=by, verb="document.recorded", subject=document, review=review,
        name=original_name, sha256=sha256, format=format,
    )
    return document


# -- personal data (see collect.personal_data and analysis.pii) ------------------------
# Audit events name kinds and counts only, never the flagged text.


def _spans(obj, fields) -> list[tuple[str, pii.Span]]:
    return [(field, span) for field in fields for span in pii.detect(getattr(obj, field) or "")]


def _flag_rows(review_id: int, items: Iterable, kept: dict | None = None) -> list[PersonalDataFlag]:
    """Unsaved flags for ``items`` (findings, examples, or other objects declaring
    ``personal_data_fields``). ``kept``: (object key, field, text) of items a lead kept
    before an edit; the same text found again stays kept."""
    rows = []
    for obj in items:
        subject = personal_data.subject_filter(obj)
        for field, span in _spans(obj, personal_data.fields_of(obj)):
            decided = (kept or {}).get((obj.pk, field, span.kind, span.text))
            rows.append(PersonalDataFlag(
                review_id=review_id, **subject, field=field, kind=span.kind,
                start=span.start, end=span.end,
                status=PersonalDataStatus.KEPT if decided else PersonalDataStatus.FLAGGED,
                decided_by_id=decided[0] if decided else None,
                decided_at=decided[1] if decided else None))
    return rows


def _record_flags(*, review, rows: list[PersonalDataFlag], by, subject=None, verb: str) -> None:
    if rows:
        PersonalDataFlag.objects.bulk_create(rows, batch_size=500)
        audit.record(actor=by, verb=verb, subject=subject, review=review,
                     count=len(rows), kinds=pii.summary(rows))


@transaction.atomic
def flag_personal_data(*, review: Review, items: Iterable, by, subject=None) -> int:
    """Look for personal data in new findings and examples (``items``, saved) and flag it;
    also in other objects declaring ``personal_data_fields`` (recommendations, case
    studies, responses: their apps' actions call this when they store one).

    Called by :func:`add_findings` and :func:`add_example`, so imports and the web form
    flag what they bring in. Returns how many items were flagged."""
    rows = _flag_rows(review.pk, items)
    _record_flags(review=review, rows=rows, by=by, subject=subject, verb="personal_data.flagged")
    return len(rows)


def reflag_personal_data(*, obj, fields: list[str], by, before: dict[str, str]) -> None:
    """After an edit of ``obj``'s ``fields`` (any scanned object; ``before``: those fields'
    text before the edit): find the personal data in the new text again; what a lead kept
    in the old text and is still there stays kept. For other apps' edit actions."""
    obj._before_edit = before
    _reflag(obj, [f for f in fields if f in personal_data.fields_of(obj)], by)


def _reflag(obj, fields: list[str], by) -> None:
    """After an edit of ``fields``: find the personal data in the new text again; what a lead
    kept in the old text and is still there stays kept."""
    if not fields:
        return
    old = PersonalDataFlag.objects.filter(**personal_data.subject_filter(obj), field__in=fields)
    kept = {}
    for flag in old:
        if flag.status == PersonalDataStatus.KEPT:
            kept_text = getattr(obj, "_before_edit", {}).get(flag.field, "")[flag.start:flag.end]
            kept[(obj.pk, flag.field, flag.kind, kept_text)] = (flag.decided_by_id,
                                                                 flag.decided_at)
    old.delete()
    saved = {f: getattr(obj, f) for f in fields}
    rows = [r for r in _flag_rows(obj.review_id, [obj], kept) if r.field in saved]
    if rows:
        PersonalDataFlag.objects.bulk_create(rows)
        audit.record(actor=by, verb="personal_data.flagged", subject=obj, review=obj.review,
                     count=len(rows), kinds=pii.summary(rows))


def _locked(finding: Finding | None, example: Example | None, subject=None):
    if sum(x is not None for x in (finding, example, subject)) != 1:
        raise InvalidInput("Say which finding, example, recommendation, case study or response")
    if finding is not None:
        return Finding.objects.select_for_update().select_related("review").get(pk=finding.pk)
    if example is not None:
        return Example.objects.select_for_update().select_related("review").get(pk=example.pk)
    personal_data.subject_filter(subject)  # refuses an object with no scanned text
    return type(subject).objects.select_for_update().select_related("review").get(pk=subject.pk)


def _chosen_flags(obj, flag_ids, status=PersonalDataStatus.FLAGGED) -> list[PersonalDataFlag]:
    flags = PersonalDataFlag.objects.filter(**personal_data.subject_filter(obj), status=status)
    if flag_ids is not None:
        wanted = {int(i) for i in flag_ids}
        flags = flags.filter(pk__in=wanted)
        if len(flags) != len(wanted):
            raise InvalidInput("That item of personal data is no longer flagged here; "
                               "reload the page to see what is")
    return list(flags)


def _redact_object(obj, chosen: list[PersonalDataFlag], by, now) -> None:
    """Replace the chosen flags' items in ``obj``'s text; move the other flags' offsets."""
    subject = personal_data.subject_filter(obj)
    chosen_ids = {f.pk for f in chosen}
    changed_fields = []
    for field in sorted({f.field for f in chosen}):
        text = getattr(obj, field)
        flags = sorted(PersonalDataFlag.objects.filter(**subject, field=field),
                       key=lambda f: f.start)
        pieces, pos, shift = [], 0, 0
        for flag in flags:
            flag.start, flag.end = flag.start + shift, flag.end + shift
            if flag.pk not in chosen_ids:
                continue
            start, end = flag.start - shift, flag.end - shift
            if start < pos or end > len(text):
                raise InvalidInput("The text changed since it was checked for personal data; "
                                   "check it again before redacting")
            placeholder = pii.placeholder(flag.kind)
            pieces += [text[pos:start], placeholder]
            pos = end
            flag.end = flag.start + len(placeholder)
            shift += len(placeholder) - (end - start)
            flag.status, flag.decided_by_id, flag.decided_at = (
                PersonalDataStatus.REDACTED, getattr(by, "pk", None), now)
        pieces.append(text[pos:])
        limit = getattr(type(obj)._meta.get_field(field), "max_length", None)
        setattr(obj, field, "".join(pieces)[:limit] if limit else "".join(pieces))
        PersonalDataFlag.objects.bulk_update(flags, ["start", "end", "status", "decided_by",
                                                     "decided_at"])
        changed_fields.append(field)
    if changed_fields:
        obj.save(update_fields=changed_fields)
        if isinstance(obj, Finding):
            findings_changed(review_id=obj.review_id, findings=[obj.pk])


@transaction.atomic
def redact_personal_data(*, by, finding: Finding | None = None, example: Example | None = None,
                         subject=None, flags: Iterable[int] | None = None) -> int:
    """Replace flagged personal data in a finding's or an example's text with ``[NHS number]``,
    ``[name]`` … (``flags``: the flag ids to redact; None: every flagged item); ``subject``
    instead: a recommendation, case study or response. The original stays only in the
    stored source document. Returns how many items were redacted."""
    obj = _locked(finding, example, subject)
    chosen = _chosen_flags(obj, flags)
    if chosen:
        _redact_object(obj, chosen, by, timezone.now())
        audit.record(actor=by, verb="personal_data.redacted", subject=obj, review=obj.review,
                     count=len(chosen), kinds=pii.summary(chosen))
    return len(chosen)


@transaction.atomic
def keep_personal_data(*, by, finding: Finding | None = None, example: Example | None = None,
                       subject=None, flags: Iterable[int] | None = None) -> int:
    """Record a lead's decision that flagged items may be shown as they are (an organisation's
    phone number, a public figure's name). Returns how many were kept."""
    obj = _locked(finding, example, subject)
    chosen = _chosen_flags(obj, flags)
    for flag in chosen:
        flag.status, flag.decided_by_id, flag.decided_at = (
            PersonalDataStatus.KEPT, getattr(by, "pk", None), timezone.now())
    PersonalDataFlag.objects.bulk_update(chosen, ["status", "decided_by", "decided_at"])
    if chosen:
        audit.record(actor=by, verb="personal_data.kept", subject=obj, review=obj.review,
                     count=len(chosen), kinds=pii.summary(chosen))
    return len(chosen)


@transaction.atomic
def redact_all_personal_data(*, review: Review, by) -> int:
    """Redact every flagged item in the review's findings, examples, recommendations, case
    studies and responses; one audit event."""
    flags = list(PersonalDataFlag.objects.filter(review=review, status=PersonalDataStatus.FLAGGED)
                 .select_related("content_type")
                 .order_by("finding_id", "example_id", "content_type_id", "object_id"))
    now = timezone.now()
    by_object: dict[tuple, list[PersonalDataFlag]] = {}
    for flag in flags:
        key = (("finding", flag.finding_id) if flag.finding_id else
               ("example", flag.example_id) if flag.example_id else
               (flag.content_type.model_class(), flag.object_id))
        by_object.setdefault(key, []).append(flag)
    for (model, pk), chosen in by_object.items():
        manager = (Finding.objects if model == "finding" else
                   Example.objects if model == "example" else model.objects)
        obj = manager.select_for_update().filter(pk=pk).order_by("pk").first()
        if obj is not None:
            _redact_object(obj, chosen, by, now)
    if flags:
        audit.record(actor=by, verb="personal_data.redacted_all", subject=review, review=review,
                     count=len(flags), kinds=pii.summary(flags))
    return len(flags)


@transaction.atomic
def scan_personal_data(*, review: Review, by) -> int:
    """Look for personal data in the review's findings, examples, recommendations, case
    studies and responses that have never been checked (stored before detection existed);
    returns how many items were flagged. Running it again changes nothing."""
    checked_findings = PersonalDataFlag.objects.filter(review=review, finding__isnull=False)
    checked_examples = PersonalDataFlag.objects.filter(review=review, example__isnull=False)
    findings = (Finding.objects.filter(review=review)
                .exclude(pk__in=checked_findings.values("finding_id")).only("id", "text"))
    examples = (Example.objects.filter(review=review)
                .exclude(pk__in=checked_examples.values("example_id"))
                .only("id", "title", "synopsis"))
    rows = []
    others = []
    for model in personal_data.other_models():
        checked = PersonalDataFlag.objects.filter(
            review=review, content_type=ContentType.objects.get_for_model(model))
        others.append(model.objects.filter(review=review)
                      .exclude(pk__in=checked.values("object_id"))
                      .only("id", *model.personal_data_fields))
    for chunk in (findings.iterator(chunk_size=2000), examples.iterator(chunk_size=2000),
                  *(qs.iterator(chunk_size=2000) for qs in others)):
        rows += _flag_rows(review.pk, chunk)
    PersonalDataFlag.objects.bulk_create(rows, batch_size=500)
    audit.record(actor=by, verb="personal_data.scanned", subject=review, review=review,
                 count=len(rows), kinds=pii.summary(rows))
    return len(rows)


# -- the web submission form ---------------------------------------------------------

# The fields the form asks for in each domain, in the order it shows them.
FORM_KINDS = (SectionKind.ACHIEVEMENTS, SectionKind.CHALLENGES, SectionKind.LEARNING,
              SectionKind.EXAMPLES, SectionKind.KEEP)


@transaction.atomic
def save_draft(
    *, participant: Participant, texts: dict[tuple[Domain, str], str], by,
    submission: Submission | None = None,
) -> Submission:
    """Save the form's fields as a draft (creating the draft the first time); one audit event."""
    require_collecting(participant.review)
    if submission is None:
        submission = create_submission(participant=participant, by=by)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.participant_id != participant.pk or submission.source_document_id:
        raise InvalidInput("This submission is not the participant's web form")
    if submission.status != SubmissionStatus.DRAFT:
        raise InvalidTransition("A submitted submission can no longer be edited")
    existing = {(s.domain_id, s.kind): s for s in submission.sections.all()}
    changed = 0
    for (domain, kind), text in texts.items():
        if kind not in FORM_KINDS or domain.framework_id != participant.review.framework_id:
            raise InvalidInput(f"The form has no field {kind!r} for {domain.name}")
        text = (text or "").strip()
        if len(text) > MAX_FIELD_CHARS:
            raise InvalidInput(f"{SectionKind(kind).label} for {domain.name} must be "
                               f"{MAX_FIELD_CHARS:,} characters or fewer")
        section = existing.get((domain.pk, kind))
        if section is None and text:
            SubmissionSection.objects.create(submission=submission, domain=domain, kind=kind,
                                             text=text)
            changed += 1
        elif section is not None and section.text != text:
            section.text = text
            section.save(update_fields=["text"])
            changed += 1
    submission.save(update_fields=["updated_at"])
    audit.record(actor=by, verb="submission.draft_saved", subject=submission,
                 review=submission.review, sections_changed=changed)
    return submission


@transaction.atomic
def submit_form(*, submission: Submission, by) -> Submission:
    """Submit a web-form draft: its sections become findings (and good-practice examples)."""
    submission = _locked_draft(submission)
    order = {kind: i for i, kind in enumerate(FORM_KINDS)}
    sections = sorted(
        (s for s in submission.sections.select_related("domain") if s.domain_id and s.kind in order),
        key=lambda s: (s.domain.position, s.domain_id, order[s.kind]),
    )
    domains = {s.domain.key: s.domain for s in sections}
    items = form_items((s.domain.key, s.domain.name, s.kind, SectionKind(s.kind).label, s.text)
                       for s in sections)
    if not items:
        raise InvalidInput("Write something in at least one section before submitting")
    add_findings(submission=submission, by=by, findings=[
        NewFinding(text=item.text, domain=domains[item.domain_key], section=item.kind,
                   source_location=item.location)
        for item in items
    ])
    for item in items:
        if item.kind == SectionKind.EXAMPLES:
            add_example(review=submission.review, title=example_title(item.text),
                        synopsis=item.text, organisation=submission.participant.organisation,
                        domain=domains[item.domain_key], submission=submission,
                        source_location=item.location, by=by)
    return submit_submission(submission=submission, by=by)


# -- invitations: personal links to the form (see collect.invitations) --------------


def _contact_account(*, email: str, name: str, by):
    """The account an invitation signs in: an existing one with this email, or a new one."""
    User = get_user_model()
    found = User.objects.filter(email__iexact=email).order_by("id").first()
    if found is not None:
        return found
    base = email.lower()[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return review_actions.create_user(username=username, email=email, full_name=name, by=by)


def _issue(*, participant: Participant, contact, email: str, kind: str, by):
    token = new_token()
    invitation = Invitation.objects.create(
        review=participant.review, participant=participant, contact=contact, email=email,
        kind=kind, token_hash=hash_token(token),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(actor=by, verb=f"{kind}.created", subject=invitation,
                 review=participant.review, organisation=participant.organisation.name,
                 participant=participant.pk, contact=contact.pk)
    return invitation, token


@transaction.atomic
def invite_contact(*, review: Review, organisation, contact_name: str, email: str, by):
    """Add the organisation as a participant (if needed) with this contact, give the contact a
    contributor account for it, and issue a personal link. Returns (invitation, raw token):
    the token is shown once, in the email, and only its hash is kept."""
    contact_name, email = " ".join(contact_name.split()), email.strip()
    if not contact_name:
        raise InvalidInput("Enter the contact's name")
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(f"{email or 'The email address'} is not a valid email address") from None
    participant = review_actions.add_participant(
        review=review, organisation=organisation, by=by, contact_name=contact_name,
        contact_email=email)
    if (participant.contact_name, participant.contact_email) != (contact_name, email):
        participant.contact_name, participant.contact_email = contact_name, email
        participant.save(update_fields=["contact_name", "contact_email"])
        audit.record(actor=by, verb="participant.contact_changed", subject=participant,
                     review=review)
    contact = _contact_account(email=email, name=contact_name, by=by)
    review_actions.add_member(review=review, member=contact, role=Role.CONTRIBUTOR,
                              organisation=organisation, by=by)
    return _issue(participant=participant, contact=contact, email=email,
                  kind=InvitationKind.INVITATION, by=by)


def links_stopped(invitations: Iterable[Invitation]) -> bool:
    """Whether the lead stopped these (one participant's) links and has not invited since:
    the newest "Stop links working" is later than the newest invitation sent."""
    stops = [i.revoked_at for i in invitations
             if i.revoke_reason == STOPPED_BY_LEAD and i.revoked_at]
    if not stops:
        return False
    invited = [i.created_at for i in invitations
               if i.kind == InvitationKind.INVITATION and i.sent_at]
    return not invited or max(invited) < max(stops)


@transaction.atomic
def issue_reminder(*, participant: Participant, by):
    """A new personal link for the participant's contact, to send as a reminder; refused when
    the lead stopped the participant's links (only a fresh invitation sends one again)."""
    links = list(Invitation.objects.filter(participant=participant)
                 .order_by("-created_at", "-id"))
    last = links[0] if links else None
    if last is None or not participant.contact_email:
        raise InvalidInput(f"{participant.organisation.name} has not been invited yet; invite a "
                           "contact first")
    if links_stopped(links):
        raise InvalidInput(f"{participant.organisation.name}'s links were stopped, so no reminder "
                           "was sent; invite the contact again to send a new link")
    contact = last.contact
    if last.email.lower() != participant.contact_email.lower():
        contact = _contact_account(email=participant.contact_email, name=participant.contact_name,
                                   by=by)
    return _issue(participant=participant, contact=contact, email=participant.contact_email,
                  kind=InvitationKind.REMINDER, by=by)


@transaction.atomic
def mark_sent(*, invitation, by):
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    audit.record(actor=by, verb=f"{invitation.kind}.sent", subject=invitation,
                 review=invitation.review, contact=invitation.contact_id)
    if invitation.kind == InvitationKind.INVITATION:
        review_actions.mark_invited(participant=invitation.participant, by=by)
    return invitation


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by, reason: str = "revoked") -> Invitation:
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.revoke_reason = reason[:40]
        invitation.save(update_fields=["revoked_at", "revoke_reason"])
        audit.record(actor=by, verb=f"{invitation.kind}.revoked", subject=invitation,
                     review=invitation.review, reason=reason)
    return invitation


@transaction.atomic
def revoke_invitations(*, participant: Participant, by, reason: str = STOPPED_BY_LEAD) -> int:
    """End every live link of the participant; returns how many were live.

    With the default reason (the lead's "Stop links working") the stop is recorded on the
    links, and no reminder is sent until the lead invites the participant again."""
    live = Invitation.objects.filter(participant=participant, revoked_at__isnull=True)
    count = live.update(revoked_at=timezone.now(), revoke_reason=reason[:40])
    if reason == STOPPED_BY_LEAD and count == 0:
        # Nothing live: still record the stop on the newest link, so reminders stay off.
        newest = (Invitation.objects.filter(participant=participant)
                  .order_by("-created_at", "-id").first())
        if newest is not None:
            Invitation.objects.filter(pk=newest.pk).update(revoke_reason=reason)
    audit.record(actor=by, verb="invitations.revoked", subject=participant,
                 review=participant.review, count=count, reason=reason)
    return count


@transaction.atomic
def replace_unused_links(*, invitation: Invitation, by) -> int:
    """After a fresh invitation was sent: end the participant's earlier links nobody has used
    yet, so only the newest email's link works. Returns how many were ended."""
    earlier = (Invitation.objects.filter(participant_id=invitation.participant_id,
                                         revoked_at__isnull=True, last_used_at__isnull=True)
               .exclude(pk=invitation.pk))
    count = earlier.update(revoked_at=timezone.now(), revoke_reason=REPLACED)
    if count:
        audit.record(actor=by, verb="invitations.revoked", subject=invitation.participant,
                     review=invitation.review, count=count, reason=REPLACED)
    return count


@transaction.atomic
def record_link_used(*, invitation) -> None:
    invitation.last_used_at = timezone.now()
    invitation.save(update_fields=["last_used_at"])
    audit.record(actor=invitation.contact, verb="invitation.used", subject=invitation,
                 review=invitation.review)


# -- import batches, and removing what an import brought in -------------------------------


@transaction.atomic
def start_import_batch(*, review: Review, by) -> ImportBatch:
    """Open a batch for one upload or one `stocktake import` run (see ImportBatch)."""
    batch = ImportBatch.objects.create(review=review, created_by=by)
    audit.record(actor=by, verb="import.started", subject=batch, review=review)
    return batch


@transaction.atomic
def record_batch_file(*, batch: ImportBatch, name: str, result, by) -> ImportBatchFile:
    """Record one file's outcome (an ``ImportResult``) in its batch, with what it created.

    Called by the import inside the file's own transaction, so a file is in its batch
    exactly when its rows are in the database; a failed file is recorded by the caller."""
    if result.error:
        outcome = BatchFileOutcome.FAILED
    elif result.created:
        outcome = BatchFileOutcome.IMPORTED
    else:
        outcome = BatchFileOutcome.ALREADY
    item = ImportBatchFile.objects.create(
        batch=batch, name=name[:255], outcome=outcome, message=result.message or result.error,
        document=result.document if outcome == BatchFileOutcome.IMPORTED else None,
        findings=result.findings, examples=result.examples, recommendations=result.recommendations)
    ImportBatchRecord.objects.bulk_create([
        ImportBatchRecord(batch=batch, kind=kind, object_id=pk)
        for kind, pks in result.created_ids.items() for pk in pks])
    return item


def _require_editor(review: Review, by) -> None:
    """``by`` None: the command line (whoever runs it owns the database)."""
    if by is not None and not access_for(by, review).has("code_findings"):
        raise NotAllowed("Only the review's leads and reviewers may remove findings and examples")


@transaction.atomic
def remove_finding(*, finding: Finding, by) -> None:
    """Remove a finding (wrongly imported or typed); its theme codes go with it. Audited, by id."""
    finding = Finding.objects.select_related("review").get(pk=finding.pk)
    _require_editor(finding.review, by)
    audit.record(actor=by, verb="finding.removed", subject=finding, review=finding.review,
                 finding=finding.pk, organisation=finding.organisation_id,
                 source_document=finding.source_document_id)
    finding.delete()  # its similar findings go with it, and its place among others'
    findings_changed(review_id=finding.review_id)


@transaction.atomic
def remove_example(*, example: Example, by) -> None:
    """Remove a best-practice example. Audited, by id."""
    example = Example.objects.select_related("review").get(pk=example.pk)
    _require_editor(example.review, by)
    audit.record(actor=by, verb="example.removed", subject=example, review=example.review,
                 example=example.pk, source_document=example.source_document_id)
    example.delete()


@transaction.atomic
def save_mapping(*, review: Review, name: str, columns: dict[str, str], by,
                 one_row_per: str = "") -> SavedMapping:
    """Save (or replace, by name) a column mapping for later uploads of the review."""
    name = " ".join(str(name or "").split())[:100]
    if not name:
        raise InvalidInput("Give the mapping a name")
    columns = {str(header): str(role) for header, role in columns.items() if role}
    if not columns:
        raise InvalidInput("The mapping names no columns")
    try:
        mapping_from(columns, name)  # the same check as a --mapping file
    except InputError as exc:
        raise InvalidInput(str(exc)) from None
    saved, _ = SavedMapping.objects.update_or_create(
        review=review, name=name,
        defaults={"columns": columns, "one_row_per": one_row_per, "created_by": by})
    audit.record(actor=by, verb="mapping.saved", subject=saved, review=review, name=name,
                 columns=len(columns))
    return saved


@transaction.atomic
def set_batch_progress(*, batch: ImportBatch, by, status: str | None = None, **fields) -> ImportBatch:
    """A background import's progress (``files_total``, ``files_done``, ``current_file``,
    ``message``) and status; a change of status is audited."""
    allowed = ("files_total", "files_done", "current_file", "message", "staging_token", "wanted")
    check_fields(fields, allowed=allowed, what="an import's progress")
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.heartbeat_at = timezone.now()
    changed = [*fields, "heartbeat_at"]
    if status is not None and status != batch.status:
        batch.status = status
        changed.append("status")
        audit.record(actor=by, verb=f"import.{status}", subject=batch, review=batch.review,
                     files=batch.files_total)
    batch.save(update_fields=changed)
    return batch


# -- Curating the report's best-practice appendix ------------------------------------------
# Leads and reviewers (edit_report) leave examples out with a reason, take them back, merge
# duplicates into the one that stays (kept, so a merge can be seen and undone) and mark a
# finding as an example. ``by`` None: the command line. Audit events hold ids, never text.

MAX_EXCLUDED_REASON = 255


def _require_report_editor(review: Review, by) -> None:
    if by is not None and not access_for(by, review).has("edit_report"):
        raise NotAllowed("Only the review's leads and reviewers may curate the report's examples")


def _example_for_update(example: Example) -> Example:
    return Example.objects.select_for_update().select_related("review").get(pk=example.pk)


@transaction.atomic
def exclude_example(*, example: Example, reason: str, by,
                    expected_revision: int | None = None) -> Example:
    """Leave an example out of the report's appendix, saying why (it stays stored, and can be
    included again). Excluding an example that others were merged into leaves them all out."""
    example = _example_for_update(example)
    _require_report_editor(example.review, by)
    check_revision(example, expected_revision, what="this example")
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise InvalidInput("Say why the example is left out of the report")
    if len(reason) > MAX_EXCLUDED_REASON:
        raise InvalidInput(f"The reason is {len(reason)} characters; at most "
                           f"{MAX_EXCLUDED_REASON} fit")
    if example.merged_into_id is not None:
        raise InvalidInput("This example is merged into another one; unmerge it first")
    if example.excluded and example.excluded_reason == reason:
        return example
    example.excluded, example.excluded_reason = True, reason
    example.revision += 1
    example.save(update_fields=["excluded", "excluded_reason", "revision"])
    audit.record(actor=by, verb="example.excluded", subject=example, review=example.review)
    return example


@transaction.atomic
def include_example(*, example: Example, by, expected_revision: int | None = None) -> Example:
    """Put an excluded example back into the report's appendix."""
    example = _example_for_update(example)
    _require_report_editor(example.review, by)
    check_revision(example, expected_revision, what="this example")
    if not example.excluded:
        return example
    example.excluded, example.excluded_reason = False, ""
    example.revision += 1
    example.save(update_fields=["excluded", "excluded_reason", "revision"])
    audit.record(actor=by, verb="example.included", subject=example, review=example.review)
    return example


@transaction.atomic
def merge_examples(*, keep: Example, duplicates: Iterable[Example], by,
                   expected_revisions: dict[int, int] | None = None) -> Example:
    """Merge ``duplicates`` into ``keep``: the report prints ``keep`` once, naming the
    duplicates' organisations as "also from". Each duplicate stays stored (``merged_into``),
    so :func:`unmerge_example` undoes it; examples already merged into a duplicate move to
    ``keep`` (one level only). ``expected_revisions``: {example id: revision the person saw}.
    """
    ids = sorted({d.pk for d in duplicates} - {keep.pk})
    if not ids:
        raise InvalidInput("Choose at least one other example to merge into the one that stays")
    # Ordered by id: locks taken in one order, and no join to a domain (PostgreSQL refuses
    # FOR UPDATE on the nullable side of an outer join, which Example's ordering adds).
    locked = {e.pk: e for e in Example.objects.select_for_update().select_related("review")
              .filter(pk__in=[keep.pk, *ids]).order_by("pk")}
    if keep.pk not in locked or len(locked) != len(ids) + 1:
        raise InvalidInput("One of the examples to merge no longer exists; reload the page")
    keep = locked[keep.pk]
    _require_report_editor(keep.review, by)
    for example in locked.values():
        if example.review_id != keep.review_id:
            raise InvalidInput("Only examples of the same review can be merged")
        if expected_revisions and example.pk in expected_revisions:
            check_revision(example, expected_revisions[example.pk],
                           what=f"example {example.pk}")
    if keep.merged_into_id is not None:
        raise InvalidInput(f"Example {keep.pk} is itself merged into example "
                           f"{keep.merged_into_id}; keep that one instead")
    moved = list(Example.objects.select_for_update().filter(merged_into_id__in=ids)
                 .order_by("pk").values_list("pk", flat=True))
    merged = [pk for pk in ids if locked[pk].merged_into_id != keep.pk]
    for pk in merged:
        locked[pk].merged_into = keep
        locked[pk].revision += 1
        locked[pk].save(update_fields=["merged_into", "revision"])
    for pk in moved:
        Example.objects.filter(pk=pk).update(merged_into=keep)
    if merged or moved:
        audit.record(actor=by, verb="examples.merged", subject=keep, review=keep.review,
                     kept=keep.pk, merged=merged, moved=moved)
    return keep


@transaction.atomic
def unmerge_example(*, example: Example, by) -> Example:
    """Undo a merge: the example stands on its own in the appendix again."""
    example = _example_for_update(example)
    _require_report_editor(example.review, by)
    if example.merged_into_id is None:
        raise InvalidInput(f"Example {example.pk} is not merged into another example")
    was = example.merged_into_id
    example.merged_into = None
    example.revision += 1
    example.save(update_fields=["merged_into", "revision"])
    audit.record(actor=by, verb="example.unmerged", subject=example, review=example.review,
                 was_merged_into=was)
    return example


@transaction.atomic
def example_from_finding(*, finding: Finding, title: str, by, synopsis: str = "") -> Example:
    """Mark a finding as a best-practice example: a new example with the finding's
    organisation, domain, submission and source, linked to it (``Example.finding``)."""
    finding = Finding.objects.select_related("review").get(pk=finding.pk)
    _require_report_editor(finding.review, by)
    return add_example(
        review=finding.review, title=title, by=by, synopsis=synopsis,
        organisation=finding.organisation, domain=finding.domain, submission=finding.submission,
        source_document=finding.source_document, source_location=finding.source_location,
        finding=finding)
