"""Reading a review's staff learning: questionnaires with their response counts (per
organisation, per day, aggregated in the database), the responses as CSV rows, and the
team notes uploaded. Changes are in :mod:`stocktake.track.actions.questionnaires`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max
from django.db.models.functions import TruncDate

from stocktake.reviews.models import Participant
from stocktake.track.models import Questionnaire, QuestionnaireResponse

CSV_HEADER = ("response", "received", "organisation", "name", "role", "question",
              "domain", "question text", "finding id", "statement")
_QUESTION = re.compile(r"› question (\d+)")


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


def with_counts(questionnaires):
    """Questionnaires with ``response_count`` and ``last_response`` (one query)."""
    return questionnaires.annotate(response_count=Count("responses"),
                                   last_response=Max("responses__received_at"))


def counts_by_organisation(questionnaire: Questionnaire) -> list[Tally]:
    """Responses per organisation, most first; organisations taking part with none as 0."""
    counted = dict(questionnaire.responses.values_list("organisation__name")
                   .annotate(n=Count("id")).values_list("organisation__name", "n"))
    names = Participant.objects.filter(review_id=questionnaire.review_id).values_list(
        "organisation__name", flat=True)
    rows = [Tally(name, counted.get(name, 0)) for name in names]
    rows += [Tally(name, n) for name, n in counted.items() if name not in set(names)]
    return sorted(rows, key=lambda r: (-r.count, r.label.lower()))


def counts_by_day(questionnaire: Questionnaire) -> list[tuple[date, int]]:
    """(day, responses) for each day that had any, oldest first."""
    return list(questionnaire.responses.annotate(day=TruncDate("received_at"))
                .values_list("day").annotate(n=Count("id")).values_list("day", "n")
                .order_by("day"))


def question_number(location: str) -> int | None:
    """The question a response's finding answers, from its location
    ("staff questionnaire › response 3 › question 2 › item 1")."""
    found = _QUESTION.search(location or "")
    return int(found[1]) if found else None


def csv_rows(questionnaire: Questionnaire, findings) -> Iterator[tuple]:
    """One row per statement of every response, oldest response first. ``findings``: the
    review's findings as the reader may see them (a scoped queryset): the text as it is now,
    redactions and corrections included."""
    questions = questionnaire.questions
    domains = dict(questionnaire.review.framework.domains.values_list("key", "name"))
    responses = (QuestionnaireResponse.objects.filter(questionnaire=questionnaire)
                 .select_related("organisation").order_by("number"))
    by_submission = {r.submission_id: r for r in responses}
    rows = (findings.filter(submission_id__in=list(by_submission))
            .order_by("submission_id", "position", "id")
            .values_list("id", "submission_id", "source_location", "text"))
    for finding_id, submission_id, location, text in rows.iterator(chunk_size=2000):
        response = by_submission[submission_id]
        number = question_number(location)
        question = (questions[number - 1] if number and number <= len(questions)
                    else {"domain": "", "text": ""})
        yield (response.number, f"{response.received_at:%Y-%m-%d %H:%M}",
               response.organisation.name, response.name, response.role, number or "",
               domains.get(question["domain"], ""), question["text"], finding_id, text)
