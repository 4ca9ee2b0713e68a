"""Evaluating an innovation (measures and their values, feedback, surveys by link), deciding
whether to keep it (against a decision framework) and recording its spread (adoptions).

Who may change these: whoever may log innovations for the innovation's organisation
(:func:`stocktake.track.scopes.innovation_scope`, leads of the region included); an adoption
also by whoever may log for the adopting organisation. Anyone answering a survey link does
so without an account, through :func:`answer_survey` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from stocktake.analysis import feedback as feedback_analysis
from stocktake.collect import tokens
from stocktake.collect.tokens import hash_token, new_token
from stocktake.core import audit
from stocktake.core.edits import apply_changes, check_fields, check_revision
from stocktake.core.errors import InvalidInput, NotAllowed
from stocktake.reviews.models import Organisation
from stocktake.track.actions.cycle_entries import open_cycles_with, refresh_everywhere
from stocktake.track.models import (
    Adoption,
    AdoptionStatus,
    Decision,
    DecisionFramework,
    DecisionOutcome,
    Feedback,
    FeedbackSource,
    FeedbackSurvey,
    Innovation,
    Measure,
    MeasureKind,
    MeasureValue,
    SurveyReceipt,
)
from stocktake.track.scopes import innovation_scope
from stocktake.track.values_csv import MAX_NOTE, ValueRow

DEFAULT_FRAMEWORK = "Retain, adapt or reject"
DEFAULT_CRITERIA = [
    {"key": "benefit", "label": "Benefit shown",
     "description": "The measures and feedback show the change made things better."},
    {"key": "risks", "label": "Risks acceptable",
     "description": "Risks to safety, quality and staff are known and acceptable."},
    {"key": "cost", "label": "Cost",
     "description": "What it costs to keep, against what it saves or frees."},
    {"key": "equity", "label": "Equity impact",
     "description": "Who gains and who may lose out: access for every group it serves."},
    {"key": "experience", "label": "Staff and user experience",
     "description": "What staff and people who use the service say about it."},
    {"key": "support", "label": "Support needed",
     "description": "What it needs to last: people, training, systems, money."},
]
MAX_SCORE = 5
MAX_TEXT = 5000
MAX_FEEDBACK_ITEMS = 2000
SURVEY_ANSWERS_PER_HOUR = 5  # from one address, per survey
RECEIPT_DAYS = 1


def _may_edit(by, innovation: Innovation) -> None:
    if by is None:  # the system (imports, the demo)
        return
    if not innovation_scope(by).may_log_for(innovation.organisation_id):
        raise NotAllowed(f"You may not change the evaluation of “{innovation.title}”: only those "
                         "who log innovations for its organisation, and leads, may")


def _text(value: str, *, what: str, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"Enter the {what}")
    if len(value) > limit:
        raise InvalidInput(f"The {what} must be {limit:,} characters or fewer")
    return value


def _number(value, *, what: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"The {what} must be a number") from None
    if number != number or abs(number) == float("inf"):
        raise InvalidInput(f"The {what} must be a number")
    return number


# Measures ---------------------------------------------------------------------------------

MEASURE_FIELDS = ("name", "kind", "unit", "baseline", "target", "higher_is_better",
                  "baseline_points")


def _measure_values(fields: dict) -> dict:
    clean = {}
    if "name" in fields:
        clean["name"] = _text(fields["name"], what="measure's name", required=True, limit=255)
    if "kind" in fields:
        if fields["kind"] not in MeasureKind.values:
            raise InvalidInput("Choose performance, finance or quality for the kind of measure")
        clean["kind"] = fields["kind"]
    if "unit" in fields:
        clean["unit"] = _text(fields["unit"], what="unit", limit=60)
    for name in ("baseline", "target"):
        if name in fields:
            clean[name] = _number(fields[name], what=name)
    if "higher_is_better" in fields:
        clean["higher_is_better"] = bool(fields["higher_is_better"])
    if "baseline_points" in fields:
        points = fields["baseline_points"]
        if points in (None, ""):
            clean["baseline_points"] = None
        else:
            try:
                points = int(points)
            except (TypeError, ValueError):
                raise InvalidInput("The baseline points must be a whole number") from None
            if points < 2:
                raise InvalidInput("The baseline needs at least 2 points (or leave it empty "
                                   "to use every point)")
            clean["baseline_points"] = points
    return clean


@transaction.atomic
def add_measure(*, innovation: Innovation, name: str, kind: str, by, unit: str = "",
                baseline=None, target=None, higher_is_better: bool = True,
                baseline_points=None) -> Measure:
    _may_edit(by, innovation)
    fields = _measure_values(dict(name=name, kind=kind, unit=unit, baseline=baseline,
                                  target=target, higher_is_better=higher_is_better,
                                  baseline_points=baseline_points))
    if innovation.measures.filter(name__iexact=fields["name"]).exists():
        raise InvalidInput(f"“{innovation.title}” already has a measure called {fields['name']}")
    measure = Measure.objects.create(innovation=innovation, **fields)
    audit.record(actor=by, verb="measure.added", subject=measure, kind=measure.kind)
    return measure


@transaction.atomic
def update_measure(*, measure: Measure, by, revision: int | None = None, **changes) -> list[str]:
    """Change a measure's fields; the names of those that changed."""
    measure = Measure.objects.select_for_update().select_related("innovation").get(pk=measure.pk)
    _may_edit(by, measure.innovation)
    check_fields(changes, allowed=MEASURE_FIELDS, what="a measure")
    check_revision(measure, revision, what=f"The measure “{measure.name}”")
    fields = _measure_values(changes)
    if "name" in fields and measure.innovation.measures.exclude(pk=measure.pk).filter(
            name__iexact=fields["name"]).exists():
        raise InvalidInput(f"“{measure.innovation.title}” already has a measure called "
                           f"{fields['name']}")
    changed = apply_changes(measure, fields)
    if changed:
        measure.revision += 1
        measure.save()
        audit.record(actor=by, verb="measure.updated", subject=measure, fields=changed)
    return changed


@transaction.atomic
def delete_measure(*, measure: Measure, by) -> None:
    _may_edit(by, measure.innovation)
    audit.record(actor=by, verb="measure.deleted", subject=measure.innovation,
                 values=measure.values.count())
    measure.delete()


@dataclass
class ValuesRecorded:
    added: int = 0
    replaced: list[date] = field(default_factory=list)  # dates whose earlier value was replaced


@transaction.atomic
def record_values(*, measure: Measure, rows: Sequence[ValueRow], by,
                  channel: str = "form") -> ValuesRecorded:
    """Store dated values, all or none. A date given twice is refused; a date the measure
    already has takes the new value (the result lists those dates)."""
    _may_edit(by, measure.innovation)
    if not rows:
        raise InvalidInput("Enter at least one value")
    seen = set()
    for row in rows:
        if row.on in seen:
            raise InvalidInput(f"{row.on.isoformat()} is given twice; give each date once")
        seen.add(row.on)
        if len(row.note) > MAX_NOTE:
            raise InvalidInput(f"The note for {row.on.isoformat()} is longer than {MAX_NOTE} "
                               "characters")
        _number(row.value, what=f"value for {row.on.isoformat()}")
    existing = {v.on: v for v in measure.values.select_for_update().filter(on__in=seen)}
    outcome = ValuesRecorded()
    for row in sorted(rows, key=lambda r: r.on):
        earlier = existing.get(row.on)
        if earlier is None:
            MeasureValue.objects.create(measure=measure, on=row.on, value=row.value,
                                        note=row.note.strip())
            outcome.added += 1
        elif earlier.value != row.value or earlier.note != row.note.strip():
            earlier.value, earlier.note = row.value, row.note.strip()
            earlier.save(update_fields=["value", "note"])
            outcome.replaced.append(row.on)
    audit.record(actor=by, verb="measure.values_recorded", subject=measure, channel=channel,
                 added=outcome.added, replaced=len(outcome.replaced))
    return outcome


@transaction.atomic
def remove_value(*, value: MeasureValue, by) -> None:
    _may_edit(by, value.measure.innovation)
    audit.record(actor=by, verb="measure.value_removed", subject=value.measure,
                 on=value.on.isoformat())
    value.delete()


# Feedback ---------------------------------------------------------------------------------


def _source(source: str) -> str:
    if source not in FeedbackSource.values:
        raise InvalidInput("Choose staff or service users for where the feedback came from")
    return source


def _rating(rating) -> int | None:
    if rating in (None, ""):
        return None
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        raise InvalidInput("The rating must be a whole number from 1 to 5") from None
    if not 1 <= rating <= 5:
        raise InvalidInput("The rating must be from 1 to 5")
    return rating


@transaction.atomic
def add_feedback(*, innovation: Innovation, source: str, texts: Sequence[str], by,
                 channel: str = "form", rating=None, respondent: str = "",
                 collected_on: date | None = None) -> list[Feedback]:
    """Store comments (one Feedback each, empty lines skipped), each coded for polarity."""
    _may_edit(by, innovation)
    source = _source(source)
    comments = [" ".join(t.split()) for t in texts if t and t.strip()]
    if not comments:
        raise InvalidInput("Enter at least one comment")
    if len(comments) > MAX_FEEDBACK_ITEMS:
        raise InvalidInput(f"At most {MAX_FEEDBACK_ITEMS:,} comments at once; split the file")
    for n, comment in enumerate(comments, start=1):
        if len(comment) > MAX_TEXT:
            raise InvalidInput(f"Comment {n} is longer than {MAX_TEXT:,} characters")
    rating = _rating(rating)
    respondent = _text(respondent, what="respondent's role", limit=120)
    polarity = feedback_analysis.polarities(comments)
    made = [Feedback.objects.create(innovation=innovation, source=source, text=comment,
                                    rating=rating, respondent=respondent, polarity=p,
                                    channel=channel, collected_on=collected_on)
            for comment, p in zip(comments, polarity, strict=True)]
    audit.record(actor=by, verb="feedback.added", subject=innovation, source=source,
                 channel=channel, count=len(made))
    return made


@transaction.atomic
def remove_feedback(*, feedback: Feedback, by) -> None:
    _may_edit(by, feedback.innovation)
    audit.record(actor=by, verb="feedback.removed", subject=feedback.innovation,
                 source=feedback.source)
    feedback.delete()


@transaction.atomic
def open_survey(*, innovation: Innovation, source: str, question: str, by,
                second_question: str = "", ask_rating: bool = True) -> tuple[FeedbackSurvey, str]:
    """A new survey link; returns the survey and its token (shown once, only its hash kept)."""
    _may_edit(by, innovation)
    token = new_token()
    survey = FeedbackSurvey.objects.create(
        innovation=innovation, source=_source(source),
        question=_text(question, what="question", required=True, limit=500),
        second_question=_text(second_question, what="second question", limit=500),
        ask_rating=bool(ask_rating), token_hash=hash_token(token),
        created_by=by if getattr(by, "is_authenticated", False) else None)
    audit.record(actor=by, verb="survey.opened", subject=survey, source=source)
    return survey, token


@transaction.atomic
def set_survey_open(*, survey: FeedbackSurvey, is_open: bool, by) -> FeedbackSurvey:
    _may_edit(by, survey.innovation)
    if survey.is_open != is_open:
        survey.is_open = is_open
        survey.closed_at = None if is_open else timezone.now()
        survey.save(update_fields=["is_open", "closed_at"])
        audit.record(actor=by, verb="survey.reopened" if is_open else "survey.closed",
                     subject=survey)
    return survey


def survey_for_token(token: str) -> FeedbackSurvey | None:
    """The open survey a link's token names, or None."""
    return (FeedbackSurvey.objects.select_related("innovation")
            .filter(token_hash=hash_token(token or ""), is_open=True).first())


def sender_hash(address: str) -> str:
    """A salted hash of a sender's address: enough to count answers, never the address."""
    return tokens.sender_hash(address, purpose="survey")


class TooManyAnswers(NotAllowed):
    pass


@transaction.atomic
def answer_survey(*, survey: FeedbackSurvey, answer: str, sender: str,
                  second_answer: str = "", rating=None, role: str = "") -> Feedback:
    """One answer by link (no account): stored as feedback, counted against its sender."""
    survey = FeedbackSurvey.objects.select_for_update().get(pk=survey.pk)
    if not survey.is_open:
        raise NotAllowed("This survey is closed")
    now = timezone.now()
    SurveyReceipt.objects.filter(received_at__lt=now - timedelta(days=RECEIPT_DAYS)).delete()
    who = sender_hash(sender)
    recent = survey.receipts.filter(sender_hash=who,
                                    received_at__gte=now - timedelta(hours=1)).count()
    if recent >= SURVEY_ANSWERS_PER_HOUR:
        raise TooManyAnswers("Thank you — we have had several answers from here in the last "
                             "hour. Please try again later.")
    answer = _text(answer, what="answer", required=True, limit=MAX_TEXT)
    second = _text(second_answer, what="answer to the second question", limit=MAX_TEXT)
    text = answer if not second else f"{answer}\n\n{survey.second_question}: {second}"
    rating = _rating(rating) if survey.ask_rating else None
    role = _text(role, what="role", limit=120)
    SurveyReceipt.objects.create(survey=survey, sender_hash=who)
    made = Feedback.objects.create(
        innovation=survey.innovation, source=survey.source, text=text, rating=rating,
        respondent=role, polarity=feedback_analysis.polarities([answer + " " + second])[0],
        channel="survey", collected_on=now.date())
    audit.record(actor=None, verb="survey.answered", subject=survey)
    return made


# Decisions --------------------------------------------------------------------------------


def _check_criteria(criteria) -> list[dict]:
    clean, keys = [], set()
    for n, item in enumerate(criteria or [], start=1):
        label = " ".join(str(item.get("label", "")).split())
        if not label:
            continue
        if len(label) > 120:
            raise InvalidInput(f"Criterion {n}: the name must be 120 characters or fewer")
        key = str(item.get("key") or "").strip() or "-".join(label.lower().split())[:40]
        if key in keys:
            raise InvalidInput(f"Criterion {n}: “{label}” is there twice")
        keys.add(key)
        clean.append({"key": key, "label": label,
                      "description": _text(item.get("description", ""),
                                           what=f"description of criterion {n}", limit=500)})
    if not clean:
        raise InvalidInput("A decision framework needs at least one criterion")
    return clean


@transaction.atomic
def default_framework(*, by=None) -> DecisionFramework:
    """The framework offered to everyone (made on first use)."""
    found = DecisionFramework.objects.filter(organisation__isnull=True,
                                             name=DEFAULT_FRAMEWORK).first()
    if found is None:
        found = DecisionFramework.objects.create(name=DEFAULT_FRAMEWORK,
                                                 criteria=DEFAULT_CRITERIA)
        audit.record(actor=by, verb="decision_framework.created", subject=found)
    return found


@transaction.atomic
def save_framework(*, organisation: Organisation, name: str, criteria, by,
                   framework: DecisionFramework | None = None,
                   revision: int | None = None) -> DecisionFramework:
    """Add (``framework`` None) or edit an organisation's decision framework."""
    if by is not None and not innovation_scope(by).may_log_for(organisation.pk):
        raise NotAllowed(f"You may not change the decision frameworks of {organisation.name}")
    name = _text(name, what="framework's name", required=True, limit=255)
    criteria = _check_criteria(criteria)
    clash = DecisionFramework.objects.filter(organisation=organisation, name__iexact=name)
    if framework is not None:
        framework = DecisionFramework.objects.select_for_update().get(pk=framework.pk)
        if framework.organisation_id != organisation.pk:
            raise NotAllowed("Only an organisation's own frameworks can be edited here")
        check_revision(framework, revision, what=f"The framework “{framework.name}”")
        clash = clash.exclude(pk=framework.pk)
    if clash.exists():
        raise InvalidInput(f"{organisation.name} already has a framework called {name}")
    if framework is None:
        framework = DecisionFramework.objects.create(organisation=organisation, name=name,
                                                     criteria=criteria)
        audit.record(actor=by, verb="decision_framework.created", subject=framework)
        return framework
    changed = apply_changes(framework, {"name": name, "criteria": criteria})
    if changed:
        framework.revision += 1
        framework.save()
        audit.record(actor=by, verb="decision_framework.updated", subject=framework,
                     fields=changed)
    return framework


def _scores(framework: DecisionFramework, scores: dict) -> dict:
    keys = {c["key"]: c["label"] for c in framework.criteria}
    clean = {}
    for key, given in (scores or {}).items():
        if key not in keys:
            raise InvalidInput(f"“{key}” is not a criterion of {framework.name}")
        score, note = given.get("score"), _text(given.get("note", ""),
                                                 what=f"note on {keys[key]}", limit=1000)
        if score in (None, ""):
            score = None
        else:
            try:
                score = int(score)
            except (TypeError, ValueError):
                raise InvalidInput(f"The score for {keys[key]} must be a whole number from 0 to "
                                   f"{MAX_SCORE}") from None
            if not 0 <= score <= MAX_SCORE:
                raise InvalidInput(f"The score for {keys[key]} must be from 0 to {MAX_SCORE}")
        if score is not None or note:
            clean[key] = {"score": score, "note": note}
    return clean


@transaction.atomic
def decide(*, innovation: Innovation, outcome: str, rationale: str, by,
           framework: DecisionFramework | None = None, scores: dict | None = None,
           cycle=None) -> Decision:
    """Record a decision (kept as history) and make it the innovation's outcome."""
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    _may_edit(by, innovation)
    if outcome not in DecisionOutcome.values:
        raise InvalidInput("Choose retain, adapt, reject or not yet decided")
    rationale = _text(rationale, what="rationale for the decision", required=True)
    framework = framework or default_framework(by=by)
    if framework.organisation_id is not None and framework.organisation_id not in {
            innovation.organisation_id, *_ancestor_ids(innovation.organisation_id)}:
        raise InvalidInput(f"The framework {framework.name} belongs to another organisation")
    if cycle is None:  # a decision taken while a stocktake follows the innovation counts in it
        cycle = next(iter(open_cycles_with(innovation=innovation)), None)
    decision = Decision.objects.create(
        innovation=innovation, outcome=outcome, rationale=rationale, framework=framework,
        criteria=list(framework.criteria), scores=_scores(framework, scores or {}), cycle=cycle,
        decided_by=by if getattr(by, "is_authenticated", False) else None)
    previous = innovation.outcome
    innovation.outcome = outcome
    innovation.save(update_fields=["outcome", "updated_at"])
    audit.record(actor=by, verb="innovation.decided", subject=innovation, previous=previous,
                 outcome=outcome, framework=framework.pk, scored=len(decision.scores))
    refresh_everywhere(innovation=innovation)
    return decision


def _ancestor_ids(org_id: int) -> set[int]:
    ids, seen = set(), org_id
    parents = dict(Organisation.objects.values_list("pk", "parent_id"))
    while parents.get(seen) is not None and seen not in ids:
        seen = parents[seen]
        ids.add(seen)
    return ids


# Spread -----------------------------------------------------------------------------------


@transaction.atomic
def record_adoption(*, innovation: Innovation, organisation: Organisation, status: str, by,
                    note: str = "") -> tuple[Adoption, bool]:
    """Record (or change) another organisation's adoption; (adoption, created)."""
    if by is not None:
        scope = innovation_scope(by)
        if not (scope.may_log_for(innovation.organisation_id)
                or scope.may_log_for(organisation.pk)):
            raise NotAllowed(f"You may not record adoptions of “{innovation.title}”")
    if status not in AdoptionStatus.values:
        raise InvalidInput("Choose adopted, adopted with changes, considering or declined")
    if organisation.pk == innovation.organisation_id:
        raise InvalidInput(f"{organisation.name} logged “{innovation.title}”; record adoptions "
                           "by other organisations")
    note = _text(note, what="note", limit=2000)
    recorder = by if getattr(by, "is_authenticated", False) else None
    adoption = (Adoption.objects.select_for_update()
                .filter(innovation=innovation, organisation=organisation).first())
    created = adoption is None
    if created:
        adoption = Adoption.objects.create(innovation=innovation, organisation=organisation,
                                           status=status, note=note, recorded_by=recorder)
    else:
        adoption.status, adoption.note, adoption.recorded_by = status, note, recorder
        adoption.save()
    audit.record(actor=by, verb="adoption.recorded", subject=adoption, status=status,
                 created=created)
    refresh_everywhere(innovation=innovation)
    return adoption, created


@transaction.atomic
def remove_adoption(*, adoption: Adoption, by) -> None:
    if by is not None:
        scope = innovation_scope(by)
        if not (scope.may_log_for(adoption.innovation.organisation_id)
                or scope.may_log_for(adoption.organisation_id)):
            raise NotAllowed("You may not remove this adoption")
    audit.record(actor=by, verb="adoption.removed", subject=adoption.innovation,
                 organisation=adoption.organisation_id)
    adoption.delete()
    refresh_everywhere(innovation=adoption.innovation)
