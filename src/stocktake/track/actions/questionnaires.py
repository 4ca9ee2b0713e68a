"""Staff learning: opening a review's questionnaire, answering it by link without signing
in, and uploading a team conversation's notes (docs/adr/0017-questionnaire-staff-learning.md).

Only the review's leads open, close and renew questionnaires. Anyone holding an open
questionnaire's link may answer it, through :func:`answer_questionnaire` only: each response
becomes one submitted submission of the organisation the respondent chose, whose findings
are flagged for personal data like every other submission's. Team notes are uploaded by
whoever may import documents into the review, or by a contributor for their organisation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from stocktake.collect import actions as collect_actions
from stocktake.collect import files
from stocktake.collect.actions import NewFinding
from stocktake.collect.form_findings import MAX_FIELD_CHARS, example_title, items_of
from stocktake.collect.importers import Extraction
from stocktake.collect.models import Example, Finding, SectionKind, Submission, SubmissionStatus
from stocktake.collect.tokens import hash_token, new_token, sender_hash
from stocktake.core import audit
from stocktake.core.errors import InvalidInput, InvalidTransition, NotAllowed
from stocktake.report.models import Recommendation
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import Organisation, Participant, Review
from stocktake.reviews.permissions import access_for
from stocktake.track.models import (
    Identity,
    Questionnaire,
    QuestionnaireReceipt,
    QuestionnaireResponse,
    TeamNotes,
)

ANSWERS_PER_HOUR = 10  # from one address, per questionnaire (a ward's shared computer)
RECEIPT_DAYS = 1
MAX_QUESTIONS = 60
MAX_QUESTION = 500
MAX_TITLE = 200
MAX_PERSON = 120
SOURCE = "staff questionnaire"  # how a response's findings say where they came from


def _lead(review: Review, by) -> None:
    if not access_for(by, review).has("manage_review"):
        raise NotAllowed("Only the review's leads may set up its staff questionnaire")


def _one_line(value, *, what: str, limit: int, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise InvalidInput(f"Enter the {what}")
    if len(text) > limit:
        raise InvalidInput(f"The {what} must be {limit} characters or fewer")
    return text


def check_questions(review: Review, questions: Sequence[Mapping]) -> list[dict]:
    """The questions as stored: blank ones left out; each domain one of the review's."""
    domains = set(review.framework.domains.values_list("key", flat=True))
    clean = []
    for number, item in enumerate(questions, start=1):
        text = " ".join(str(item.get("text") or "").split())
        if not text:
            continue
        if len(text) > MAX_QUESTION:
            raise InvalidInput(f"Question {number} must be {MAX_QUESTION} characters or fewer")
        domain = str(item.get("domain") or "")
        if domain and domain not in domains:
            raise InvalidInput(f"Question {number}: choose one of the review's domains")
        kind = str(item.get("kind") or SectionKind.GENERAL)
        if kind not in SectionKind.values:
            kind = SectionKind.GENERAL
        clean.append({"domain": domain, "kind": kind, "text": text})
    if not clean:
        raise InvalidInput("Write at least one question")
    if len(clean) > MAX_QUESTIONS:
        raise InvalidInput(f"A questionnaire may ask {MAX_QUESTIONS} questions at most")
    return clean


@transaction.atomic
def open_questionnaire(*, review: Review, title: str, identity: str, questions: Sequence[Mapping],
                       by, opens_on: date | None = None,
                       closes_on: date | None = None) -> tuple[Questionnaire, str]:
    """A new questionnaire and its link's token (shown once: only its hash is kept)."""
    _lead(review, by)
    title = _one_line(title, what="title", limit=MAX_TITLE, required=True)
    if identity not in Identity.values:
        raise InvalidInput("Choose whether answers are anonymous or named")
    if opens_on and closes_on and closes_on < opens_on:
        raise InvalidInput("The closing date must be on or after the opening date")
    clean = check_questions(review, questions)
    token = new_token()
    questionnaire = Questionnaire.objects.create(
        review=review, title=title, identity=identity, opens_on=opens_on, closes_on=closes_on,
        questions=clean, token_hash=hash_token(token),
        created_by=by if getattr(by, "is_authenticated", False) else None)
    audit.record(actor=by, verb="questionnaire.opened", subject=questionnaire, review=review,
                 identity=identity, questions=len(clean))
    return questionnaire, token


@transaction.atomic
def set_questionnaire_open(*, questionnaire: Questionnaire, is_open: bool, by) -> Questionnaire:
    """Close (the link answers "not found" at once) or reopen a questionnaire."""
    _lead(questionnaire.review, by)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.is_open != is_open:
        questionnaire.is_open = is_open
        questionnaire.closed_at = None if is_open else timezone.now()
        questionnaire.save(update_fields=["is_open", "closed_at"])
        audit.record(actor=by, verb="questionnaire.reopened" if is_open
                     else "questionnaire.closed", subject=questionnaire,
                     review=questionnaire.review)
    return questionnaire


@transaction.atomic
def set_questionnaire_dates(*, questionnaire: Questionnaire, opens_on: date | None,
                            closes_on: date | None, by) -> Questionnaire:
    """Change when the questionnaire takes answers (an extension, a later start)."""
    _lead(questionnaire.review, by)
    if opens_on and closes_on and closes_on < opens_on:
        raise InvalidInput("The closing date must be on or after the opening date")
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if (questionnaire.opens_on, questionnaire.closes_on) != (opens_on, closes_on):
        questionnaire.opens_on, questionnaire.closes_on = opens_on, closes_on
        questionnaire.save(update_fields=["opens_on", "closes_on"])
        audit.record(actor=by, verb="questionnaire.dates_changed", subject=questionnaire,
                     review=questionnaire.review,
                     opens_on=opens_on.isoformat() if opens_on else None,
                     closes_on=closes_on.isoformat() if closes_on else None)
    return questionnaire


@transaction.atomic
def renew_questionnaire_link(*, questionnaire: Questionnaire, by) -> str:
    """A new link for the questionnaire (the old one stops working); returns its token."""
    _lead(questionnaire.review, by)
    token = new_token()
    questionnaire.token_hash = hash_token(token)
    questionnaire.save(update_fields=["token_hash"])
    audit.record(actor=by, verb="questionnaire.link_renewed", subject=questionnaire,
                 review=questionnaire.review)
    return token


def questionnaire_for_token(token: str) -> Questionnaire | None:
    """The open questionnaire a link's token names, or None (closed by its lead, or never)."""
    return (Questionnaire.objects.select_related("review__framework")
            .filter(token_hash=hash_token(token or ""), is_open=True).first())


def not_answerable(questionnaire: Questionnaire, today: date) -> str:
    """Why the questionnaire takes no answers on ``today`` ("" when it does)."""
    if not questionnaire.is_open:
        return "This questionnaire is closed."
    if questionnaire.opens_on and today < questionnaire.opens_on:
        return (f"This questionnaire opens on {questionnaire.opens_on.day} "
                f"{questionnaire.opens_on:%B %Y}. Please come back then.")
    if questionnaire.closes_on and today > questionnaire.closes_on:
        return (f"This questionnaire closed on {questionnaire.closes_on.day} "
                f"{questionnaire.closes_on:%B %Y}. Thank you for your interest.")
    return ""


class TooManyAnswers(NotAllowed):
    pass


class QuestionnaireError(InvalidInput):
    """A problem with one field of an answer: ``field`` names it ("org", "name", "q3")."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def _person(value, *, what: str, field: str, required: bool) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise QuestionnaireError(f"Enter your {what}", field)
    if len(text) > MAX_PERSON:
        raise QuestionnaireError(f"Your {what} must be {MAX_PERSON} characters or fewer", field)
    return text


def _location(number: int, question: int, item: int, items: int) -> str:
    where = f"{SOURCE} › response {number} › question {question}"
    return f"{where} › item {item}" if items > 1 else where


@transaction.atomic
def answer_questionnaire(*, questionnaire: Questionnaire, organisation_id, answers: Sequence[str],
                         sender: str, name: str = "", role: str = "") -> QuestionnaireResponse:
    """One person's answers by link (no account): ``answers`` in the order of the questions.
    They become findings of the chosen organisation, one per statement, in a submitted
    submission of their own; counted against the sender's address, which is not kept."""
    questionnaire = (Questionnaire.objects.select_for_update().select_related("review")
                     .get(pk=questionnaire.pk))
    review = questionnaire.review
    now = timezone.now()
    closed = not_answerable(questionnaire, timezone.localdate())
    if closed:
        raise NotAllowed(closed)
    QuestionnaireReceipt.objects.filter(received_at__lt=now - timedelta(days=RECEIPT_DAYS)).delete()
    who = sender_hash(sender, purpose="questionnaire")
    recent = questionnaire.receipts.filter(sender_hash=who,
                                           received_at__gte=now - timedelta(hours=1)).count()
    if recent >= ANSWERS_PER_HOUR:
        raise TooManyAnswers("Thank you. We have had many answers from this computer or network "
                             "in the last hour, so we cannot take yours just now. Please try "
                             "again in an hour.")
    participant = (Participant.objects.select_related("organisation")
                   .filter(review=review, organisation_id=organisation_id).first()
                   if str(organisation_id or "").isdigit() else None)
    if participant is None:
        raise QuestionnaireError("Choose your organisation from the list", "organisation")
    required = questionnaire.identity == Identity.NAMED_REQUIRED
    named = questionnaire.identity != Identity.ANONYMOUS
    name = _person(name, what="name", field="name", required=required) if named else ""
    role = _person(role, what="role", field="role", required=required) if named else ""
    questions = questionnaire.questions
    answers = [str(a or "").strip() for a in list(answers)[:len(questions)]]
    for index, text in enumerate(answers):
        if len(text) > MAX_FIELD_CHARS:
            raise QuestionnaireError(f"Your answer to question {index + 1} must be "
                                     f"{MAX_FIELD_CHARS:,} characters or fewer", f"q{index + 1}")
    if not any(answers):
        raise QuestionnaireError("Answer at least one question", "q1")
    domains = {d.key: d for d in review.framework.domains.all()}
    number = (questionnaire.responses.aggregate(top=Max("number"))["top"] or 0) + 1
    findings: list[NewFinding] = []
    for index, text in enumerate(answers):
        question = questions[index]
        statements = items_of(text)
        for item, statement in enumerate(statements, start=1):
            findings.append(NewFinding(
                text=statement, domain=domains.get(question["domain"]), section=question["kind"],
                source_location=_location(number, index + 1, item, len(statements))))
    submission = collect_actions.create_submission(participant=participant, by=None,
                                                   status=SubmissionStatus.SUBMITTED)
    made = collect_actions.add_findings(submission=submission, findings=findings, by=None)
    for finding in made:
        if finding.section == SectionKind.EXAMPLES:
            collect_actions.add_example(
                review=review, title=example_title(finding.text), synopsis=finding.text,
                organisation=participant.organisation, domain=finding.domain,
                submission=submission, source_location=finding.source_location, by=None)
    response = QuestionnaireResponse.objects.create(
        questionnaire=questionnaire, submission=submission,
        organisation=participant.organisation, number=number, name=name, role=role)
    QuestionnaireReceipt.objects.create(questionnaire=questionnaire, sender_hash=who)
    audit.record(actor=None, verb="questionnaire.answered", subject=questionnaire, review=review,
                 organisation=participant.organisation_id, response=number, findings=len(made))
    return response


# -- team conversation notes ------------------------------------------------------------------

_TEAM_PREFIX = re.compile(r"^team '.*?' › ")


def may_upload_notes(access, organisation_id: int) -> bool:
    """Whoever imports documents into the review, or a contributor for their organisation."""
    return access.has("import_documents") or (
        access.has("write_submission") and organisation_id in access.own_organisations())


@transaction.atomic
def record_team_notes(*, review: Review, organisation: Organisation, team: str,
                      extraction: Extraction, path: Path, original_name: str, by) -> TeamNotes:
    """Store a team conversation's filled-in notes template (read into ``extraction`` from
    ``path``): the file as a source document, its points as findings of ``organisation``
    (submitted), each located under ``team``; the template's examples as examples."""
    access = access_for(by, review)
    if not may_upload_notes(access, organisation.pk):
        raise NotAllowed("You may upload team notes only for your own organisation")
    if not Participant.objects.filter(review=review, organisation=organisation).exists():
        raise InvalidInput(f"{organisation.name} is not taking part in {review.title}")
    team = _one_line(team, what="team's name", limit=MAX_PERSON, required=True)
    with path.open("rb") as handle:
        sha256, size = files.sha256_of(handle)
    domains = {d.key: d for d in review.framework.domains.all()}
    document = collect_actions.record_source_document(
        review=review, original_name=original_name, sha256=sha256, size=size,
        format=extraction.format, by=by,
        stored_path=files.original_name(review.slug, sha256, original_name))
    participant = review_actions.add_participant(review=review, organisation=organisation, by=by)
    submission = collect_actions.create_submission(participant=participant, by=by,
                                                   source_document=document,
                                                   status=SubmissionStatus.SUBMITTED)

    def where(location: str) -> str:
        return f"team '{team}' › {_TEAM_PREFIX.sub('', location)}"

    made = collect_actions.add_findings(submission=submission, by=by, findings=[
        NewFinding(text=f.text, domain=domains.get(f.domain or ""), section=f.section,
                   source_location=where(f.location)) for f in extraction.findings])
    for example in extraction.examples:
        collect_actions.add_example(
            review=review, title=example.title, synopsis=example.synopsis,
            organisation=organisation, domain=domains.get(example.domain or ""),
            submission=submission, source_document=document,
            source_location=where(example.location), by=by)
    notes = TeamNotes.objects.create(review=review, organisation=organisation, team=team,
                                     document=document, findings=len(made),
                                     uploaded_by=by if getattr(by, "is_authenticated", False)
                                     else None)
    files.store_original(document.stored_path, path)  # named by its hash: a retry is harmless
    audit.record(actor=by, verb="team_notes.uploaded", subject=notes, review=review,
                 organisation=organisation.pk, findings=len(made),
                 examples=len(extraction.examples))
    return notes


@transaction.atomic
def remove_team_notes(*, notes: TeamNotes, by) -> int:
    """Remove an uploaded team's notes (a wrong file, the wrong organisation): the document,
    its findings and examples, and the stored file. Refused while a recommendation cites one
    of its findings. Returns how many findings went."""
    if not may_upload_notes(access_for(by, notes.review), notes.organisation_id):
        raise NotAllowed("You may remove team notes only for your own organisation")
    document = notes.document
    submissions = Submission.objects.filter(source_document=document)
    findings = Finding.objects.filter(submission__in=submissions)
    cited = Recommendation.objects.filter(findings__in=findings).distinct().count()
    if cited:
        raise InvalidTransition(f"{notes.team}'s notes are cited by {cited} recommendation"
                                f"{'s' if cited != 1 else ''}; remove those citations first")
    stored = document.stored_path
    audit.record(actor=by, verb="team_notes.removed", subject=notes, review=notes.review,
                 organisation=notes.organisation_id, findings=notes.findings)
    Example.objects.filter(submission__in=submissions).delete()
    count, _ = findings.delete()
    submissions.delete()
    document.delete()  # the TeamNotes row goes with it
    transaction.on_commit(lambda: _delete_stored(stored))
    return count


def _delete_stored(path: str) -> None:
    storage = files.uploads()
    if path and storage.exists(path):
        storage.delete(path)
